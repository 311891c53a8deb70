/**
 * A store's listing rules (Amazon Sales Channel's *Listing Rules*): which of the channel's variants go to
 * Amazon. The merchant builds the conditions, previews what they change (counts and the variants behind
 * them, nothing written), then saves with Saleor's save bar; excluded offers drop to quantity 0.
 */
import { Box, Button, Spinner, Text } from "@saleor/macaw-ui";
import { useState } from "react";
import { useAsync, useFlash, useServices } from "../context";
import { useI18n, type MessageKey } from "../i18n";
import { fetchStore } from "../lib/api";
import { routeHash } from "../lib/router";
import { priceText } from "../listings/ListingsSection";
import { describeStoreError } from "../stores/wording";
import { DataTable, FormScreen, Loading, LoadError, Section } from "../ui";
import { useAttributeNames } from "./AttributeCondition";
import { ConditionBuilder, usePickerOptions, type PickerOptions } from "./ConditionBuilder";
import {
  describeCondition,
  fetchListingRules,
  parseConditions,
  previewListingRules,
  saveListingRules,
  treeFromApi,
  treeToApi,
  type ApiCondition,
  type ConditionField,
  type ConditionGroup,
  type ListingRulesPreview,
  type Operator,
  type PickerField,
  type PreviewList,
  type TreeErrors,
} from "./rules";

const LISTS = ["eligible", "ineligible", "newlyEligible", "newlyIneligible"] as const;
type ListName = (typeof LISTS)[number];

/** How a condition reads in the merchant's language (the names of picked categories, types, collections). */
export function useConditionText(options: PickerOptions) {
  const { t } = useI18n();
  const attributeNames = useAttributeNames();
  return (condition: ApiCondition | string | null) =>
    describeCondition(parseConditions(condition), {
      field: (field: ConditionField) => t(`rules.field.${field}` as MessageKey),
      operator: (operator: Operator) => t(`rules.operator.${operator}` as MessageKey),
      name: (field: PickerField, id: string) => options[field]?.find((option) => option.id === id)?.name ?? id,
      attribute: attributeNames.attribute,
      value: attributeNames.value,
      any: t("rules.mode.any"),
      all: t("rules.mode.all"),
    });
}

