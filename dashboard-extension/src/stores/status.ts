import type { AmazonStore, StoreStatus } from "../lib/types";
import type { BadgeTone } from "../ui";

export type StatusPresentation = {
  tone: BadgeTone;
  /** The store needs the merchant: shown prominently, with Reconnect at hand. */
  needsAttention: boolean;
  /** The connect action of the card: first connection, renewal, or none (already connected). */
  connectAction: "connect" | "reconnect" | null;
};

const PRESENTATION: Record<StoreStatus, StatusPresentation> = {
  NOT_CONNECTED: { tone: "neutral", needsAttention: false, connectAction: "connect" },
  CONNECTED: { tone: "success", needsAttention: false, connectAction: null },
  AUTHORIZATION_EXPIRING: { tone: "warning", needsAttention: true, connectAction: "reconnect" },
  AUTHORIZATION_EXPIRED: { tone: "critical", needsAttention: true, connectAction: "reconnect" },
  AUTHORIZATION_REVOKED: { tone: "critical", needsAttention: true, connectAction: "reconnect" },
  ERROR: { tone: "critical", needsAttention: true, connectAction: "reconnect" },
};

/** Unknown statuses (a newer backend) are shown as errors, with Reconnect. */
export function statusPresentation(status: string): StatusPresentation {
  return PRESENTATION[status as StoreStatus] ?? PRESENTATION.ERROR;
}

export type StoreAction = "connect" | "reconnect" | "view" | "activate" | "deactivate" | "delete";

/** The card's actions, in display order. */
export function storeActions(store: Pick<AmazonStore, "status" | "isActive">): StoreAction[] {
  const actions: StoreAction[] = [];
  const connect = statusPresentation(store.status).connectAction;
  if (connect) actions.push(connect);
  actions.push("view", store.isActive ? "deactivate" : "activate", "delete");
  return actions;
}

/** What the card and the store page show beyond the status itself. */
export type StoreState = {
  /** A consent is under way: "Waiting for Amazon", and Connect becomes "Open Amazon again". */
  pending: boolean;
  /** The last attempt or check failed, and nothing succeeded since: show it, with its date. */
  failure: NonNullable<AmazonStore["lastFailure"]> | null;
  /** The authorization has an end date worth showing (not once revoked, not when never connected). */
  showsExpiry: boolean;
  /** Check connection can work: there is an authorization to check. */
  canCheck: boolean;
  /** Disconnect can work: the store is linked to a seller. */
  canDisconnect: boolean;
  /** The Active badge reads as healthy (green) only beside a working connection. */
  activeTone: BadgeTone;
};

export function storeState(
  store: Pick<AmazonStore, "status" | "isActive" | "sellingPartnerId" | "lastFailure" | "connectionPendingSince">,
  localPending = false,
): StoreState {
  const linked = Boolean(store.sellingPartnerId);
  const healthy = store.status === "CONNECTED" || store.status === "AUTHORIZATION_EXPIRING";
  return {
    pending: localPending || Boolean(store.connectionPendingSince),
    failure: store.lastFailure ?? null,
    showsExpiry: linked && store.status !== "AUTHORIZATION_REVOKED",
    canCheck: linked,
    canDisconnect: linked,
    activeTone: store.isActive && healthy ? "success" : "neutral",
  };
}
