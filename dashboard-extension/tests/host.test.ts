import type { AppBridge } from "@saleor/app-sdk/app-bridge";
import { describe, expect, it, vi } from "vitest";
import { createDashboardHost, createStandaloneHost } from "../src/lib/host";

type Listener = (payload: Record<string, unknown>) => void;

function fakeBridge(dispatch: (action: { type: string; payload: Record<string, unknown> }) => Promise<void>) {
  const listeners: Record<string, Listener[]> = {};
  const state: Record<string, unknown> = { ready: false, token: undefined, theme: "light", saleorApiUrl: "https://shop.test/graphql/" };
  const bridge = {
    getState: () => state,
    subscribe: (type: string, cb: Listener) => {
      (listeners[type] ??= []).push(cb);
      return () => undefined;
    },
    dispatch: vi.fn(dispatch),
  };
  const emit = (type: string, payload: Record<string, unknown>, patch: Record<string, unknown> = {}) => {
    Object.assign(state, patch);
    (listeners[type] ?? []).forEach((cb) => cb(payload));
  };
  return { bridge: bridge as unknown as AppBridge & { dispatch: ReturnType<typeof vi.fn> }, emit };
}

function fakeWindow(search = "") {
  return { location: { search }, open: vi.fn() } as unknown as Window & { open: ReturnType<typeof vi.fn> };
}

describe("dashboard host", () => {
  it("moves the Dashboard's URL with updateRouting, and says nothing standalone", async () => {
    const { bridge } = fakeBridge(async () => undefined);
    createDashboardHost(bridge, fakeWindow()).updateRoute("/stores/QW1hem9uU3RvcmU6MQ%3D%3D");
    const action = bridge.dispatch.mock.calls[0][0];
    expect(action.type).toBe("updateRouting");
    expect(action.payload).toMatchObject({ newRoute: "/stores/QW1hem9uU3RvcmU6MQ%3D%3D" });
    expect(() => createStandaloneHost(fakeWindow()).updateRoute("/")).not.toThrow();
  });

  it("asks the Dashboard to open the consent page in a new context", async () => {
    const { bridge } = fakeBridge(async () => undefined);
    const win = fakeWindow();
    await createDashboardHost(bridge, win).openInNewTab("https://sellercentral.amazon.com/apps/authorize/consent?x=1");
    expect(bridge.dispatch).toHaveBeenCalledTimes(1);
    const action = bridge.dispatch.mock.calls[0][0];
    expect(action.type).toBe("redirect");
    expect(action.payload).toMatchObject({ to: "https://sellercentral.amazon.com/apps/authorize/consent?x=1", newContext: true });
    expect(typeof action.payload.actionId).toBe("string");
    expect(win.open).not.toHaveBeenCalled();
  });

  it("opens the tab itself when the Dashboard does not answer", async () => {
    const { bridge } = fakeBridge(async () => {
      throw new Error("Action response timed out.");
    });
    const win = fakeWindow();
    vi.spyOn(console, "warn").mockImplementation(() => undefined);
    await createDashboardHost(bridge, win).openInNewTab("https://sellercentral.amazon.com/x");
    expect(win.open).toHaveBeenCalledWith("https://sellercentral.amazon.com/x", "_blank", "noopener");
  });

  it("refuses non-http URLs", async () => {
    const { bridge } = fakeBridge(async () => undefined);
    await expect(createDashboardHost(bridge, fakeWindow()).openInNewTab("javascript:alert(1)")).rejects.toThrow();
    expect(bridge.dispatch).not.toHaveBeenCalled();
  });

  it("follows the handshake, token refresh, theme and locale events", () => {
    const { bridge, emit } = fakeBridge(async () => undefined);
    const host = createDashboardHost(bridge, fakeWindow("?locale=en&theme=light"));
    const changes = vi.fn();
    host.subscribe(changes);
    expect(host.snapshot()).toMatchObject({ ready: false, hasToken: false, dashboardLocale: "en" });

    emit("handshake", { token: "t1" }, { ready: true, token: "t1" });
    expect(host.snapshot()).toMatchObject({ ready: true, hasToken: true });
    expect(host.getToken()).toBe("t1");

    emit("tokenRefresh", { token: "t2" }, { token: "t2" });
    expect(host.getToken()).toBe("t2");

    emit("theme", { theme: "dark" }, { theme: "dark" });
    expect(host.snapshot().theme).toBe("dark");

    emit("localeChanged", { locale: "fr" });
    expect(host.snapshot().dashboardLocale).toBe("fr");
    expect(changes).toHaveBeenCalledTimes(4);
    expect(host.getSaleorApiUrl()).toBe("https://shop.test/graphql/");
  });

  it("keeps the same snapshot object between changes (useSyncExternalStore)", () => {
    const { bridge, emit } = fakeBridge(async () => undefined);
    const host = createDashboardHost(bridge, fakeWindow());
    const first = host.snapshot();
    expect(host.snapshot()).toBe(first);
    emit("theme", { theme: "dark" }, { theme: "dark" });
    expect(host.snapshot()).not.toBe(first);
  });

  it("sends notifications to the Dashboard", () => {
    const { bridge } = fakeBridge(async () => undefined);
    createDashboardHost(bridge, fakeWindow()).notify("success", "Saved");
    expect(bridge.dispatch.mock.calls[0][0]).toMatchObject({ type: "notification", payload: { status: "success", title: "Saved" } });
  });
});

describe("standalone host", () => {
  it("opens the consent page with window.open(url, _blank, noopener)", async () => {
    const win = fakeWindow("?theme=dark");
    const host = createStandaloneHost(win);
    await host.openInNewTab("https://sellercentral.amazon.com/y");
    expect(win.open).toHaveBeenCalledWith("https://sellercentral.amazon.com/y", "_blank", "noopener");
    expect(host.snapshot()).toMatchObject({ mode: "standalone", ready: true, hasToken: false, theme: "dark" });
    expect(host.getToken()).toBeNull();
  });
});
