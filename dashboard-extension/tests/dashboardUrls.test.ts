/**
 * The demo shell builds the iframe URL with shell/dashboard-urls.js. These tests pin it against the
 * Dashboard 3.23 source (src/extensions/urls.ts) run with the real url-join 4.0.1 and qs packages,
 * so the demo can never again load the app where the real Dashboard cannot.
 */
import { stringify } from "qs";
import urlJoin from "url-join";
import "../shell/dashboard-urls.js";

type ShellUrls = {
  urlJoin: (...parts: string[]) => string;
  stringifyQs: (params: unknown) => string;
  resolveAppIframeUrl: (appId: string, appUrl: string, params: object, context: { apiUrl: string; search: string }) => string;
  resolveAppCompleteUrlFromDashboardUrl: (dashboardPath: string, appUrl: string, appId: string) => string;
  resolveAppDeepPathFromDashboardUrl: (dashboardUrl: string, appId: string) => string;
  updateRoutingLocation: (mountUri: string, appId: string, newRoute: string) => string;
  classifyRedirect: (appId: string, from: string, to: string, host: string) => string | null;
  FEATURE_FLAGS_3_23: object;
};
const shell = (globalThis as unknown as { SaleorDashboardUrls: ShellUrls }).SaleorDashboardUrls;

// ---- Saleor Dashboard 3.23, src/extensions/urls.ts (getAbsoluteApiUrl and window.location.search as arguments) ----
const stringifyQs = (params: unknown, arrayFormat?: "comma") => stringify(params, { arrayFormat: arrayFormat || "indices" });
const extensionsAppSection = "/extensions/app";
const resolveViewManifestExtension = (id: string) => urlJoin(extensionsAppSection, id);
const resolveViewManifestExtensionUrl = (id: string, params?: object) =>
  resolveViewManifestExtension(encodeURIComponent(id)) + "?" + stringifyQs(params);
const dashboard = {
  resolveAppIframeUrl: (appId: string, appUrl: string, params: object, apiUrl: string, search: string) => {
    const apiUrlHost = new URL(apiUrl).host;
    const iframeContextQueryString = `?${stringifyQs({ domain: apiUrlHost, saleorApiUrl: apiUrl, id: appId, ...params }, "comma")}`;
    return urlJoin(appUrl, search, iframeContextQueryString);
  },
  resolveAppCompleteUrlFromDashboardUrl: (dashboardUrl: string, appUrl: string, appId: string) =>
    urlJoin(appUrl, dashboardUrl.replace(resolveViewManifestExtension(encodeURIComponent(appId)), "")),
  resolveAppDeepPathFromDashboardUrl: (dashboardUrl: string, appId: string) =>
    dashboardUrl.replace(resolveViewManifestExtensionUrl(encodeURIComponent(appId)), "") || "/",
  // appActionsHandler.ts, useHandleUpdateRoutingAction
  updateRouting: (mountUri: string, appId: string, newRoute: string) =>
    urlJoin(mountUri, resolveViewManifestExtensionUrl(appId).replace("?", ""), newRoute),
};
// FlagValue instances as useAllFlags() gives them (qs walks their own keys).
class FlagValue {
  constructor(
    public enabled: boolean,
    public payload?: string,
  ) {}
}

const APP = "http://localhost:8000/plugins/global/saleor_amazon_channel/app/";
const API = "http://localhost:8000/graphql/";
const APP_ID = "QXBwOjE=";

