/**
 * The demo dashboard shell (shell/index.html + dashboard-urls.js) speaks AppBridge like Saleor
 * Dashboard 3.23: handshake on load and on notifyReady, then localeChanged, theme and the deep
 * path (redirect event); a `response` for every action; redirect sorted as appActionsHandler
 * sorts it; updateRouting moves the Dashboard's URL; notification → toast; tokenRefresh.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DashboardEventFactory } from "@saleor/app-sdk/app-bridge";
import { Window } from "happy-dom";
import { afterEach, describe, expect, it, vi } from "vitest";

// The page with its script inlined (happy-dom loads no script files here).
const SHELL = readFileSync(join(__dirname, "..", "shell", "index.html"), "utf8").replace(
  '<script src="/dashboard/dashboard-urls.js"></script>',
  () => `<script>${readFileSync(join(__dirname, "..", "shell", "dashboard-urls.js"), "utf8")}</script>`,
);
const ORIGIN = "http://localhost:8000";

type Posted = { data: { type: string; payload: Record<string, unknown> }; target: string };

async function openShell(query = "?appId=QXBwOjE=", path = "/dashboard/") {
  const win = new Window({
    url: `${ORIGIN}${path}${query}`,
    settings: {
      enableJavaScriptEvaluation: true,
      suppressInsecureJavaScriptEnvironmentWarning: true,
      disableIframePageLoading: true,
      disableJavaScriptFileLoading: true,
      disableCSSFileLoading: true,
    },
  } as ConstructorParameters<typeof Window>[0]);
  let token = 0;
  const fetchMock = vi.fn(async (url: string, init: RequestInit) => {
    expect(url).toBe("/demo/token");
    expect(init.method).toBe("POST");
    token += 1;
    return { ok: true, status: 200, json: async () => ({ token: `token-${token}` }) };
  });
  const open = vi.fn();
  Object.assign(win, { fetch: fetchMock, open });
  vi.spyOn(win, "setInterval");
  win.document.write(SHELL);
  await new Promise((resolve) => setTimeout(resolve, 50));

  const frame = win.document.getElementById("app-frame") as unknown as HTMLIFrameElement;
  const posted: Posted[] = [];
  const appWindow = { postMessage: (data: Posted["data"], target: string) => posted.push({ data, target }) };
  Object.defineProperty(frame, "contentWindow", { get: () => appWindow });

  const fromApp = (data: unknown, origin = ORIGIN, source: unknown = appWindow) =>
    win.dispatchEvent(new win.MessageEvent("message", { data, origin, source } as never));
  return { win, frame, posted, fromApp, fetchMock, open };
}

let current: Window | null = null;
afterEach(async () => {
  await current?.happyDOM.close();
  current = null;
});

describe("demo dashboard shell", () => {
  it("loads the app with the Dashboard's iframe parameters and sandbox", async () => {
    const { win, frame } = await openShell("?appId=QXBwOjE=&locale=fr&theme=dark");
    current = win;
    const src = new URL(frame.getAttribute("src")!);
    // url-join drops the slash of the app URL, exactly as in the Dashboard.
    expect(src.pathname).toBe("/plugins/global/saleor_amazon_channel/app");
    expect(Object.fromEntries(src.searchParams)).toEqual({
      domain: "localhost:8000",
      saleorApiUrl: `${ORIGIN}/graphql/`,
      id: "QXBwOjE=",
      "featureFlags[new_order_ui][enabled]": "false",
      "featureFlags[new_order_ui][payload]": "default",
      theme: "dark",
    });
    // The shell's own settings left its URL: the Dashboard passes its query string on to the app.
    expect(win.location.pathname + win.location.search).toBe("/dashboard/extensions/app/QXBwOjE%3D");
    expect(frame.getAttribute("sandbox")).toBe("allow-same-origin allow-forms allow-scripts allow-downloads allow-popups");
    expect(win.document.documentElement.classList.contains("dark")).toBe(true);
    expect(win.document.querySelector("h1")!.textContent).toBe("Canal de vente Amazon");
  });

  it("passes its own query string on to the app, like the Dashboard's resolveAppIframeUrl", async () => {
    const { win, frame } = await openShell("?amazonAuthorization=signed.ticket%3Ax");
    current = win;
    const src = new URL(frame.getAttribute("src")!);
    expect(src.searchParams.get("amazonAuthorization")).toBe("signed.ticket:x");
    expect(src.searchParams.get("domain")).toBe("localhost:8000");
  });

  it("posts the handshake on load, then the locale, the theme and the deep path, like AppFrame", async () => {
    const { win, frame, posted } = await openShell("?appId=QXBwOjE=&locale=fr");
    current = win;
    frame.dispatchEvent(new win.Event("load") as never);
    expect(posted.every((p) => p.target === ORIGIN)).toBe(true);
    expect(posted.map((p) => p.data)).toEqual([
      DashboardEventFactory.createHandshakeEvent("token-1", 1, { core: "3.23.0", dashboard: "3.23.0" }),
      DashboardEventFactory.createLocaleChangedEvent("fr"),
      DashboardEventFactory.createThemeChangeEvent("light"),
      // resolveAppDeepPathFromDashboardUrl on window.location.pathname (the mount URI stays in it).
      DashboardEventFactory.createRedirectEvent("/dashboard/extensions/app/QXBwOjE%3D"),
    ]);
  });

  it("answers notifyReady with a handshake and a response", async () => {
    const { win, posted, fromApp } = await openShell();
    current = win;
    fromApp({ type: "notifyReady", payload: { actionId: "a1" } });
    expect(posted.map((p) => p.data.type)).toEqual(["handshake", "response", "localeChanged", "theme", "redirect"]);
    expect(posted[1].data).toEqual(DashboardEventFactory.createDispatchResponseEvent("a1", true));
  });

  it("opens a deep link: the Dashboard path after the app's ID is the app's path", async () => {
    const { win, frame } = await openShell("?appPath=edit", "/dashboard/extensions/app/QXBwOjE%3D/stores/U3RvcmU6MQ%3D%3D");
    current = win;
    const src = new URL(frame.getAttribute("src")!);
    expect(src.pathname).toBe("/plugins/global/saleor_amazon_channel/app/stores/U3RvcmU6MQ%3D%3D/edit");
    expect(src.searchParams.get("appPath")).toBe("edit");
    expect(src.searchParams.get("id")).toBe("QXBwOjE=");
  });

  it("updateRouting moves the Dashboard's URL without reloading the frame", async () => {
    const { win, frame, posted, fromApp } = await openShell();
    current = win;
    const src = frame.getAttribute("src");
    fromApp({ type: "updateRouting", payload: { actionId: "r1", newRoute: "/stores/U3RvcmU6MQ%3D%3D" } });
    expect(win.location.pathname).toBe("/dashboard/extensions/app/QXBwOjE%3D/stores/U3RvcmU6MQ%3D%3D");
    expect(frame.getAttribute("src")).toBe(src);
    expect(posted.at(-1)!.data).toEqual({ type: "response", payload: { actionId: "r1", ok: true } });
  });

  it("a redirect to a Dashboard path navigates the Dashboard; an absolute URL on its own host is refused", async () => {
    const { win, posted, fromApp, open } = await openShell();
    current = win;
    fromApp({ type: "redirect", payload: { actionId: "d1", to: "/extensions/plugin/saleor_amazon_channel" } });
    expect(win.location.pathname).toBe("/dashboard/extensions/plugin/saleor_amazon_channel");
    expect(posted.at(-1)!.data).toEqual({ type: "response", payload: { actionId: "d1", ok: true } });
    fromApp({ type: "redirect", payload: { actionId: "d2", to: `${ORIGIN}/plugins/global/x/oauth/start`, newContext: true } });
    expect(open).not.toHaveBeenCalled();
    expect(posted.at(-1)!.data).toEqual({ type: "response", payload: { actionId: "d2", ok: false } });
  });

  it("opens a new tab for redirect with newContext", async () => {
    const { win, posted, fromApp, open } = await openShell();
    current = win;
    fromApp({ type: "redirect", payload: { actionId: "a2", to: "https://sellercentral.amazon.com/apps/authorize/consent?x=1", newContext: true } });
    expect(open).toHaveBeenCalledWith("https://sellercentral.amazon.com/apps/authorize/consent?x=1");
    expect((win as unknown as { __shell: { opened: string[] } }).__shell.opened).toEqual([
      "https://sellercentral.amazon.com/apps/authorize/consent?x=1",
    ]);
    expect(posted.at(-1)!.data).toEqual({ type: "response", payload: { actionId: "a2", ok: true } });
  });

  it("shows notifications as toasts", async () => {
    const { win, posted, fromApp } = await openShell();
    current = win;
    fromApp({ type: "notification", payload: { actionId: "a3", status: "success", title: "Saved", text: "All good" } });
    const toast = win.document.querySelector(".toast")!;
    expect(toast.textContent).toBe("SavedAll good");
    expect(toast.getAttribute("data-status")).toBe("success");
    expect(posted.at(-1)!.data).toEqual({ type: "response", payload: { actionId: "a3", ok: true } });
  });

  it("ignores messages from other origins and what is not an action", async () => {
    const { win, posted, fromApp } = await openShell();
    current = win;
    fromApp({ type: "notifyReady", payload: { actionId: "x" } }, "https://evil.test");
    fromApp({ type: "notifyReady", payload: {} });
    fromApp("hello");
    expect(posted).toEqual([]);
  });

  it("re-posts theme and locale changes after the handshake", async () => {
    const { win, posted, fromApp } = await openShell();
    current = win;
    fromApp({ type: "notifyReady", payload: { actionId: "a1" } });
    const theme = win.document.getElementById("theme-switch") as unknown as HTMLSelectElement;
    theme.value = "dark";
    theme.dispatchEvent(new win.Event("change") as never);
    const locale = win.document.getElementById("locale-switch") as unknown as HTMLSelectElement;
    locale.value = "fr";
    locale.dispatchEvent(new win.Event("change") as never);
    expect(posted.slice(5).map((p) => p.data)).toEqual([
      DashboardEventFactory.createThemeChangeEvent("dark"),
      DashboardEventFactory.createLocaleChangedEvent("fr"),
    ]);
  });

  it("refreshes the token every 4 minutes", async () => {
    const { win, posted, fetchMock } = await openShell();
    current = win;
    const calls = (win.setInterval as unknown as ReturnType<typeof vi.fn>).mock.calls;
    const [refresh, every] = calls.find(([, ms]) => ms === 4 * 60 * 1000)!;
    expect(every).toBe(240000);
    await (refresh as () => Promise<void>)();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(fetchMock).toHaveBeenCalledTimes(2);
    expect(posted.at(-1)!.data).toEqual(DashboardEventFactory.createTokenRefreshEvent("token-2"));
  });
});
