import { Box, Button, Text } from "@saleor/macaw-ui";
import { useId } from "react";
import { useI18n } from "../i18n";
import { countryFlag } from "../lib/flags";
import { statusPresentation, storeActions, storeState, type StoreAction, type StoreState } from "./status";
import type { AmazonStore } from "../lib/types";
import { failureReasonText, lastErrorText } from "./wording";
import { Facts, outline, ToneText } from "../ui";
import { ActiveBadge, PendingBadge, StatusBadge } from "./badges";

export type StoreCardProps = {
  store: AmazonStore;
  busy: StoreAction | null;
  /** This tab started a consent for the store (before the server says so). */
  pending?: boolean;
  onAction: (action: StoreAction, store: AmazonStore) => void;
};

/**
 * What happened to the store, beyond its status: a consent waiting for Amazon, the last failure
 * and when (a failed first connection leaves the status at "Not connected": this says why).
 */
export function StoreStateNotes({
  store,
  pending,
  failure,
}: {
  store: Pick<AmazonStore, "connectionPendingSince">;
  pending: boolean;
  failure: StoreState["failure"];
}) {
  const i18n = useI18n();
  const { t, formatDateTime } = i18n;
  const time = store.connectionPendingSince
    ? new Intl.DateTimeFormat(i18n.locale, { timeStyle: "short" }).format(new Date(store.connectionPendingSince))
    : new Intl.DateTimeFormat(i18n.locale, { timeStyle: "short" }).format(new Date());
  return (
    <>
      {pending && (
        <ToneText as="p" size={3} tone="warning" data-testid="store-pending-note">
          {t("card.pendingSince", { time })}
        </ToneText>
      )}
      {failure && !pending && (
        // A cancellation on Amazon is the merchant's own choice: said plainly, not in red.
        <ToneText
          as="p"
          size={3}
          tone={failure.reason === "CANCELLED" ? "warning" : "critical"}
          data-testid="store-last-failure"
          data-reason={failure.reason ?? ""}
        >
          {failure.reason === "CANCELLED"
            ? t("card.lastCancelled", { date: formatDateTime(failure.date) })
            : t(failure.type === "CHECK_FAILED" ? "card.checkFailed" : "card.lastFailure", {
                date: formatDateTime(failure.date),
                reason: failureReasonText(i18n, failure),
              })}
        </ToneText>
      )}
    </>
  );
}

/** How many of the store's Amazon orders wait for a fix (lost and found), in the warning tone. */
export function OrdersWaiting({ count }: { count: number }) {
  const { t } = useI18n();
  return (
    <ToneText size={3} tone="warning" fontWeight="medium" data-testid="orders-waiting-count" data-count={String(count)}>
      {t("orders.cardValue", { count })}
    </ToneText>
  );
}

export function StoreCard({ store, busy, pending = false, onAction }: StoreCardProps) {
  const i18n = useI18n();
  const { t, formatDate, formatDateTime, countryName } = i18n;
  const titleId = useId();
  const presentation = statusPresentation(store.status);
  const state = storeState(store, pending);
  const actions = storeActions(store);
  const flag = countryFlag(store.marketplace.countryCode);
  const attention = presentation.needsAttention || (state.failure !== null && state.failure.reason !== "CANCELLED");
  const borderColor = attention ? (presentation.tone === "warning" ? "warning1" : "critical1") : "default1";
  const lastError = lastErrorText(i18n, store);

  const label: Record<StoreAction, string> = {
    connect: state.pending ? t("action.openAmazonAgain") : t("action.connect"),
    reconnect: state.pending ? t("action.openAmazonAgain") : t("action.reconnect"),
    view: t("action.view"),
    activate: t("action.activate"),
    deactivate: t("action.deactivate"),
    delete: t("action.delete"),
  };

  return (
    <Box
      as="article"
      aria-labelledby={titleId}
      data-testid="store-card"
      data-store-id={store.id}
      data-status={store.status}
      data-pending={String(state.pending)}
      display="flex"
      flexDirection="column"
      gap={4}
      padding={5}
      {...outline(borderColor)}
      backgroundColor="default1"
      __borderLeftWidth={attention ? "6px" : undefined}
    >
      <Box display="flex" justifyContent="space-between" alignItems="flex-start" gap={3} flexWrap="wrap">
        <Box display="flex" flexDirection="column" gap={1}>
          <Text as="h3" id={titleId} size={7} fontWeight="bold" data-testid="store-name">
            {store.name}
          </Text>
          <Text size={3} color="default2" data-testid="store-marketplace">
            {flag && (
              <span role="img" aria-hidden="true">
                {flag}{" "}
              </span>
            )}
            {countryName(store.marketplace.countryCode, store.marketplace.countryName)} · {store.marketplace.domain}
          </Text>
        </Box>
        <Box display="flex" gap={2} alignItems="center" flexWrap="wrap">
          <StatusBadge status={store.status} />
          {state.pending && <PendingBadge />}
          <ActiveBadge active={store.isActive} tone={state.activeTone} />
        </Box>
      </Box>

      <Facts
        items={[
          [t("card.channel"), store.channel ? store.channel.name : t("card.channelDeleted")],
          [t("card.sellerId"), store.sellingPartnerId || t("app.none")],
          state.showsExpiry
            ? [t("card.authorizationExpires"), formatDate(store.authorizationExpiresAt)]
            : store.status === "AUTHORIZATION_REVOKED"
              ? [t("card.authorizationExpires"), t("card.revokedOn")]
              : null,
          [t("card.created"), formatDateTime(store.created)],
          [t("card.updated"), formatDateTime(store.updatedAt)],
          lastError && presentation.needsAttention ? [t("card.lastError"), lastError] : null,
          store.orderSync && store.orderSync.waitingOrders > 0
            ? [t("orders.card"), <OrdersWaiting key="orders" count={store.orderSync.waitingOrders} />]
            : null,
          store.catalogMatchRun?.status === "SUCCEEDED"
            ? [t("catalog.card"), t("catalog.cardValue", { matched: store.catalogMatchRun.counts.matched, total: store.catalogMatchRun.counts.total })]
            : null,
        ]}
      />

      <StoreStateNotes store={store} pending={state.pending} failure={state.failure} />

      {presentation.needsAttention && (
        <ToneText as="p" size={3} tone={presentation.tone === "warning" ? "warning" : "critical"} data-testid="store-status-hint">
          {i18n.tDynamic(`statusHint.${store.status}`, "statusHint.ERROR")}
        </ToneText>
      )}

      {/* Right-aligned, the main action last (Delete first), as in Saleor's save bar: the Dashboard's
          announcement card covers the frame's bottom-left corner at 1280×800. */}
      <Box display="flex" gap={2} flexWrap="wrap" justifyContent="flex-end" role="group" aria-label={t("card.actions", { name: store.name })}>
        {[...actions.filter((a) => a === "delete"), ...actions.filter((a) => a !== "delete" && a !== "connect" && a !== "reconnect"), ...actions.filter((a) => a === "connect" || a === "reconnect")].map((action) => (
          <Button
            key={action}
            variant={
              (action === "connect" || action === "reconnect") && !state.pending
                ? "primary"
                : action === "delete"
                  ? "error"
                  : "secondary"
            }
            size="medium"
            disabled={busy !== null}
            onClick={() => onAction(action, store)}
            data-action={action}
          >
            {busy === action ? t("action.working") : label[action]}
          </Button>
        ))}
      </Box>
    </Box>
  );
}