describe("the demo shell builds iframe URLs like Saleor Dashboard 3.23", () => {
  const appUrls = [
    APP,
    APP.slice(0, -1),
    `${APP}?view=widget`,
    `${APP}stores/QW1hem9uU3RvcmU6MQ==`,
    "https://shop.example.com/api/plugins/global/saleor_amazon_channel/app/",
  ];
  const searches = ["", "?appPath=stores/1", "?foo=bar&x=1,2"];
  const paramSets = [
    { featureFlags: { new_order_ui: new FlagValue(false, "default") }, theme: "light" },
    { featureFlags: { new_order_ui: new FlagValue(true, "") }, theme: "dark" },
    { featureFlags: {}, theme: undefined },
    { productIds: ["UHJvZHVjdDox", "UHJvZHVjdDoy"], theme: "dark" },
  ];

  for (const appUrl of appUrls) {
    for (const search of searches) {
      it(`src for ${appUrl} with search "${search}"`, () => {
        for (const params of paramSets) {
          const plain = JSON.parse(JSON.stringify(params));
          expect(shell.resolveAppIframeUrl(APP_ID, appUrl, plain, { apiUrl: API, search })).toBe(
            dashboard.resolveAppIframeUrl(APP_ID, appUrl, params, API, search),
          );
        }
      });
    }
  }

  it("drops the trailing slash of the app URL, as the real Dashboard does (why relative assets broke)", () => {
    const src = shell.resolveAppIframeUrl(APP_ID, APP, { featureFlags: shell.FEATURE_FLAGS_3_23, theme: "dark" }, { apiUrl: API, search: "" });
    expect(src).toBe(
      "http://localhost:8000/plugins/global/saleor_amazon_channel/app?domain=localhost%3A8000" +
        "&saleorApiUrl=http%3A%2F%2Flocalhost%3A8000%2Fgraphql%2F&id=QXBwOjE%3D" +
        "&featureFlags%5Bnew_order_ui%5D%5Benabled%5D=false&featureFlags%5Bnew_order_ui%5D%5Bpayload%5D=default&theme=dark",
    );
  });

  it("url-join is url-join 4.0.1", () => {
    const cases = [
      ["http://a/b/", "", "?x=1"],
      ["http://a/b/", "?y=2", "?x=1"],
      ["http:", "a", "b/"],
      ["/dashboard/", "/extensions/app/QXBwOjE%3D", "/stores/1"],
      ["http://a/b", "c//", "#/d"],
      ["file:", "/a", "b"],
      ["http://a/b/?v=1", "?w=2"],
    ];
    for (const parts of cases) expect(shell.urlJoin(...parts)).toBe(urlJoin(...parts));
  });

  it("deep links: the app page's URL for a Dashboard path, and the Dashboard path for the app's route", () => {
    for (const path of [
      `/extensions/app/${encodeURIComponent(APP_ID)}`,
      `/extensions/app/${encodeURIComponent(APP_ID)}/`,
      `/extensions/app/${encodeURIComponent(APP_ID)}/stores/QW1hem9uU3RvcmU6MQ%3D%3D`,
      `/extensions/app/${encodeURIComponent(APP_ID)}/setup`,
    ]) {
      expect(shell.resolveAppCompleteUrlFromDashboardUrl(path, APP, APP_ID)).toBe(dashboard.resolveAppCompleteUrlFromDashboardUrl(path, APP, APP_ID));
      expect(shell.resolveAppDeepPathFromDashboardUrl(path, APP_ID)).toBe(dashboard.resolveAppDeepPathFromDashboardUrl(path, APP_ID));
    }
    for (const route of ["/", "/stores/QW1hem9uU3RvcmU6MQ%3D%3D", "/stores/new", "/setup?next=new"]) {
      expect(shell.updateRoutingLocation("/dashboard/", APP_ID, route)).toBe(dashboard.updateRouting("/dashboard/", APP_ID, route));
    }
    expect(shell.updateRoutingLocation("/dashboard/", APP_ID, "/stores/QW1hem9uU3RvcmU6MQ%3D%3D")).toBe(
      "/dashboard/extensions/app/QXBwOjE%3D/stores/QW1hem9uU3RvcmU6MQ%3D%3D",
    );
  });

  it("redirect actions are sorted as appActionsHandler sorts them", () => {
    const appPath = `/extensions/app/${encodeURIComponent(APP_ID)}`;
    // The Dashboard compares against window.location.pathname, which carries the mount URI.
    expect(shell.classifyRedirect(APP_ID, `${appPath}/x`, `${appPath}/y`, "localhost:9000")).toBe("appDeep");
    expect(shell.classifyRedirect(APP_ID, `/dashboard${appPath}`, `${appPath}/y`, "localhost:9000")).toBe("dashboard");
    expect(shell.classifyRedirect(APP_ID, "/", "/extensions/plugin/saleor_amazon_channel", "localhost:9000")).toBe("dashboard");
    expect(shell.classifyRedirect(APP_ID, "/", "http://localhost:8000/plugins/x/oauth/start", "localhost:9000")).toBe("external");
    // Same host as the Dashboard and not a path: the Dashboard answers ok: false.
    expect(shell.classifyRedirect(APP_ID, "/", "http://localhost:9000/plugins/x/oauth/start", "localhost:9000")).toBe(null);
  });
});
