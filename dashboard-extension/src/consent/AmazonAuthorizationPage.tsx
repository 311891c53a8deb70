import { Box, Button, Text } from "@saleor/macaw-ui";
import { useState } from "react";
import { Banner, ErrorState, Loading, PageHeader, Section } from "../ui";
import { describeStoreError } from "../stores/wording";
import { useAsync, useServices } from "../context";
import { useI18n } from "../i18n";
import { connectStore, fetchAuthorizationRequest } from "../lib/api";
import { rememberLocale } from "./connectResult";
import { routeHash } from "../lib/router";

/**
 * "Authorize from Amazon": Amazon sent the seller to the plugin's Log-in URI (Seller Central's
 * Re-Authorize, the Appstore), and the plugin sent the browser here with a signed request
 * (?amazonAuthorization=). Nothing happens until a signed-in merchant confirms the store; then
 * the consent is started for this user and the new tab returns to Amazon.
 */
export function AmazonAuthorizationPage({ authorization, onDone }: { authorization: string; onDone: () => void }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { api, host } = useServices();
  const request = useAsync(() => fetchAuthorizationRequest(api, authorization), [api, authorization]);
  const [busy, setBusy] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [opened, setOpened] = useState<string | null>(null);

  const confirm = async (storeId: string) => {
    setBusy(storeId);
    setProblem(null);
    try {
      const result = await connectStore(api, storeId, authorization);
      if (result.errors.length > 0 || !result.consentUrl) {
        setProblem(result.errors.map((error) => describeStoreError(i18n, error)).join(" ") || t("reason.UNKNOWN"));
        return;
      }
      rememberLocale(i18n.locale);
      // A top-level tab: the start route sets this browser's cookie, then Amazon takes over.
      await host.openInNewTab(result.consentUrl);
      setOpened(storeId);
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    } finally {
      setBusy(null);
    }
  };

  if (request.loading && !request.data) return <Loading />;
  if (request.error) return <ErrorState error={request.error} onRetry={request.reload} />;
  const data = request.data!;
  return (
    <Box data-testid="amazon-authorization" display="flex" flexDirection="column" gap={6}>
      <PageHeader title={t("authorize.title")} subtitle={t("authorize.intro")} />
      {data.errors.length > 0 ? (
        <Banner tone="critical" testId="authorize-invalid">
          <Text>{data.errors.map((error) => describeStoreError(i18n, error)).join(" ")}</Text>
        </Banner>
      ) : (
        <Section title={t("authorize.seller", { seller: data.sellingPartnerId ?? "" })}>
          {problem && (
            <Banner tone="critical" testId="authorize-problem">
              <Text>{problem}</Text>
            </Banner>
          )}
          {opened && (
            <Banner tone="info" testId="authorize-opened">
              <Text>{t("authorize.opened")}</Text>
            </Banner>
          )}
          {data.stores.length === 0 ? (
            <Box display="flex" flexDirection="column" gap={3} data-testid="authorize-no-store">
              <Text>{t("authorize.noStore")}</Text>
              {/* A flex row: macaw's Button rendered as a link otherwise spans the whole section. */}
              <Box display="flex">
                <Button
                  as="a"
                  href={routeHash({ name: "create", marketplace: data.marketplace?.id })}
                  onClick={onDone}
                >
                  {t("authorize.addStore")}
                </Button>
              </Box>
            </Box>
          ) : (
            <Box as="ul" display="flex" flexDirection="column" gap={3} padding={0} margin={0}>
              {data.stores.map((store) => (
                <Box as="li" key={store.id} display="flex" gap={4} alignItems="center" data-testid="authorize-store"
                     data-store={store.name}>
                  <Text>
                    {store.name} · {i18n.countryName(store.marketplace.countryCode, store.marketplace.countryName)}
                  </Text>
                  <Button onClick={() => void confirm(store.id)} disabled={busy !== null || opened !== null}>
                    {busy === store.id ? t("action.working") : t("authorize.confirm")}
                  </Button>
                </Box>
              ))}
            </Box>
          )}
          <Box>
            {/* Once Amazon's tab is open, this screen's job is done: the way back to the cards, not "Not now". */}
            <Button variant={opened ? "primary" : "secondary"} onClick={onDone}>
              {opened ? t("authorize.toStores") : t("authorize.dismiss")}
            </Button>
          </Box>
        </Section>
      )}
    </Box>
  );
}
