import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import type { GraphQLClient } from "./lib/graphql";
import type { Host } from "./lib/host";

export type FlashTone = "success" | "info" | "warning" | "critical";
export type Flash = { id: number; tone: FlashTone; text: string; link?: { href: string; label: string; hint?: string } };

export type AppServices = {
  host: Host;
  /** The plugin's GraphQL API (`<plugin>/graphql/`). */
  api: GraphQLClient;
  /** Saleor's own GraphQL API (channels, attributes). */
  saleor: GraphQLClient;
};

type FlashState = { flash: Flash | null; showFlash: (flash: Omit<Flash, "id">) => void; clearFlash: () => void };

const ServicesContext = createContext<AppServices | null>(null);
const FlashContext = createContext<FlashState>({ flash: null, showFlash: () => undefined, clearFlash: () => undefined });

export function AppServicesProvider({ services, children }: { services: AppServices; children: ReactNode }) {
  const [flash, setFlash] = useState<Flash | null>(null);
  const counter = useRef(0);
  const showFlash = useCallback((next: Omit<Flash, "id">) => setFlash({ ...next, id: ++counter.current }), []);
  const clearFlash = useCallback(() => setFlash(null), []);
  const flashState = useMemo(() => ({ flash, showFlash, clearFlash }), [flash, showFlash, clearFlash]);
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
