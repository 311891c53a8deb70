/**
 * A store's order settings (Amazon Sales Channel's *Order Settings*): import on/off, the day orders
 * are imported from, stock reserved from Pending or from Unshipped, FBA orders, how the buyer is
 * recorded and where Amazon's order ID appears. Saved with Saleor's save bar; unsaved changes are
 * asked about before leaving.
 */
import { Box, Checkbox, Text } from "@saleor/macaw-ui";
import { useEffect, useState } from "react";
import { useAsync, useFlash, useServices } from "../context";
import { useI18n } from "../i18n";
import { fetchStore } from "../lib/api";
import { routeHash, setLeaveGuard } from "../lib/router";
import { describeStoreError } from "../stores/wording";
import { Banner, ConfirmDialog, ErrorState, FlashBanner, Loading, PageHeader, Savebar, Section, SelectField, TextField } from "../ui";
import {
  fetchOrderSettings,
  orderSettingsInput,
  updateOrderSettings,
  valuesFromOrderSettings,
  type CustomerMode,
  type OrderReference,
  type OrderSettings,
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
  const [values, setValues] = useState<OrderSettingsValues | null>(null);
  const [initial, setInitial] = useState<OrderSettingsValues | null>(null);
  const [errors, setErrors] = useState<Errors>({});
  const [general, setGeneral] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [leaveTo, setLeaveTo] = useState<string | null>(null);

  const [filledFrom, setFilledFrom] = useState<OrderSettings | null>(null);
  if (settings.data && settings.data !== filledFrom) {
    setFilledFrom(settings.data);
    setValues(valuesFromOrderSettings(settings.data));
    setInitial(valuesFromOrderSettings(settings.data));
  }
  const dirty = values !== null && initial !== null && JSON.stringify(values) !== JSON.stringify(initial);

  useEffect(() => {
    if (!dirty || saving) return;
    setLeaveGuard((target) => {
      setLeaveTo(target);
      return false;
    });
    return () => setLeaveGuard(null);
  }, [dirty, saving]);

  const storeName = store.data?.name ?? "";
  const back = { href: routeHash({ name: "detail", id: storeId }), label: storeName || t("app.title") };
  const title = t("orderSettings.title");
  if ((settings.loading && !settings.data) || (store.loading && !store.data)) return <Loading />;
  if ((settings.error && !settings.data) || (store.error && !store.data) || !values || !initial) {
    return (
      <Box>
        <PageHeader title={title} back={back} />
        <ErrorState error={settings.error ?? store.error ?? new Error(t("detail.notFound"))} onRetry={settings.reload} />
      </Box>
    );
  }

  const set = <K extends keyof OrderSettingsValues>(key: K, value: OrderSettingsValues[K]) => {
    setValues((previous) => (previous ? { ...previous, [key]: value } : previous));
    setErrors((previous) => ({ ...previous, [key]: undefined }));
  };

  const save = async () => {
    const parsed = orderSettingsInput(values, initial);
    const fieldErrors: Errors = parsed.errors.importFrom ? { importFrom: t("orderSettings.invalid.date") } : {};
    setErrors(fieldErrors);
    setGeneral(null);
    if (Object.keys(fieldErrors).length > 0) return;
    setSaving(true);
    try {
      const result = await updateOrderSettings(api, storeId, parsed.input);
      if (result.errors.length > 0) {
        const byField: Errors = {};
        const rest: string[] = [];
        for (const error of result.errors) {
          const text = describeStoreError(i18n, error);
          const field = error.field ? FIELD_OF[error.field] : undefined;
          if (field) byField[field] = text;
          else rest.push(text);
        }
        setErrors(byField);
        setGeneral(rest.join(" ") || null);
        return;
      }
      if (result.settings) {
        setFilledFrom(result.settings);
        setValues(valuesFromOrderSettings(result.settings));
        setInitial(valuesFromOrderSettings(result.settings));
      }
      showFlash({ tone: "success", text: t("orderSettings.saved") });
    } catch (error) {
      setGeneral(t("error.generic", { message: error instanceof Error ? error.message : String(error) }));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Box data-testid="order-settings" data-store-id={storeId}>
      <PageHeader title={title} subtitle={storeName} back={back} documentTitle={`${title} · ${storeName}`} />
      <FlashBanner />
      {general && (
        <Banner tone="critical" testId="form-errors">
          <Text>{general}</Text>
        </Banner>
      )}
      <Box display="flex" flexDirection="column" gap={5}>
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
      </Box>
      <Savebar
        dirty={dirty}
        saving={saving}
        saveLabel={saving ? t("form.saving") : t("savebar.save")}
        onSave={() => void save()}
        onCancel={() => {
          setValues(initial);
          setErrors({});
        }}
      />
      <ConfirmDialog
        open={leaveTo !== null}
        title={t("leave.title")}
        confirmLabel={t("leave.confirm")}
        onCancel={() => setLeaveTo(null)}
        onConfirm={() => {
          const target = leaveTo;
          setLeaveTo(null);
          setLeaveGuard(null);
          if (target) window.location.hash = target;
        }}
      >
        <Text as="p">{t("leave.body")}</Text>
      </ConfirmDialog>
    </Box>
  );
}