export function ListingRulesPage({ storeId }: { storeId: string }) {
  const i18n = useI18n();
  const { t, formatDateTime } = i18n;
  const { api } = useServices();
  const { showFlash } = useFlash();
  const store = useAsync(() => fetchStore(api, storeId), [api, storeId]);
  const rules = useAsync(() => fetchListingRules(api, storeId), [api, storeId]);
  const { options } = usePickerOptions(store.data?.channel?.slug ?? null);
  const conditionText = useConditionText(options);
  const [tree, setTree] = useState<ConditionGroup | null>(null);
  const [saved, setSaved] = useState<string>("null");
  const [filledFrom, setFilledFrom] = useState<unknown>(null);
  const [rowErrors, setRowErrors] = useState<TreeErrors>({});
  const [general, setGeneral] = useState<string | null>(null);
  const [preview, setPreview] = useState<{ result: ListingRulesPreview; of: string } | null>(null);
  const [list, setList] = useState<ListName>("newlyIneligible");
  const [busy, setBusy] = useState<"preview" | "save" | null>(null);

  if (rules.data && rules.data !== filledFrom) {
    setFilledFrom(rules.data);
    const loaded = treeFromApi(parseConditions(rules.data.conditions));
    setTree(loaded);
    setSaved(JSON.stringify(treeToApi(loaded).conditions));
  }
  const draft = tree ? treeToApi(tree) : null;
  const draftText = draft && Object.keys(draft.errors).length === 0 ? JSON.stringify(draft.conditions) : null;
  const dirty = tree !== null && draftText !== saved;

  const storeName = store.data?.name ?? "";
  const back = { href: routeHash({ name: "detail", id: storeId }), label: storeName || t("app.title") };
  const title = t("rules.listing.title");
  if ((rules.loading && !rules.data) || (store.loading && !store.data)) return <Loading />;
  if (!tree || !draft) {
    return <LoadError title={title} back={back} error={rules.error ?? store.error ?? new Error(t("detail.notFound"))} onRetry={rules.reload} />;
  }

  const check = () => {
    const result = treeToApi(tree);
    setRowErrors(result.errors);
    return Object.keys(result.errors).length > 0 ? null : result;
  };

  const runPreview = async () => {
    const result = check();
    if (!result) return;
    setBusy("preview");
    setGeneral(null);
    try {
      const answer = await previewListingRules(api, storeId, result.conditions);
      if (answer) {
        setPreview({ result: answer, of: JSON.stringify(result.conditions) });
        setList(answer.newlyIneligible.count > 0 ? "newlyIneligible" : answer.newlyEligible.count > 0 ? "newlyEligible" : "eligible");
      }
    } catch (error) {
      setGeneral(t("error.generic", { message: error instanceof Error ? error.message : String(error) }));
    } finally {
      setBusy(null);
    }
  };

  const save = async () => {
    const result = check();
    if (!result) return;
    setBusy("save");
    setGeneral(null);
    try {
      const answer = await saveListingRules(api, storeId, result.conditions);
      if (answer.errors.length > 0) {
        setGeneral(answer.errors.map((error) => describeStoreError(i18n, error)).join(" "));
        return;
      }
      if (answer.listingRules) {
        setFilledFrom(answer.listingRules);
        const loaded = treeFromApi(parseConditions(answer.listingRules.conditions));
        setTree(loaded);
        setSaved(JSON.stringify(treeToApi(loaded).conditions));
      }
      showFlash({ tone: "success", text: t("rules.listing.saved") });
    } catch (error) {
      setGeneral(t("error.generic", { message: error instanceof Error ? error.message : String(error) }));
    } finally {
      setBusy(null);
    }
  };

  const stale = preview !== null && preview.of !== draftText;
  const shown: PreviewList | null = preview ? preview.result[list] : null;

  return (
    <FormScreen
      testId="listing-rules"
      attributes={{ "data-store-id": storeId }}
      title={title}
      subtitle={storeName}
      back={back}
      form={{
        general,
        dirty: dirty || Object.keys(draft.errors).length > 0,
        saving: busy === "save",
        reset: () => {
          setTree(treeFromApi(JSON.parse(saved) as ApiCondition | null));
          setRowErrors({});
        },
      }}
      guard={dirty}
      onSave={() => void save()}
      sections={
        <>
          <Section title={t("rules.conditions")}>
            <Text color="default2">{t("rules.listing.intro")}</Text>
            {rules.data?.updatedAt && (
              <Text size={2} color="default2">
                {t("rules.listing.updatedAt", { date: formatDateTime(rules.data.updatedAt) })}
              </Text>
            )}
            <ConditionBuilder
              value={tree}
              onChange={(next) => {
                setTree(next);
                setRowErrors({});
              }}
              errors={rowErrors}
              options={options}
            />
          </Section>

          <Section
            title={t("rules.preview.title")}
            actions={
              <Button variant="secondary" onClick={() => void runPreview()} disabled={busy !== null} data-testid="rules-preview">
                {busy === "preview" ? <Spinner aria-hidden="true" /> : null}
                {t("rules.preview.run")}
              </Button>
            }
          >
            {!preview ? (
              <Text color="default2">{t("rules.preview.intro")}</Text>
            ) : (
              <Box display="flex" flexDirection="column" gap={3} data-testid="rules-preview-result" data-stale={String(stale)}>
                {stale && (
                  <Text size={3} color="warning1" data-testid="rules-preview-stale">
                    {t("rules.preview.stale")}
                  </Text>
                )}
                <Text size={3} color="default2">
                  {t("rules.preview.total", { count: preview.result.total })}
                </Text>
                <Box role="tablist" aria-label={t("rules.preview.title")} display="flex" gap={2} flexWrap="wrap">
                  {LISTS.map((name) => (
                    <Button
                      key={name}
                      role="tab"
                      aria-selected={list === name}
                      variant={list === name ? "primary" : "secondary"}
                      onClick={() => setList(name)}
                      data-testid="rules-preview-count"
                      data-list={name}
                      data-count={String(preview.result[name].count)}
                    >
                      {t(`rules.preview.${name}` as MessageKey, { count: preview.result[name].count })}
                    </Button>
                  ))}
                </Box>
                <Box role="tabpanel" aria-label={t(`rules.preview.${list}` as MessageKey, { count: shown?.count ?? 0 })} data-testid="rules-preview-list" data-list={list}>
                  {shown && shown.variants.length === 0 ? (
                    <Text size={3} color="default2">
                      {t("rules.preview.none")}
                    </Text>
                  ) : (
                    <DataTable
                      testId="rules-preview-table"
                      rows={shown?.variants ?? []}
                      rowKey={(variant) => variant.variantId}
                      rowAttributes={(variant) => ({ "data-sku": variant.sku })}
                      columns={[
                        { header: t("listings.col.sku"), nowrap: true, cell: (variant) => <Text size={3}>{variant.sku}</Text> },
                        { header: t("listings.col.price"), nowrap: true, cell: (variant) => <Text size={3}>{priceText(i18n, variant.price, store.data?.channel?.currencyCode ?? null)}</Text> },
                        ...(list === "ineligible" || list === "newlyIneligible"
                          ? [{ header: t("rules.preview.failed"), cell: (variant: PreviewList["variants"][number]) => <Text size={3}>{conditionText(variant.failedCondition) || t("app.none")}</Text> }]
                          : []),
                      ]}
                    />
                  )}
                  {shown && shown.count > shown.variants.length && (
                    <Text size={2} color="default2">
                      {t("rules.preview.more", { shown: shown.variants.length, count: shown.count })}
                    </Text>
                  )}
                </Box>
              </Box>
            )}
          </Section>
        </>
      }
    />
  );
}
