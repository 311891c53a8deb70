/**
 * The demo dashboard shell (shell/index.html, inline JS) speaks AppBridge like Saleor Dashboard
 * 3.23: handshake on load and on notifyReady, a `response` for every action, redirect with
 * newContext → window.open, notification → toast, theme / localeChanged / tokenRefresh events.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { DashboardEventFactory } from "@saleor/app-sdk/app-bridge";
import { Window } from "happy-dom";
import { afterEach, describe, expect, it, vi } from "vitest";

const SHELL = readFileSync(join(__dirname, "..", "shell", "index.html"), "utf8");
const ORIGIN = "http://localhost:8000";

type Posted = { data: { type: string; payload: Record<string, unknown> }; target: string };

async function openShell(query = "?appId=QXBwOjE=") {
  const win = new Window({
    url: `${ORIGIN}/dashboard/${query}`,
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
    expect(src.pathname).toBe("/plugins/global/saleor_amazon_channel/app/");
    expect(Object.fromEntries(src.searchParams)).toEqual({
      domain: "localhost:8000",
      saleorApiUrl: `${ORIGIN}/graphql/`,
      id: "QXBwOjE=",
      theme: "dark",
      locale: "fr",
    });
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

  it("posts the handshake on load, exactly like DashboardEventFactory", async () => {
    const { win, frame, posted } = await openShell();
    current = win;
    frame.dispatchEvent(new win.Event("load") as never);
    expect(posted).toHaveLength(1);
    expect(posted[0].target).toBe(ORIGIN);
    expect(posted[0].data).toEqual(DashboardEventFactory.createHandshakeEvent("token-1", 1, { core: "3.23.0", dashboard: "3.23.0" }));
  });

  it("answers notifyReady with a handshake and a response", async () => {
    const { win, posted, fromApp } = await openShell();
    current = win;
    fromApp({ type: "notifyReady", payload: { actionId: "a1" } });
    expect(posted.map((p) => p.data.type)).toEqual(["handshake", "response"]);
    expect(posted[1].data).toEqual(DashboardEventFactory.createDispatchResponseEvent("a1", true));
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

  it("ignores messages from other origins or windows", async () => {
    const { win, posted, fromApp } = await openShell();
    current = win;
    fromApp({ type: "notifyReady", payload: { actionId: "x" } }, "https://evil.test");
    fromApp({ type: "notifyReady", payload: { actionId: "y" } }, ORIGIN, {});
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
    expect(posted.slice(2).map((p) => p.data)).toEqual([
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
