/**
 * A store's listing settings (Amazon Sales Channel's *Listing Settings*): list automatically or hold
 * in Ready to list, handling time, condition (or the Saleor attribute it is read from), the counted
 * warehouses, the out-of-stock threshold, the maximum and the untracked quantity, third-party offers.
 * Saved with Saleor's save bar; unsaved changes are asked about before leaving.
 */
import { Box, Checkbox, Text } from "@saleor/macaw-ui";
import { useAsync, useFlash, useServices } from "../context";
import { useI18n } from "../i18n";
import { fetchStore } from "../lib/api";
import { routeHash } from "../lib/router";
import { describeStoreError } from "../stores/wording";
import { FormScreen, Loading, LoadError, Section, SelectField, TextField, useSettingsForm } from "../ui";
import { CONDITIONS, fetchChannelWarehouses, fetchListingSettings, updateListingSettings, type ListingSettings, type ListingSettingsInput } from "./listings";

type Values = {
  autoList: string;
  handlingTime: string;
  conditionSource: string;
  condition: string;
  conditionAttribute: string;
  warehouses: string[];
  outOfStockThreshold: string;
  maxQuantity: string;
  untrackedQuantity: string;
  importThirdParty: boolean;
};

const ATTRIBUTE = "attribute";
const FIXED = "fixed";

export function valuesFromSettings(settings: ListingSettings): Values {
  return {
    autoList: settings.autoList ? "auto" : "hold",
    handlingTime: String(settings.handlingTime),
    conditionSource: settings.conditionAttribute ? ATTRIBUTE : FIXED,
    condition: settings.condition,
    conditionAttribute: settings.conditionAttribute ?? "",
    warehouses: settings.warehouses.map((warehouse) => warehouse.id).sort(),
    outOfStockThreshold: String(settings.outOfStockThreshold),
    maxQuantity: settings.maxQuantity == null ? "" : String(settings.maxQuantity),
    untrackedQuantity: String(settings.untrackedQuantity),
    importThirdParty: settings.importThirdParty,
  };
}

type Errors = Partial<Record<keyof Values, string>>;

/** The form → the API's input; errors by field (numbers are whole, in range). */
export function toInput(values: Values): { input: ListingSettingsInput; errors: Record<string, "integer" | "handlingTime" | "required"> } {
  const errors: Record<string, "integer" | "handlingTime" | "required"> = {};
  const whole = (key: keyof Values, text: string, optional = false): number | null => {
    const trimmed = text.trim();
    if (!trimmed && optional) return null;
    if (!/^\d+$/.test(trimmed)) {
      errors[key] = "integer";
      return null;
    }
    return Number(trimmed);
  };
  const handlingTime = whole("handlingTime", values.handlingTime);
  if (handlingTime != null && (handlingTime < 1 || handlingTime > 30)) errors.handlingTime = "handlingTime";
  const input: ListingSettingsInput = {
    autoList: values.autoList === "auto",
    handlingTime: handlingTime ?? undefined,
    outOfStockThreshold: whole("outOfStockThreshold", values.outOfStockThreshold) ?? undefined,
    maxQuantity: whole("maxQuantity", values.maxQuantity, true),
    untrackedQuantity: whole("untrackedQuantity", values.untrackedQuantity) ?? undefined,
    warehouses: values.warehouses,
    importThirdParty: values.importThirdParty,
  };
  if (values.conditionSource === ATTRIBUTE) {
    if (!values.conditionAttribute.trim()) errors.conditionAttribute = "required";
    input.conditionAttribute = values.conditionAttribute.trim();
  } else {
    input.condition = values.condition;
    input.conditionAttribute = "";
  }
  return { input, errors };
}

