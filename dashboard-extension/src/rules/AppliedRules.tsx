/**
 * In the listing drawer: why the listing has its price (the price rules applied, in order; a floor or a
 * ceiling holding it; overrides), and why it is ineligible (the listing rules' condition it fails).
 */
import { Box, Text } from "@saleor/macaw-ui";
import { useI18n, type MessageKey } from "../i18n";
import { routeHash } from "../lib/router";
import type { AppliedRule, Listing } from "../listings/listings";
import { TextLink } from "../ui";
import { usePickerOptions } from "./ConditionBuilder";
import { useConditionText } from "./ListingRulesPage";
import type { ApiCondition } from "./rules";

export function AppliedRules({ storeId, listing }: { storeId: string; listing: Listing }) {
  const { t } = useI18n();
  const rules = listing.appliedRules ?? [];
  const ineligible = rules.some((rule) => rule.kind === "LISTING_RULES");
  return (
    <Box as="section" aria-labelledby="listing-why" display="flex" flexDirection="column" gap={2} data-testid="listing-why">
      <Text as="h3" id="listing-why" size={5} fontWeight="bold">
        {ineligible ? t("rules.why.ineligibleTitle") : t("rules.why.priceTitle")}
      </Text>
      {ineligible ? <WhyIneligible storeId={storeId} rules={rules} /> : <WhyPrice storeId={storeId} rules={rules} />}
    </Box>
  );
}

function WhyIneligible({ storeId, rules }: { storeId: string; rules: AppliedRule[] }) {
  const { t } = useI18n();
  const { options } = usePickerOptions();
  const conditionText = useConditionText(options);
  return (
    <Box display="flex" flexDirection="column" gap={2}>
      {rules
        .filter((rule) => rule.kind === "LISTING_RULES")
        .map((rule, index) => (
          <Text key={index} as="p" size={3} data-testid="listing-why-item" data-kind={rule.kind}>
            {t("rules.why.failed", { condition: conditionText(rule.failedCondition as ApiCondition | string | null) || rule.note })}
          </Text>
        ))}
      <Box>
        <TextLink href={routeHash({ name: "listingRules", id: storeId })}>{t("rules.listing.title")}</TextLink>
      </Box>
    </Box>
  );
}

const OVERRIDE_LABELS: Record<string, MessageKey> = {
  price: "listings.col.price",
  quantity: "listings.col.quantity",
  handling_time: "listings.handlingTime",
  condition: "listings.condition",
};

function WhyPrice({ storeId, rules }: { storeId: string; rules: AppliedRule[] }) {
  const { t } = useI18n();
  const text = (rule: AppliedRule): string => {
    const named = rule.priceRule ? { name: rule.priceRule.name, priority: rule.priceRule.priority } : null;
    switch (rule.kind) {
      case "PRICE_RULE":
        return named ? t("rules.why.priceRule", named) : t("rules.why.deletedRule");
      case "FLOOR":
        return named ? t("rules.why.floor", named) : t("rules.why.minimum");
      case "CEILING":
        return named ? t("rules.why.ceiling", named) : t("rules.why.deletedCeiling");
      case "OVERRIDE":
        return t("rules.why.override", { field: OVERRIDE_LABELS[rule.field ?? ""] ? t(OVERRIDE_LABELS[rule.field ?? ""]) : (rule.field ?? "") });
      default:
        return rule.note;
    }
  };
  return (
    <Box display="flex" flexDirection="column" gap={2}>
      <Box as="ol" margin={0} paddingLeft={5} display="flex" flexDirection="column" gap={1}>
        {rules.map((rule, index) => (
          <li key={index} data-testid="listing-why-item" data-kind={rule.kind}>
            <Text size={3}>{text(rule)}</Text>
          </li>
        ))}
      </Box>
      <Box>
        <TextLink href={routeHash({ name: "priceRules", id: storeId })}>{t("rules.price.title")}</TextLink>
      </Box>
    </Box>
  );
}
