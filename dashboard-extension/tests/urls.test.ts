import { describe, expect, it } from "vitest";
import { countryFlag } from "../src/lib/flags";
import { groupMarketplaces } from "../src/stores/marketplaces";
import { parseRoute, routeAt, routeHash, routePath, routeUrl } from "../src/lib/router";
import type { AmazonMarketplace } from "../src/lib/types";
import { isSafeExternalUrl, pluginBaseUrl, pluginGraphqlUrl } from "../src/lib/urls";

describe("plugin URLs", () => {
  it("strips from /app/ on", () => {
    expect(pluginBaseUrl("https://shop.test/plugins/global/saleor_amazon_channel/app/?id=1&theme=dark#/stores")).toBe(
      "https://shop.test/plugins/global/saleor_amazon_channel",
    );
    expect(pluginGraphqlUrl("https://shop.test/plugins/global/saleor_amazon_channel/app/index.html")).toBe(
      "https://shop.test/plugins/global/saleor_amazon_channel/graphql/",
    );
    expect(pluginBaseUrl("http://localhost:8000/api/plugins/global/saleor_amazon_channel/app")).toBe(
      "http://localhost:8000/api/plugins/global/saleor_amazon_channel",
    );
  });

  it("falls back to the default plugin path (dev server)", () => {
    expect(pluginGraphqlUrl("http://localhost:5173/")).toBe("http://localhost:5173/plugins/global/saleor_amazon_channel/graphql/");
  });

  it("only opens http(s) URLs", () => {
    expect(isSafeExternalUrl("https://sellercentral.amazon.com/apps/authorize/consent?x=1")).toBe(true);
    expect(isSafeExternalUrl("javascript:alert(1)")).toBe(false);
    expect(isSafeExternalUrl("")).toBe(false);
    expect(isSafeExternalUrl(null)).toBe(false);
  });
});

describe("flags", () => {
  it("turns country codes into emoji flags", () => {
    expect(countryFlag("US")).toBe("🇺🇸");
    expect(countryFlag("fr")).toBe("🇫🇷");
    expect(countryFlag("UK")).toBe("🇬🇧");
    expect(countryFlag("USA")).toBe("");
    expect(countryFlag(null)).toBe("");
  });
});

describe("marketplace grouping", () => {
  const m = (id: string, countryCode: string, countryName: string, region: "NA" | "EU" | "FE"): AmazonMarketplace => ({
    id,
    countryCode,
    countryName,
    region,
    sellerCentralUrl: "https://sellercentral.example",
    currencyCode: "USD",
    domain: `amazon.${countryCode.toLowerCase()}`,
  });
  const all = [
    m("A1PA6795UKMFR9", "DE", "Germany", "EU"),
    m("A2EUQ1WTGCTBG2", "CA", "Canada", "NA"),
    m("A1F83G8C2ARO7P", "GB", "United Kingdom", "EU"),
    m("A1VC38T7YXB528", "JP", "Japan", "FE"),
    m("ATVPDKIKX0DER", "US", "United States", "NA"),
    m("A13V1IB3VIYZZH", "FR", "France", "EU"),
    m("A1AM78C64UM0Y8", "MX", "Mexico", "NA"),
    m("A2Q3Y263D00KWC", "BR", "Brazil", "NA"),
  ];

  it("puts US, CA, MX, GB first, then regions sorted by name", () => {
    const groups = groupMarketplaces(all);
    expect(groups.popular.map((x) => x.countryCode)).toEqual(["US", "CA", "MX", "GB"]);
    expect(groups.regions.map((g) => [g.region, g.marketplaces.map((x) => x.countryCode)])).toEqual([
      ["NA", ["BR"]],
      ["EU", ["FR", "DE"]],
      ["FE", ["JP"]],
    ]);
  });

  it("sorts by the localized name", () => {
    const groups = groupMarketplaces(all, (x) => ({ DE: "Allemagne", FR: "France" })[x.countryCode] ?? x.countryName, "fr");
    expect(groups.regions.find((g) => g.region === "EU")!.marketplaces.map((x) => x.countryCode)).toEqual(["DE", "FR"]);
  });
});

describe("router", () => {
  it("parses and builds routes", () => {
    expect(parseRoute("")).toEqual({ name: "home" });
    expect(parseRoute("#/")).toEqual({ name: "home" });
    expect(parseRoute("#/setup")).toEqual({ name: "setup", next: null });
    expect(parseRoute("#/setup?next=new")).toEqual({ name: "setup", next: "new" });
    expect(parseRoute("#/stores/new")).toEqual({ name: "create" });
    const id = "QW1hem9uU3RvcmU6MQ==";
    expect(parseRoute(routeHash({ name: "detail", id }))).toEqual({ name: "detail", id });
    expect(parseRoute(routeHash({ name: "edit", id }))).toEqual({ name: "edit", id });
    expect(parseRoute("#/nowhere/at/all")).toEqual({ name: "home" });
  });
});

describe("router in the app's path", () => {
  const APP = "/plugins/global/saleor_amazon_channel/app";
  const DASHBOARD = "?domain=localhost%3A8000&id=QXBwOjE%3D&theme=dark";
  const at = (pathname: string, search = DASHBOARD, hash = "") => ({ pathname, search, hash });
  const id = "QW1hem9uU3RvcmU6MQ==";

  it("reads the screen from the path after the app's folder, with or without its slash", () => {
    expect(routeAt(at(APP))).toEqual({ name: "home" });
    expect(routeAt(at(`${APP}/`))).toEqual({ name: "home" });
    expect(routeAt(at(`/shop${APP}/stores/${encodeURIComponent(id)}`))).toEqual({ name: "detail", id });
    expect(routeAt(at(`${APP}/stores/${encodeURIComponent(id)}/edit`))).toEqual({ name: "edit", id });
    expect(routeAt(at(`${APP}/stores/new`))).toEqual({ name: "create" });
    expect(routeAt(at(`${APP}/setup`, `${DASHBOARD}&next=new`))).toEqual({ name: "setup", next: "new" });
    // A hash route (old links, in-page links) wins until it is moved into the path.
    expect(routeAt(at(`${APP}/stores/1`, DASHBOARD, "#/setup"))).toEqual({ name: "setup", next: null });
  });

  it("builds each screen's URL keeping the Dashboard's parameters, and round-trips", () => {
    const routes = [
      { name: "home" },
      { name: "setup", next: null },
      { name: "setup", next: "new" },
      { name: "create" },
      { name: "detail", id },
      { name: "edit", id },
    ] as const;
    for (const route of routes) {
      for (const where of [at(APP), at(`${APP}/`), at(`${APP}/stores/x/edit`, `${DASHBOARD}&next=new`)]) {
        const url = new URL(routeUrl(route, where), "http://localhost:8000");
        expect(url.pathname.startsWith(APP)).toBe(true);
        for (const key of ["domain", "id", "theme"]) expect(url.searchParams.get(key)).toBe(new URLSearchParams(DASHBOARD).get(key));
        expect(routeAt({ pathname: url.pathname, search: url.search, hash: "" })).toEqual(route);
      }
    }
  });

  it("sends the Dashboard the path it appends to /extensions/app/<id>", () => {
    expect(routePath({ name: "detail", id })).toBe("/stores/QW1hem9uU3RvcmU6MQ%3D%3D");
    expect(routePath({ name: "setup", next: "new" })).toBe("/setup?next=new");
    expect(routePath({ name: "home" })).toBe("/");
  });
});
