/** The store page's rules section: how many variants the listing rules keep, the price rules in effect. */
import { Box, Button, Text } from "@saleor/macaw-ui";
import { useAsync, useServices } from "../context";
import { useI18n } from "../i18n";
import { navigate } from "../lib/router";
import type { AmazonStoreDetail } from "../lib/types";
import { Section } from "../ui";
import { countRows, fetchListingRules, fetchPriceRules, parseConditions, treeFromApi } from "./rules";

export function RulesSection({ store }: { store: AmazonStoreDetail }) {
  const { t } = useI18n();
  const { api } = useServices();
  const listing = useAsync(() => fetchListingRules(api, store.id), [api, store.id]);
  const prices = useAsync(() => fetchPriceRules(api, store.id), [api, store.id]);
  const conditions = listing.data ? countRows(treeFromApi(parseConditions(listing.data.conditions))) : null;
  const inEffect = prices.data ? prices.data.filter((rule) => rule.inEffect).length : null;
  return (
    <Section
      title={t("rules.title")}
      actions={
        <>
          <Button variant="secondary" onClick={() => navigate({ name: "listingRules", id: store.id })} data-testid="rules-listing-open">
            {t("rules.listing.title")}
          </Button>
          <Button variant="secondary" onClick={() => navigate({ name: "priceRules", id: store.id })} data-testid="rules-price-open">
            {t("rules.price.title")}
          </Button>
        </>
      }
    >
      <Box display="flex" flexDirection="column" gap={2} data-testid="rules-section">
        <Text color="default2">{t("rules.intro")}</Text>
        {conditions !== null && (
          <Text size={3} data-testid="rules-listing-summary">
            {conditions === 0 ? t("rules.listing.summaryAll") : t("rules.listing.summary", { count: conditions })}
          </Text>
        )}
        {prices.data && inEffect !== null && (
          <Text size={3} data-testid="rules-price-summary">
            {t("rules.price.summary", { count: prices.data.length, inEffect })}
          </Text>
        )}
      </Box>
    </Section>
  );
}
