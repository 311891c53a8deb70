/**
 * A store's order settings (Amazon Sales Channel's *Order Settings*): import on/off, the day orders
 * are imported from, stock reserved from Pending or from Unshipped, FBA orders, how the buyer is
 * recorded and where Amazon's order ID appears. Saved with Saleor's save bar; unsaved changes are
 * asked about before leaving.
 */
import { Box, Checkbox, Text } from "@saleor/macaw-ui";
import { useAsync, useFlash, useServices } from "../context";
import { useI18n } from "../i18n";
import { fetchStore } from "../lib/api";
import { routeHash } from "../lib/router";
import { describeStoreError } from "../stores/wording";
import { FormScreen, Loading, LoadError, Section, SelectField, TextField, useSettingsForm } from "../ui";
import {
  fetchOrderSettings,
  orderSettingsInput,
  updateOrderSettings,
  valuesFromOrderSettings,
  type CustomerMode,
  type OrderReference,
  type OrderSettingsValues,
} from "./orders";

type Errors = Partial<Record<keyof OrderSettingsValues, string>>;

/** The API's field names → the form's. */
const FIELD_OF: Record<string, keyof OrderSettingsValues> = {
  importEnabled: "importEnabled",
  importFrom: "importFrom",
  import_from: "importFrom",
  reservePending: "reserve",
  importFba: "importFba",
  customer: "customer",
  orderReference: "orderReference",
};

export function OrderSettingsPage({ storeId }: { storeId: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { api } = useServices();
  const { showFlash } = useFlash();
  const store = useAsync(() => fetchStore(api, storeId), [api, storeId]);
  const settings = useAsync(() => fetchOrderSettings(api, storeId), [api, storeId]);
  const form = useSettingsForm(settings.data, valuesFromOrderSettings);
  const { values, initial, errors, set } = form;

  const storeName = store.data?.name ?? "";
  const back = { href: routeHash({ name: "detail", id: storeId }), label: storeName || t("app.title") };
  const title = t("orderSettings.title");
  if ((settings.loading && !settings.data) || (store.loading && !store.data)) return <Loading />;
  if ((settings.error && !settings.data) || (store.error && !store.data) || !values || !initial) {
    return <LoadError title={title} back={back} error={settings.error ?? store.error ?? new Error(t("detail.notFound"))} onRetry={settings.reload} />;
  }

  const save = () => {
    const parsed = orderSettingsInput(values, initial);
    const fieldErrors: Errors = parsed.errors.importFrom ? { importFrom: t("orderSettings.invalid.date") } : {};
    return form.submit(
      fieldErrors,
      async () => {
        const result = await updateOrderSettings(api, storeId, parsed.input);
        if (result.errors.length === 0) {
          if (result.settings) form.fill(result.settings);
          showFlash({ tone: "success", text: t("orderSettings.saved") });
        }
        return result.errors;
      },
      { describe: (error) => describeStoreError(i18n, error), fieldOf: (field) => FIELD_OF[field] },
    );
  };

  return (
    <FormScreen
      testId="order-settings"
      attributes={{ "data-store-id": storeId }}
      title={title}
      subtitle={storeName}
      back={back}
      form={form}
      onSave={() => void save()}
      sections={
        <>
          <Section title={t("orderSettings.import")}>
            <Box display="flex" flexDirection="column" gap={1}>
              <Checkbox name="importEnabled" checked={values.importEnabled} onCheckedChange={(checked) => set("importEnabled", checked === true)}>
                <Text size={3}>{t("orderSettings.importEnabled")}</Text>
              </Checkbox>
              <Text size={2} color="default2">
                {t("orderSettings.importEnabledHelp")}
              </Text>
            </Box>
            <TextField
              type="date"
              name="importFrom"
              label={t("orderSettings.importFrom")}
              help={t("orderSettings.importFromHelp")}
              value={values.importFrom}
              error={errors.importFrom}
              onChange={(value) => set("importFrom", value)}
            />
          </Section>

          <Section title={t("orderSettings.stock")}>
            <SelectField
              name="reserve"
              label={t("orderSettings.reserve")}
              value={values.reserve}
              onChange={(value) => set("reserve", value === "pending" ? "pending" : "unshipped")}
              options={[
                { value: "unshipped", label: t("orderSettings.reserve.unshipped") },
                { value: "pending", label: t("orderSettings.reserve.pending") },
              ]}
            />
            <Checkbox name="importFba" checked={values.importFba} onCheckedChange={(checked) => set("importFba", checked === true)}>
              <Text size={3}>{t("orderSettings.importFba")}</Text>
            </Checkbox>
          </Section>

          <Section title={t("orderSettings.customer")}>
            <SelectField
              name="customer"
              label={t("orderSettings.customerLabel")}
              value={values.customer}
              onChange={(value) => set("customer", value as CustomerMode)}
              options={[
                { value: "GUEST_EMAIL", label: t("orderSettings.customer.GUEST_EMAIL") },
                { value: "NONE", label: t("orderSettings.customer.NONE") },
              ]}
            />
          </Section>

          <Section title={t("orderSettings.orderReference")}>
            <SelectField
              name="orderReference"
              label={t("orderSettings.orderReferenceLabel")}
              help={t("orderSettings.orderReferenceHelp")}
              value={values.orderReference}
              onChange={(value) => set("orderReference", value as OrderReference)}
              options={[
                { value: "EXTERNAL_REFERENCE", label: t("orderSettings.orderReference.EXTERNAL_REFERENCE") },
                { value: "EXTERNAL_REFERENCE_AND_NOTE", label: t("orderSettings.orderReference.EXTERNAL_REFERENCE_AND_NOTE") },
              ]}
            />
          </Section>
        </>
      }
    />
  );
}
