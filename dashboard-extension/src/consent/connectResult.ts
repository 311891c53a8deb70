/**
 * The return from Amazon. When the consent tab is done, the plugin redirects it to
 *   <plugin>/app/?connectResult=connected|error|cancelled&reason=<CODE>&store=<AmazonStore id>
 * That page (no Dashboard, no token) shows the result and broadcasts it to the Dashboard tab
 * on a BroadcastChannel of the same origin.
 */

export const BROADCAST_CHANNEL_NAME = "saleor-amazon-channel";
export const CONNECT_RESULT_MESSAGE = "amazon-connect-result";
const LOCALE_STORAGE_KEY = "saleor-amazon-channel.locale";

export const CONNECT_OUTCOMES = ["connected", "error", "cancelled"] as const;
export type ConnectOutcome = (typeof CONNECT_OUTCOMES)[number];

// The reason codes are generated from the plugin's outcomes module (one vocabulary on both sides).
export { REASON_CODES } from "../lib/outcomes.generated";
import { REASON_CODES } from "../lib/outcomes.generated";
export type ReasonCode = (typeof REASON_CODES)[number];

export type ConnectResult = {
  outcome: ConnectOutcome;
  /** The reason code as received (upper-cased), or null. */
  reason: string | null;
  /** True when `reason` is one of the documented codes (else show the generic text). */
  knownReason: boolean;
  /** The AmazonStore global ID, or null. */
  storeId: string | null;
};

export type ConnectResultMessage = { type: typeof CONNECT_RESULT_MESSAGE } & ConnectResult;

/** Reads `?connectResult=...`; null when the URL is not a connect result. */
export function parseConnectResult(search: string | URLSearchParams): ConnectResult | null | "invalid" {
  const params = typeof search === "string" ? new URLSearchParams(search) : search;
  if (!params.has("connectResult")) return null;
  const raw = (params.get("connectResult") ?? "").trim().toLowerCase();
  if (!(CONNECT_OUTCOMES as readonly string[]).includes(raw)) return "invalid";
  const outcome = raw as ConnectOutcome;
  const reasonRaw = (params.get("reason") ?? "").trim().toUpperCase();
  const reason = /^[A-Z0-9_]{1,64}$/.test(reasonRaw) ? reasonRaw : null;
  const store = (params.get("store") ?? "").trim();
  return {
    outcome,
    reason: reason ?? (outcome === "cancelled" ? "CANCELLED" : null),
    knownReason: reason ? (REASON_CODES as readonly string[]).includes(reason) : outcome === "cancelled",
    storeId: store && store.length <= 200 ? store : null,
  };
}

/** The message key that explains a reason code. */
export function reasonMessageKey(reason: string | null | undefined): `reason.${ReasonCode}` | "reason.UNKNOWN" {
  return reason && (REASON_CODES as readonly string[]).includes(reason)
    ? (`reason.${reason}` as `reason.${ReasonCode}`)
    : "reason.UNKNOWN";
}

export function isConnectResultMessage(data: unknown): data is ConnectResultMessage {
  if (!data || typeof data !== "object") return false;
  const message = data as Partial<ConnectResultMessage>;
  return (
    message.type === CONNECT_RESULT_MESSAGE &&
    typeof message.outcome === "string" &&
    (CONNECT_OUTCOMES as readonly string[]).includes(message.outcome)
  );
}

export function toMessage(result: ConnectResult): ConnectResultMessage {
  return { type: CONNECT_RESULT_MESSAGE, ...result };
}

/** Post the result to the other tabs of this origin. Returns false when BroadcastChannel is missing. */
export function broadcastConnectResult(result: ConnectResult): boolean {
  if (typeof BroadcastChannel === "undefined") return false;
  const channel = new BroadcastChannel(BROADCAST_CHANNEL_NAME);
  try {
    channel.postMessage(toMessage(result));
  } finally {
    channel.close();
  }
  return true;
}

/** Listen for results from the consent tab. Returns the unsubscribe function. */
export function listenForConnectResults(onResult: (message: ConnectResultMessage) => void): () => void {
  if (typeof BroadcastChannel === "undefined") return () => undefined;
  const channel = new BroadcastChannel(BROADCAST_CHANNEL_NAME);
  channel.onmessage = (event: MessageEvent) => {
    if (isConnectResultMessage(event.data)) onResult(event.data);
  };
  return () => channel.close();
}

/**
 * Remember the Dashboard's language for the consent tab's result page, whose URL (built by the plugin)
 * carries none. Same origin, so it works where the broadcast does; where storage is blocked or
 * partitioned, the result page falls back to the browser's languages.
 */
export function rememberLocale(locale: string): void {
  try {
    window.localStorage.setItem(LOCALE_STORAGE_KEY, locale);
  } catch {
    /* storage unavailable */
  }
}

export function rememberedLocale(): string | null {
  try {
    return window.localStorage.getItem(LOCALE_STORAGE_KEY);
  } catch {
    return null;
  }
}
