import { actions, AppBridge, type ThemeType } from "@saleor/app-sdk/app-bridge";
import { isSafeExternalUrl } from "./urls";

/**
 * Where the app runs:
 * - "dashboard": inside the Saleor Dashboard's iframe; AppBridge gives the token, theme, locale.
 * - "standalone": opened directly (no parent frame, no token).
 */
export type HostMode = "dashboard" | "standalone";

export type HostSnapshot = {
  mode: HostMode;
  /** The Dashboard's handshake arrived (always true when standalone: nothing to wait for). */
  ready: boolean;
  hasToken: boolean;
  theme: ThemeType;
  /** The locale announced by the Dashboard (handshake URL param or `localeChanged`), or null. */
  dashboardLocale: string | null;
};

export type Host = {
  mode: HostMode;
  appBridge: AppBridge | null;
  getToken(): string | null;
  getSaleorApiUrl(): string | null;
  snapshot(): HostSnapshot;
  /** Calls `listener` on every Dashboard event that changes the snapshot. */
  subscribe(listener: () => void): () => void;
  /** Open an external page (Amazon Seller Central) in a new, unsandboxed tab. */
  openInNewTab(url: string): Promise<void>;
  /** A toast in the Dashboard (no-op standalone). */
  notify(status: "success" | "error" | "info" | "warning", title: string, text?: string): void;
  /** The Dashboard's URL follows the app's screen (`/stores/<id>`), so a reload or a shared link opens it. */
  updateRoute(path: string): void;
  /** Go to a page of the Dashboard itself (`/extensions/plugin/…`); false when there is no Dashboard. */
  openDashboardPage(path: string): Promise<boolean>;
};

/** The plugin's page in Saleor Dashboard 3.23 (ExtensionsPaths.resolveEditPluginExtension). */
export const PLUGIN_PAGE_PATH = "/extensions/plugin/saleor_amazon_channel";

export function isInIframe(win: Window = window): boolean {
  try {
    return win.self !== win.top;
  } catch {
    return true; // cross-origin parent
  }
}

function themeFromUrl(search: string): ThemeType {
  return new URLSearchParams(search).get("theme") === "dark" ? "dark" : "light";
}

/** `window.open(url, "_blank", "noopener")`, the standalone way. */
export function openWithWindow(url: string, win: Window = window): void {
  win.open(url, "_blank", "noopener");
}

export function createStandaloneHost(win: Window = window): Host {
  const snapshot: HostSnapshot = {
    mode: "standalone",
    ready: true,
    hasToken: false,
    theme: themeFromUrl(win.location.search),
    dashboardLocale: null,
  };
  const params = new URLSearchParams(win.location.search);
  return {
    mode: "standalone",
    appBridge: null,
    getToken: () => null,
    getSaleorApiUrl: () => params.get("saleorApiUrl"),
    snapshot: () => snapshot,
    subscribe: () => () => undefined,
    openInNewTab: async (url) => {
      if (!isSafeExternalUrl(url)) throw new Error("Refusing to open a non-http(s) URL");
      openWithWindow(url, win);
    },
    notify: () => undefined,
    updateRoute: () => undefined,
    openDashboardPage: async () => false,
  };
}

export function createDashboardHost(appBridge: AppBridge, win: Window = window): Host {
  const urlLocale = new URLSearchParams(win.location.search).get("locale");
  let dashboardLocale: string | null = urlLocale;
  let current: HostSnapshot | null = null;
  const compute = (): HostSnapshot => {
    const state = appBridge.getState();
    return {
      mode: "dashboard",
      ready: Boolean(state.ready),
      hasToken: Boolean(state.token),
      theme: state.theme === "dark" ? "dark" : "light",
      dashboardLocale,
    };
  };
  const listeners = new Set<() => void>();
  const emit = () => {
    current = null;
    listeners.forEach((listener) => listener());
  };
  appBridge.subscribe("handshake", emit);
  appBridge.subscribe("tokenRefresh", emit);
  appBridge.subscribe("theme", emit);
  appBridge.subscribe("localeChanged", (payload) => {
    dashboardLocale = payload.locale || dashboardLocale;
    emit();
  });

  return {
    mode: "dashboard",
    appBridge,
    getToken: () => appBridge.getState().token ?? null,
    getSaleorApiUrl: () => appBridge.getState().saleorApiUrl || null,
    snapshot: () => (current ??= compute()),
    subscribe: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    openInNewTab: async (url) => {
      if (!isSafeExternalUrl(url)) throw new Error("Refusing to open a non-http(s) URL");
      // The iframe is sandboxed without allow-popups-to-escape-sandbox: a tab opened from
      // here would inherit the sandbox. With newContext the Dashboard opens it itself.
      try {
        await appBridge.dispatch(actions.Redirect({ to: url, newContext: true }));
      } catch (error) {
        // No answer from the Dashboard (or no secure context for the action ID):
        // open it from here rather than do nothing.
        console.warn("AppBridge redirect failed, opening the tab from the iframe", error);
        openWithWindow(url, win);
      }
    },
    notify: (status, title, text) => {
      try {
        appBridge.dispatch(actions.Notification({ status, title, text })).catch(() => undefined);
      } catch {
        /* no secure context: the in-app banner is enough */
      }
    },
    updateRoute: (path) => {
      try {
        appBridge.dispatch(actions.UpdateRouting({ newRoute: path })).catch(() => undefined);
      } catch {
        /* no secure context: the Dashboard's URL stays where it was */
      }
    },
    openDashboardPage: async (path) => {
      try {
        // A path starting with "/" is the Dashboard's own route: it navigates there.
        await appBridge.dispatch(actions.Redirect({ to: path }));
        return true;
      } catch {
        return false;
      }
    },
  };
}

/** The host for this page: AppBridge when framed by the Dashboard, standalone otherwise. */
export function createHost(win: Window = window): Host {
  if (isInIframe(win)) {
    try {
      return createDashboardHost(new AppBridge(), win);
    } catch (error) {
      console.error("AppBridge could not start", error);
    }
  }
  return createStandaloneHost(win);
}