export function ListingSettingsPage({ storeId }: { storeId: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { api, saleor } = useServices();
  const { showFlash } = useFlash();
  const store = useAsync(() => fetchStore(api, storeId), [api, storeId]);
  const settings = useAsync(() => fetchListingSettings(api, storeId), [api, storeId]);
  const channelId = store.data?.channel?.id ?? null;
  const warehouses = useAsync(() => (channelId ? fetchChannelWarehouses(saleor, channelId) : Promise.resolve([])), [saleor, channelId]);
  const form = useSettingsForm(settings.data, valuesFromSettings);
  const { values, errors, set } = form;

  const storeName = store.data?.name ?? "";
  const back = { href: routeHash({ name: "detail", id: storeId }), label: storeName || t("app.title") };
  const title = t("listingSettings.title");
  if ((settings.loading && !settings.data) || (store.loading && !store.data)) return <Loading />;
  if ((settings.error && !settings.data) || (store.error && !store.data) || !values) {
    return <LoadError title={title} back={back} error={settings.error ?? store.error ?? new Error(t("detail.notFound"))} onRetry={settings.reload} />;
  }

  const save = () => {
    const parsed = toInput(values);
    const fieldErrors: Errors = Object.fromEntries(
      Object.entries(parsed.errors).map(([field, code]) => [field, t(`listingSettings.invalid.${code}`)]),
    );
    return form.submit(
      fieldErrors,
      async () => {
        const result = await updateListingSettings(api, storeId, parsed.input);
        if (result.errors.length === 0) {
          if (result.settings) form.fill(result.settings);
          showFlash({ tone: "success", text: t("listingSettings.saved") });
        }
        return result.errors;
      },
      { describe: (error) => describeStoreError(i18n, error), fieldOf: (field) => (field in values ? (field as keyof Values) : undefined) },
    );
  };

  // The channel's warehouses (Saleor's API), plus any counted one it did not return.
  const known = new Map((warehouses.data ?? []).map((warehouse) => [warehouse.id, warehouse.name]));
  for (const warehouse of settings.data?.warehouses ?? []) if (!known.has(warehouse.id)) known.set(warehouse.id, warehouse.name);
  const conditionLabel = (code: string) => i18n.tDynamic(`listings.condition.${code}`, "listings.condition.other");
  const numberField = (key: "handlingTime" | "outOfStockThreshold" | "maxQuantity" | "untrackedQuantity") => (
    <TextField
      name={key}
      label={t(`listingSettings.${key}`)}
      help={t(`listingSettings.${key}Help`)}
      value={values[key]}
      error={errors[key]}
      onChange={(value) => set(key, value)}
    />
  );

  return (
    <FormScreen
      testId="listing-settings"
      attributes={{ "data-store-id": storeId }}
      title={title}
      subtitle={storeName}
      back={back}
      form={form}
      onSave={() => void save()}
      sections={
        <>
          <Section title={t("listingSettings.listing")}>
            <SelectField
              name="autoList"
              label={t("listingSettings.autoList")}
              help={t("listingSettings.autoListHelp")}
              value={values.autoList}
              onChange={(value) => set("autoList", value)}
              options={[
                { value: "auto", label: t("listingSettings.autoList.auto") },
                { value: "hold", label: t("listingSettings.autoList.hold") },
              ]}
            />
            {numberField("handlingTime")}
            <Text size={3} color="default2">
              {t("listingSettings.skuNote")}
            </Text>
          </Section>

          <Section title={t("listingSettings.condition")}>
            <SelectField
              name="conditionSource"
              label={t("listingSettings.conditionSource")}
              value={values.conditionSource}
              onChange={(value) => set("conditionSource", value)}
              options={[
                { value: FIXED, label: t("listingSettings.conditionSource.fixed") },
                { value: ATTRIBUTE, label: t("listingSettings.conditionSource.attribute") },
              ]}
            />
            {values.conditionSource === FIXED ? (
              <SelectField
                name="condition"
                label={t("listingSettings.conditionValue")}
                value={values.condition}
                onChange={(value) => set("condition", value)}
                options={CONDITIONS.map((code) => ({ value: code, label: conditionLabel(code) }))}
              />
            ) : (
              <TextField
                name="conditionAttribute"
                label={t("listingSettings.conditionAttribute")}
                help={t("listingSettings.conditionAttributeHelp")}
                value={values.conditionAttribute}
                error={errors.conditionAttribute}
                onChange={(value) => set("conditionAttribute", value)}
              />
            )}
          </Section>

          <Section title={t("listingSettings.quantity")}>
            <Box as="fieldset" borderStyle="none" padding={0} margin={0} display="flex" flexDirection="column" gap={2} data-testid="listing-warehouses">
              <Box as="legend" padding={0}>
                <Text size={3} fontWeight="medium">
                  {t("listingSettings.warehouses")}
                </Text>
              </Box>
              <Text size={2} color="default2">
                {t("listingSettings.warehousesHelp")}
              </Text>
              {known.size === 0 ? (
                <Text size={3} color="default2">
                  {warehouses.loading ? t("app.loading") : t("listingSettings.warehousesUnknown")}
                </Text>
              ) : (
                [...known.entries()].map(([id, name]) => (
                  <Checkbox
                    key={id}
                    name={`warehouse-${id}`}
                    checked={values.warehouses.includes(id)}
                    onCheckedChange={(checked) =>
                      set("warehouses", checked === true ? [...values.warehouses, id].sort() : values.warehouses.filter((item) => item !== id))
                    }
                  >
                    <Text size={3}>{name}</Text>
                  </Checkbox>
                ))
              )}
            </Box>
            {numberField("outOfStockThreshold")}
            {numberField("maxQuantity")}
            {numberField("untrackedQuantity")}
          </Section>

          <Section title={t("listingSettings.thirdParty")}>
            <Checkbox name="importThirdParty" checked={values.importThirdParty} onCheckedChange={(checked) => set("importThirdParty", checked === true)}>
              <Text size={3}>{t("listingSettings.importThirdParty")}</Text>
            </Checkbox>
          </Section>
        </>
      }
    />
  );
}
