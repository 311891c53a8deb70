import type { AmazonStore, StoreStatus } from "./types";

export type BadgeTone = "neutral" | "success" | "warning" | "critical";

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
