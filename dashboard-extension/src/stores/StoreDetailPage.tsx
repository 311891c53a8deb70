import { Box, Button, Text } from "@saleor/macaw-ui";
import { useState } from "react";
import { CatalogSection } from "../catalog/CatalogSection";
import { ListingsSection } from "../listings/ListingsSection";
import { OrdersSection } from "../orders/OrdersSection";
import { RulesSection } from "../rules/RulesSection";
import { OrdersWaiting, StoreStateNotes } from "./StoreCard";
import {
  Banner,
  ConfirmDialog,
  DataTable,
  ErrorState,
  Facts,
  FlashBanner,
  Loading,
  MoreActions,
  PageHeader,
  Section,
  TextLink,
  ToneText,
} from "../ui";
import { ActiveBadge, PendingBadge, StatusBadge } from "./badges";
import { useConnect } from "../consent/connect";
import { useAsync, useFlash, useServices } from "../context";
import { useI18n } from "../i18n";
import { checkStoreConnection, deleteStore, disconnectStore, fetchStore, updateStore } from "../lib/api";
import { countryFlag } from "../lib/flags";
import { navigate, routeHash } from "../lib/router";
import { statusPresentation, storeState } from "./status";
import { actorText, describeStoreError, eventText, lastErrorText } from "./wording";
import { StoreFormPage } from "./StoreFormPage";
import type { AmazonStoreError } from "../lib/types";
import { isSafeExternalUrl } from "../lib/urls";

type Busy = "check" | "disconnect" | "activate" | "delete" | null;

