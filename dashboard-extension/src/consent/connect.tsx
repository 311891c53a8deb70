import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { useFlash, useServices } from "../context";
import { useI18n, type I18n } from "../i18n";
import { connectStore, fetchStore } from "../lib/api";
import { listenForConnectResults, reasonMessageKey, rememberLocale, type ConnectResult } from "./connectResult";
import type { AmazonStore } from "../lib/types";
import { describeStoreError, failureReasonText, lastErrorText } from "../stores/wording";

/** How often the Dashboard tab looks at a store whose consent tab is open (fallback for BroadcastChannel). */
export const POLL_INTERVAL_MS = 5000;
/** How long a connection is awaited (the plugin's state is valid for 15 minutes). */
export const PENDING_TTL_MS = 15 * 60 * 1000;

type Pending = { id: string; name: string; status: string; updatedAt: string; since: number; failureDate: string | null };

type ConnectState = {
  /** Start (or renew) the connection of a store: opens Amazon's consent page in a new tab. */
  startConnect: (store: Pick<AmazonStore, "id" | "name" | "status" | "updatedAt" | "lastFailure">) => Promise<void>;
  /** The store whose connection is being started (button busy), or null. */
  starting: string | null;
  /** Bumped when a store changed because of a connection: pages refetch. */
  refreshKey: number;
  /** Stores whose consent this tab started and Amazon has not answered yet. */
  pendingIds: readonly string[];
};

const ConnectContext = createContext<ConnectState>({
  startConnect: async () => undefined,
  starting: null,
  refreshKey: 0,
  pendingIds: [],
});

/** The text shown in the Dashboard tab for a result received from the consent tab. */
export function connectResultText(i18n: I18n, result: Pick<ConnectResult, "outcome" | "reason">, name: string | null): string {
  const reason = i18n.t(reasonMessageKey(result.reason));
  switch (result.outcome) {
    case "connected":
      return name ? i18n.t("home.connected", { name }) : i18n.t("home.connectedUnknown");
    case "cancelled":
      return name ? i18n.t("home.connectCancelled", { name }) : i18n.t("home.connectCancelledUnknown");
    default:
      return name ? i18n.t("home.connectFailed", { name, reason }) : i18n.t("home.connectFailedUnknown", { reason });
  }
}

