import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import type { GraphQLClient } from "./lib/graphql";
import type { Host } from "./lib/host";

export type FlashTone = "success" | "info" | "warning" | "critical";
export type Flash = {
  id: number;
  tone: FlashTone;
  text: string;
  /** A short title for the Dashboard's notification (the text follows it). */
  title?: string;
  link?: { href: string; label: string; hint?: string };
  /** Kept for the next screen (the action navigates after it); otherwise a screen change clears it. */
  carry?: boolean;
};

export type AppServices = {
  host: Host;
  /** The plugin's GraphQL API (`<plugin>/graphql/`). */
  api: GraphQLClient;
  /** Saleor's own GraphQL API (channels, attributes). */
  saleor: GraphQLClient;
};

type FlashState = {
  /** The in-page banner, when the message needs one (see bannerFor). */
  flash: Flash | null;
  showFlash: (flash: Omit<Flash, "id">) => void;
  clearFlash: () => void;
  /** The screen changed: a carried flash stays once, any other is cleared. */
  screenChanged: () => void;
  /** A save bar is on screen until the returned function is called (see needsBanner). */
  registerSavebar: () => () => void;
};

const ServicesContext = createContext<AppServices | null>(null);
const FlashContext = createContext<FlashState>({
  flash: null,
  showFlash: () => undefined,
  clearFlash: () => undefined,
  screenChanged: () => undefined,
  registerSavebar: () => () => undefined,
});

const NOTIFICATION_STATUS = { success: "success", info: "info", warning: "warning", critical: "error" } as const;

/**
 * Results go to the Dashboard's notifications (its toasts, as Saleor's own pages do). Inside the
 * Dashboard a success needs nothing more; what the merchant must act on (a failure, a warning, a
 * link to follow) also stays on the page as one banner. Standalone there is no Dashboard: banners.
 *
 * While the extension shows its save bar, nothing goes to the Dashboard's toasts: Saleor Dashboard
 * 3.23 stacks them bottom-right over the page (sonner's Toaster, 20px from the right, 10px from the
 * bottom) and lifts them above a save bar only when it is its own (SavebarRefContext's
 * isSavebarMounted); the app-bridge cannot tell it of the extension's bar, so its toasts would
 * cover Discard changes and Save. The message is then the page's banner, in the flow of the page:
 * it covers nothing.
 */
export function needsBanner(flash: Pick<Flash, "tone" | "link">, mode: Host["mode"], savebarShown = false): boolean {
  return mode !== "dashboard" || savebarShown || flash.tone !== "success" || Boolean(flash.link);
}

/** Whether the message goes to the host's notifications (the Dashboard's toasts; none standalone). */
export function needsToast(flash: Pick<Flash, "tone" | "link">, savebarShown: boolean): boolean {
  // A message with a link to follow stays on the page only: a toast cannot carry the link.
  return !savebarShown && !flash.link;
}

export function AppServicesProvider({ services, children }: { services: AppServices; children: ReactNode }) {
  const [flash, setFlash] = useState<Flash | null>(null);
  const counter = useRef(0);
  const savebars = useRef(0);
  const { host } = services;
  const showFlash = useCallback(
    (next: Omit<Flash, "id">) => {
      const savebarShown = savebars.current > 0;
      if (needsToast(next, savebarShown)) host.notify(NOTIFICATION_STATUS[next.tone], next.title ?? next.text, next.title ? next.text : undefined);
      setFlash(needsBanner(next, host.mode, savebarShown) ? { ...next, id: ++counter.current } : null);
    },
    [host],
  );
  const registerSavebar = useCallback(() => {
    savebars.current += 1;
    return () => {
      savebars.current -= 1;
    };
  }, []);
  const clearFlash = useCallback(() => setFlash(null), []);
  const screenChanged = useCallback(
    () => setFlash((current) => (current?.carry ? { ...current, carry: false } : null)),
    [],
  );
  const flashState = useMemo(
    () => ({ flash, showFlash, clearFlash, screenChanged, registerSavebar }),
    [flash, showFlash, clearFlash, screenChanged, registerSavebar],
  );
  return (
    <ServicesContext.Provider value={services}>
      <FlashContext.Provider value={flashState}>{children}</FlashContext.Provider>
    </ServicesContext.Provider>
  );
}

export function useServices(): AppServices {
  const services = useContext(ServicesContext);
  if (!services) throw new Error("useServices outside AppServicesProvider");
  return services;
}

/** The services, or null outside the app (the connect-result page). */
export function useOptionalServices(): AppServices | null {
  return useContext(ServicesContext);
}

export function useFlash(): FlashState {
  return useContext(FlashContext);
}

export type AsyncState<T> = {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => Promise<void>;
  setData: (data: T) => void;
};

/** Runs `load` on mount and when `deps` change; `reload` runs it again (keeping the old data meanwhile). */
export function useAsync<T>(load: () => Promise<T>, deps: unknown[]): AsyncState<T> {
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean }>({
    data: undefined,
    error: null,
    loading: true,
  });
  const generation = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  const run = useCallback(async () => {
    const mine = ++generation.current;
    setState((previous) => ({ ...previous, loading: true }));
    try {
      const data = await loadRef.current();
      if (mine === generation.current) setState({ data, error: null, loading: false });
    } catch (error) {
      if (mine === generation.current) setState((previous) => ({ ...previous, error, loading: false }));
    }
  }, []);

  useEffect(() => {
    void run();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);

  const setData = useCallback((data: T) => setState({ data, error: null, loading: false }), []);
  return { ...state, reload: run, setData };
}
