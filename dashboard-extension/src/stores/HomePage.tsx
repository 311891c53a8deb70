import { Box, Button, Text } from "@saleor/macaw-ui";
import { useState } from "react";
import { StoreCard } from "./StoreCard";
import { Banner, ConfirmDialog, ErrorState, FlashBanner, Loading, outline, PageHeader, TextLink, ToneText } from "../ui";
import { useConnect } from "../consent/connect";
import { describeStoreError } from "./wording";
import { useAsync, useFlash, useServices } from "../context";
import { useI18n } from "../i18n";
import { deleteStore, fetchStores, updateStore } from "../lib/api";
import { navigate, routeHash } from "../lib/router";
import { statusPresentation, type StoreAction } from "./status";
import type { AmazonStore } from "../lib/types";

export function HomePage() {
  const i18n = useI18n();
  const { t } = i18n;
  const { api } = useServices();
  const { showFlash } = useFlash();
  const { startConnect, starting, refreshKey, pendingIds } = useConnect();
  const stores = useAsync(() => fetchStores(api), [api, refreshKey]);
  const [busy, setBusy] = useState<{ id: string; action: StoreAction } | null>(null);
  const [toDelete, setToDelete] = useState<AmazonStore | null>(null);

  const list = stores.data ?? [];
  const attention = list.filter((store) => statusPresentation(store.status).needsAttention).length;
  // Before the first store, "Add Amazon Store" goes through the pre-configuration tasks (as in the seed).
  const addStoreRoute =
    stores.data && stores.data.length === 0 ? routeHash({ name: "setup", next: "new" }) : routeHash({ name: "create" });

  const reportErrors = (store: AmazonStore, errors: Parameters<typeof describeStoreError>[1][]) =>
    showFlash({
      tone: "critical",
      text: `${store.name}: ${errors.map((error) => describeStoreError(i18n, error)).join(" ")}`,
    });

  const onAction = async (action: StoreAction, store: AmazonStore) => {
    switch (action) {
      case "view":
        navigate({ name: "detail", id: store.id });
        return;
      case "connect":
      case "reconnect":
        await startConnect(store);
        return;
      case "delete":
        setToDelete(store);
        return;
      case "activate":
      case "deactivate": {
        setBusy({ id: store.id, action });
        try {
          const result = await updateStore(api, store.id, { isActive: action === "activate" });
          if (result.errors.length > 0) reportErrors(store, result.errors);
          else
            showFlash({
              tone: "success",
              text: t(action === "activate" ? "home.activated" : "home.deactivated", { name: store.name }),
            });
          await stores.reload();
        } catch (error) {
          showFlash({ tone: "critical", text: t("error.generic", { message: (error as Error).message }) });
        } finally {
          setBusy(null);
        }
        return;
      }
    }
  };

  const confirmDelete = async () => {
    if (!toDelete) return;
    const store = toDelete;
    setBusy({ id: store.id, action: "delete" });
    try {
      const result = await deleteStore(api, store.id);
      if (result.errors.length > 0) reportErrors(store, result.errors);
      else showFlash({ tone: "success", text: t("home.deleted", { name: store.name }) });
      setToDelete(null);
      await stores.reload();
    } catch (error) {
      showFlash({ tone: "critical", text: t("error.generic", { message: (error as Error).message }) });
      setToDelete(null);
    } finally {
      setBusy(null);
    }
  };

  return (
    <Box>
      <PageHeader
        title={t("app.title")}
        hidden
        subtitle={t("home.subtitle")}
        actions={
          <>
            <TextLink href={routeHash({ name: "setup", next: null })}>{t("home.setupLink")}</TextLink>
            <Button variant="primary" onClick={() => (window.location.hash = addStoreRoute)}>
              {t("home.addStore")}
            </Button>
          </>
        }
      />

      <FlashBanner />

      {attention > 0 && (
        <Banner tone="warning" testId="attention-banner">
          <Text>{t("home.attention", { count: attention })}</Text>
        </Banner>
      )}

      {stores.error && !stores.loading ? <ErrorState error={stores.error} onRetry={stores.reload} /> : null}
      {stores.loading && !stores.data ? <Loading /> : null}

      {stores.data && list.length === 0 && (
        <Box
          data-testid="empty-state"
          display="flex"
          flexDirection="column"
          alignItems="center"
          gap={4}
          padding={10}
          {...outline()}
          textAlign="center"
        >
          <Text as="h2" size={8} fontWeight="bold">
            {t("home.empty.title")}
          </Text>
          <Text as="p" color="default2" __maxWidth="36rem">
            {t("home.empty.body")}
          </Text>
          <Button variant="primary" onClick={() => (window.location.hash = addStoreRoute)}>
            {t("home.addStore")}
          </Button>
          <TextLink href={routeHash({ name: "setup", next: null })}>{t("home.setupLink")}</TextLink>
        </Box>
      )}

      {list.length > 0 && (
        <Box as="section" aria-labelledby="stores-heading" display="flex" flexDirection="column" gap={4}>
          <Text as="h2" id="stores-heading" size={7} fontWeight="bold">
            {t("home.storesHeading")}
          </Text>
          {/* One card a row at 1280×800 (two from ~1380px): a half-width card's left-most action would sit
              under the Dashboard's announcement card (bottom-left) once the card grows, e.g. while
              waiting for Amazon. */}
          <Box display="grid" __gridTemplateColumns="repeat(auto-fill, minmax(min(100%, 520px), 1fr))" gap={4}>
            {list.map((store) => (
              <StoreCard
                key={store.id}
                store={store}
                pending={pendingIds.includes(store.id)}
                busy={
                  starting === store.id
                    ? (statusPresentation(store.status).connectAction ?? "connect")
                    : busy?.id === store.id
                      ? busy.action
                      : null
                }
                onAction={onAction}
              />
            ))}
          </Box>
        </Box>
      )}

      <ConfirmDialog
        open={toDelete !== null}
        title={t("delete.title", { name: toDelete?.name ?? "" })}
        confirmLabel={t("delete.confirm")}
        busy={busy?.action === "delete"}
        onCancel={() => setToDelete(null)}
        onConfirm={confirmDelete}
      >
        <Text as="p">{t("delete.body")}</Text>
        <ToneText as="p" tone="warning">
          {t("delete.amazonNote")}
        </ToneText>
      </ConfirmDialog>
    </Box>
  );
}
