import { Box, Button, Text } from "@saleor/macaw-ui";
import { useId } from "react";
import { useI18n } from "../i18n";
import { countryFlag } from "../lib/flags";
import { statusPresentation, storeActions, type StoreAction } from "../lib/status";
import type { AmazonStore } from "../lib/types";
import { ActiveBadge, Facts, StatusBadge, ToneText } from "./ui";

export type StoreCardProps = {
  store: AmazonStore;
  busy: StoreAction | null;
  onAction: (action: StoreAction, store: AmazonStore) => void;
};

export function StoreCard({ store, busy, onAction }: StoreCardProps) {
  const i18n = useI18n();
  const { t, formatDate, formatDateTime, countryName } = i18n;
  const titleId = useId();
  const presentation = statusPresentation(store.status);
  const actions = storeActions(store);
  const flag = countryFlag(store.marketplace.countryCode);
  const borderColor = presentation.needsAttention
    ? presentation.tone === "warning"
      ? "warning1"
      : "critical1"
    : "default1";

  const label: Record<StoreAction, string> = {
    connect: t("action.connect"),
    reconnect: t("action.reconnect"),
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
      display="flex"
      flexDirection="column"
      gap={4}
      padding={5}
      borderRadius={4}
      borderStyle="solid"
      borderWidth={1}
      borderColor={borderColor}
      backgroundColor="default1"
      __borderLeftWidth={presentation.needsAttention ? "6px" : undefined}
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
          <ActiveBadge active={store.isActive} />
        </Box>
      </Box>

      <Facts
        items={[
          [t("card.channel"), store.channel ? store.channel.name : t("card.channelDeleted")],
          [t("card.sellerId"), store.sellingPartnerId || t("app.none")],
          [t("card.authorizationExpires"), formatDate(store.authorizationExpiresAt)],
          [t("card.created"), formatDateTime(store.created)],
          [t("card.updated"), formatDateTime(store.updatedAt)],
          store.lastError && presentation.needsAttention ? [t("card.lastError"), store.lastError] : null,
        ]}
      />

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
            variant={action === "connect" || action === "reconnect" ? "primary" : action === "delete" ? "error" : "secondary"}
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