export function StoreDetailPage({ storeId }: { storeId: string }) {
  const i18n = useI18n();
  const { t, formatDate, formatDateTime, countryName } = i18n;
  const { api } = useServices();
  const { showFlash } = useFlash();
  const { startConnect, starting, refreshKey } = useConnect();
  const store = useAsync(() => fetchStore(api, storeId), [api, storeId, refreshKey]);
  const [busy, setBusy] = useState<Busy>(null);
  const [confirm, setConfirm] = useState<"disconnect" | "delete" | null>(null);

  const back = { href: routeHash({ name: "home" }), label: t("app.title") };
  if (store.loading && !store.data) return <Loading />;
  if (store.error && !store.data) {
    return (
      <Box>
        <PageHeader title={t("app.title")} back={back} />
        <ErrorState error={store.error} onRetry={store.reload} />
      </Box>
    );
  }
  const s = store.data;
  if (!s) {
    return (
      <Box>
        <PageHeader title={t("app.title")} back={back} />
        <Banner tone="critical" testId="not-found">
          <Text>{t("detail.notFound")}</Text>
        </Banner>
      </Box>
    );
  }

  const presentation = statusPresentation(s.status);
  const state = storeState(s, starting === s.id);
  const errorsText = (errors: AmazonStoreError[]) => errors.map((error) => describeStoreError(i18n, error)).join(" ");
  const run = async (kind: Exclude<Busy, null>, action: () => Promise<void>) => {
    setBusy(kind);
    try {
      await action();
    } catch (error) {
      showFlash({ tone: "critical", text: t("error.generic", { message: error instanceof Error ? error.message : String(error) }) });
    } finally {
      setBusy(null);
    }
  };

  const check = () =>
    run("check", async () => {
      const result = await checkStoreConnection(api, s.id);
      if (result.errors.length > 0) showFlash({ tone: "critical", text: errorsText(result.errors) });
      else if (result.amazonStore) {
        const status = i18n.tDynamic(`status.${result.amazonStore.status}`, "status.ERROR");
        const ok = !statusPresentation(result.amazonStore.status).needsAttention;
        showFlash({ tone: ok ? "success" : "warning", text: t("detail.checked", { status }) });
      }
      await store.reload();
    });

  const disconnect = () =>
    run("disconnect", async () => {
      const result = await disconnectStore(api, s.id);
      setConfirm(null);
      if (result.errors.length > 0) showFlash({ tone: "critical", text: errorsText(result.errors) });
      else showFlash({ tone: "success", text: t("detail.disconnected") });
      await store.reload();
    });

  const toggleActive = () =>
    run("activate", async () => {
      const result = await updateStore(api, s.id, { isActive: !s.isActive });
      if (result.errors.length > 0) showFlash({ tone: "critical", text: errorsText(result.errors) });
      else showFlash({ tone: "success", text: t(s.isActive ? "home.deactivated" : "home.activated", { name: s.name }) });
      await store.reload();
    });

  const remove = () =>
    run("delete", async () => {
      const result = await deleteStore(api, s.id);
      setConfirm(null);
      if (result.errors.length > 0) {
        showFlash({ tone: "critical", text: errorsText(result.errors) });
        return;
      }
      showFlash({ tone: "success", text: t("home.deleted", { name: s.name }), carry: true });
      navigate({ name: "home" });
    });

  const connectLabel = state.pending
    ? t("action.openAmazonAgain")
    : presentation.connectAction === "connect"
      ? t("action.connect")
      : t("action.reconnect");
  const identifier =
    s.productIdentifier.source === "VARIANT_SKU"
      ? t("detail.identifierFromSku", { type: s.productIdentifier.type })
      : t("detail.identifierFromAttribute", { type: s.productIdentifier.type, attribute: s.productIdentifier.attribute ?? "" });
  const flag = countryFlag(s.marketplace.countryCode);
  const disabled = busy !== null || starting !== null;
  const lastError = lastErrorText(i18n, s);

  return (
    <Box data-testid="store-detail" data-store-id={s.id} data-status={s.status} data-pending={String(state.pending)}>
      <PageHeader
        title={s.name}
        back={back}
        actions={
          <>
            <StatusBadge status={s.status} />
            {state.pending && <PendingBadge />}
            <ActiveBadge active={s.isActive} tone={state.activeTone} />
            {presentation.connectAction && (
              <Button variant={state.pending ? "secondary" : "primary"} disabled={disabled} onClick={() => startConnect(s)} data-action="connect">
                {starting === s.id ? t("action.working") : connectLabel}
              </Button>
            )}
            <MoreActions
              items={[
                ...(state.canCheck
                  ? [{ key: "check", label: busy === "check" ? t("action.working") : t("action.checkConnection"), onSelect: check, disabled }]
                  : []),
                ...(state.canDisconnect
                  ? [{ key: "disconnect", label: t("action.disconnect"), onSelect: () => setConfirm("disconnect"), disabled }]
                  : []),
                {
                  key: s.isActive ? "deactivate" : "activate",
                  label: busy === "activate" ? t("action.working") : s.isActive ? t("action.deactivate") : t("action.activate"),
                  onSelect: toggleActive,
                  disabled,
                },
              ]}
            />
          </>
        }
      />
      <FlashBanner />

      <Box display="grid" __gridTemplateColumns="repeat(auto-fit, minmax(min(100%, 360px), 1fr))" gap={5} marginBottom={5}>
        <Section title={t("detail.authorization")}>
          <Facts
            items={[
              [t("card.status"), <StatusBadge key="status" status={s.status} />],
              [t("card.sellerId"), s.sellingPartnerId || t("app.none")],
              [t("detail.authorizedAt"), formatDateTime(s.authorizedAt)],
              state.showsExpiry ? [t("detail.expiresAt"), formatDate(s.authorizationExpiresAt)] : null,
              [t("detail.lastCheckedAt"), formatDateTime(s.lastCheckedAt)],
              lastError && presentation.needsAttention ? [t("card.lastError"), lastError] : null,
              s.orderSync && s.orderSync.waitingOrders > 0
                ? [t("orders.card"), <OrdersWaiting key="orders" count={s.orderSync.waitingOrders} />]
                : null,
            ]}
          />
          <StoreStateNotes store={s} pending={state.pending} failure={state.failure} />
          {presentation.needsAttention && (
            <ToneText as="p" size={3} tone={presentation.tone === "warning" ? "warning" : "critical"} data-testid="status-hint">
              {i18n.tDynamic(`statusHint.${s.status}`, "statusHint.ERROR")}
            </ToneText>
          )}
          {isSafeExternalUrl(s.marketplace.sellerCentralUrl) && (
            <Box>
              <TextLink href={s.marketplace.sellerCentralUrl} external>
                {t("detail.openSellerCentral")}
              </TextLink>
            </Box>
          )}
        </Section>
        <Section title={t("detail.details")}>
          <Facts
            items={[
              [t("card.marketplace"), `${flag ? `${flag} ` : ""}${countryName(s.marketplace.countryCode, s.marketplace.countryName)}`],
              [t("detail.domain"), s.marketplace.domain],
              [t("detail.marketplaceId"), s.marketplace.id],
              [t("card.channel"), s.channel ? `${s.channel.name} (${s.channel.slug})` : t("card.channelDeleted")],
              [t("detail.contactEmail"), s.contactEmail],
              [t("detail.productIdentifier"), identifier],
              [t("card.created"), formatDateTime(s.created)],
              [t("card.updated"), formatDateTime(s.updatedAt)],
            ]}
          />
        </Section>
      </Box>

      <Box marginBottom={5}>
        <StoreFormPage
          storeId={s.id}
          embedded={{ onDelete: () => setConfirm("delete"), onSaved: () => void store.reload(), busy: disabled }}
        />
      </Box>

      <Box display="flex" flexDirection="column" gap={5}>
        <CatalogSection store={s} />
        <ListingsSection store={s} />
        <RulesSection store={s} />
        <OrdersSection store={s} />
        <Section title={t("detail.participations")}>
          {s.participations.length === 0 ? (
            <Text color="default2">{t("detail.participationsEmpty")}</Text>
          ) : (
            <DataTable
              testId="participations"
              rows={s.participations}
              rowKey={(p) => p.marketplace.id}
              columns={[
                {
                  header: t("detail.col.marketplace"),
                  cell: (p) => (
                    <Text size={3}>
                      {countryFlag(p.marketplace.countryCode)} {countryName(p.marketplace.countryCode, p.marketplace.countryName)} ({p.marketplace.domain})
                    </Text>
                  ),
                },
                { header: t("detail.col.storeName"), cell: (p) => <Text size={3}>{p.storeName || t("app.none")}</Text> },
                {
                  header: t("detail.col.participating"),
                  cell: (p) => (
                    <Text size={3} color={p.isParticipating ? "success1" : "critical1"}>
                      {p.isParticipating ? t("app.yes") : t("app.no")}
                    </Text>
                  ),
                },
                {
                  header: t("detail.col.suspended"),
                  cell: (p) => (
                    <Text size={3} color={p.hasSuspendedListings ? "critical1" : "default1"}>
                      {p.hasSuspendedListings ? t("app.yes") : t("app.no")}
                    </Text>
                  ),
                },
              ]}
            />
          )}
        </Section>

        <Section title={t("detail.events")}>
          {s.events.length === 0 ? (
            <Text color="default2">{t("detail.eventsEmpty")}</Text>
          ) : (
            <DataTable
              testId="events"
              rows={s.events}
              rowKey={(event) => event.id}
              rowAttributes={(event) => ({ "data-event-type": event.type })}
              columns={[
                { header: t("detail.col.date"), nowrap: true, cell: (event) => <Text size={3}>{formatDateTime(event.date)}</Text> },
                {
                  header: t("detail.col.event"),
                  cell: (event) => (
                    <Text size={3} fontWeight="medium">
                      {i18n.tDynamic(`event.${event.type}`, "event.UPDATED")}
                    </Text>
                  ),
                },
                { header: t("detail.col.actor"), cell: (event) => <Text size={3}>{actorText(i18n, event)}</Text> },
                { header: t("detail.col.message"), cell: (event) => <Text size={3}>{eventText(i18n, event, s)}</Text> },
              ]}
            />
          )}
        </Section>
      </Box>

      <ConfirmDialog
        open={confirm === "disconnect"}
        title={t("disconnect.title", { name: s.name })}
        confirmLabel={t("disconnect.confirm")}
        busy={busy === "disconnect"}
        onCancel={() => setConfirm(null)}
        onConfirm={disconnect}
      >
        <Text as="p">{t("disconnect.body")}</Text>
        <ToneText as="p" tone="warning">
          {t("delete.amazonNote")}
        </ToneText>
      </ConfirmDialog>
      <ConfirmDialog
        open={confirm === "delete"}
        title={t("delete.title", { name: s.name })}
        confirmLabel={t("delete.confirm")}
        busy={busy === "delete"}
        onCancel={() => setConfirm(null)}
        onConfirm={remove}
      >
        <Text as="p">{t("delete.body")}</Text>
        <ToneText as="p" tone="warning">
          {t("delete.amazonNote")}
        </ToneText>
      </ConfirmDialog>
    </Box>
  );
}