export function ConnectProvider({ children }: { children: ReactNode }) {
  const { api, host } = useServices();
  const i18n = useI18n();
  const { showFlash } = useFlash();
  const [starting, setStarting] = useState<string | null>(null);
  const [refreshKey, setRefreshKey] = useState(0);
  const pending = useRef(new Map<string, Pending>());
  const [pendingIds, setPendingIds] = useState<readonly string[]>([]);
  const pendingCount = pendingIds.length;
  const setPendingCount = useCallback(() => setPendingIds([...pending.current.keys()]), []);
  // Callbacks that outlive a render read the current language through a ref, kept up to date after each commit.
  const i18nRef = useRef(i18n);
  useEffect(() => {
    i18nRef.current = i18n;
  }, [i18n]);

  const settle = useCallback((id: string | null) => {
    if (id) pending.current.delete(id);
    setPendingCount();
    setRefreshKey((key) => key + 1);
  }, [setPendingCount]);

  // The consent tab broadcasts its result (same origin as this iframe).
  useEffect(
    () =>
      listenForConnectResults((message) => {
        const name = (message.storeId && pending.current.get(message.storeId)?.name) || null;
        showFlash({
          tone: message.outcome === "connected" ? "success" : message.outcome === "cancelled" ? "warning" : "critical",
          text: connectResultText(i18nRef.current, message, name),
        });
        settle(message.storeId);
      }),
    [settle, showFlash],
  );

  // Fallback when the broadcast cannot arrive (storage partitioning when the Dashboard is on
  // another site): look at the pending stores on focus and every few seconds.
  useEffect(() => {
    if (pendingCount === 0) return;
    let stopped = false;
    const check = async () => {
      for (const entry of [...pending.current.values()]) {
        if (Date.now() - entry.since > PENDING_TTL_MS) {
          pending.current.delete(entry.id);
          continue;
        }
        try {
          const store = await fetchStore(api, entry.id);
          if (stopped || !pending.current.has(entry.id)) continue;
          if (!store) {
            settle(entry.id);
          } else if (store.updatedAt !== entry.updatedAt || store.status !== entry.status) {
            if (store.status === "CONNECTED" && (entry.status !== "CONNECTED" || store.updatedAt !== entry.updatedAt)) {
              showFlash({ tone: "success", text: i18nRef.current.t("home.connected", { name: store.name }) });
              settle(entry.id);
            } else if (
              store.status === "ERROR" ||
              store.status === "AUTHORIZATION_REVOKED" ||
              (store.lastFailure && store.lastFailure.date !== entry.failureDate)
            ) {
              const reason = store.lastFailure
                ? failureReasonText(i18nRef.current, store.lastFailure)
                : lastErrorText(i18nRef.current, store) || i18nRef.current.t("reason.UNKNOWN");
              showFlash({ tone: "critical", text: i18nRef.current.t("home.connectFailed", { name: store.name, reason }) });
              settle(entry.id);
            } else {
              entry.updatedAt = store.updatedAt;
              entry.status = store.status;
            }
          }
        } catch {
          /* transient: try again at the next tick */
        }
      }
      setPendingCount();
    };
    const timer = window.setInterval(check, POLL_INTERVAL_MS);
    const onFocus = () => void check();
    window.addEventListener("focus", onFocus);
    document.addEventListener("visibilitychange", onFocus);
    return () => {
      stopped = true;
      window.clearInterval(timer);
      window.removeEventListener("focus", onFocus);
      document.removeEventListener("visibilitychange", onFocus);
    };
  }, [api, pendingCount, settle, showFlash, setPendingCount]);

  const startConnect = useCallback<ConnectState["startConnect"]>(
    async (store) => {
      const t = i18nRef.current;
      setStarting(store.id);
      try {
        const result = await connectStore(api, store.id);
        if (result.errors.length > 0 || !result.consentUrl) {
          const text = result.errors.map((error) => describeStoreError(t, error)).join(" ") || t.t("reason.UNKNOWN");
          showFlash({ tone: "critical", text: t.t("home.connectFailed", { name: store.name, reason: text }) });
          setRefreshKey((key) => key + 1);
          return;
        }
        const after = result.amazonStore;
        pending.current.set(store.id, {
          id: store.id,
          name: store.name,
          status: after?.status ?? store.status,
          updatedAt: after?.updatedAt ?? store.updatedAt,
          since: Date.now(),
          failureDate: after?.lastFailure?.date ?? store.lastFailure?.date ?? null,
        });
        setPendingCount();
        showFlash({
          tone: "info",
          title: t.t("home.connectStartedTitle"),
          text: t.t("home.connectStarted"),
          link: { href: result.consentUrl, label: t.t("home.connectOpenLink"), hint: t.t("home.connectPopupHint") },
        });
        rememberLocale(t.locale);
        await host.openInNewTab(result.consentUrl);
      } catch (error) {
        showFlash({
          tone: "critical",
          text: t.t("home.connectFailed", {
            name: store.name,
            reason: error instanceof Error ? error.message : String(error),
          }),
        });
      } finally {
        setStarting(null);
      }
    },
    [api, host, showFlash, setPendingCount],
  );

  const value = useMemo(
    () => ({ startConnect, starting, refreshKey, pendingIds }),
    [startConnect, starting, refreshKey, pendingIds],
  );
  return <ConnectContext.Provider value={value}>{children}</ConnectContext.Provider>;
}

export function useConnect(): ConnectState {
  return useContext(ConnectContext);
}
