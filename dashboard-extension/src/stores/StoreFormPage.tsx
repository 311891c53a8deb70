import { Box, Button, Checkbox, Text } from "@saleor/macaw-ui";
import { useEffect, useMemo, useRef, useState, type FormEvent, type KeyboardEvent } from "react";
import { Banner, ErrorState, Loading, PageHeader, Savebar, Section, SelectField, TextField, useLeaveGuard, type SelectGroup } from "../ui";
import { describeStoreError } from "./wording";
import { useAsync, useFlash, useServices } from "../context";
import { useI18n } from "../i18n";
import {
  createStore,
  fetchMarketplaces,
  fetchSaleorChannels,
  fetchStore,
  updateStore,
} from "../lib/api";
import { countryFlag } from "../lib/flags";
import { useAttributeSearch } from "./pickers";
import {
  identifierSource,
  mapStoreErrors,
  validateStoreForm,
  VARIANT_SKU_VALUE,
  type MappedErrors,
  type StoreFormValues,
} from "./formErrors";
import { GraphQLRequestError } from "../lib/graphql";
import { groupMarketplaces } from "./marketplaces";
import { navigate, routeHash, setLeaveGuard } from "../lib/router";
import { PRODUCT_ID_TYPES, type AmazonMarketplace, type AmazonStoreDetail, type ProductIdType } from "../lib/types";

const EMPTY: StoreFormValues = {
  name: "",
  contactEmail: "",
  channel: "",
  marketplace: "",
  productIdType: "SKU",
  attribute: VARIANT_SKU_VALUE,
  isActive: true,
};

export function valuesFromStore(store: AmazonStoreDetail): StoreFormValues {
  return {
    name: store.name,
    contactEmail: store.contactEmail,
    channel: store.channel?.id ?? "",
    marketplace: store.marketplace.id,
    productIdType: store.productIdentifier.type,
    attribute:
      store.productIdentifier.source === "VARIANT_SKU" ? VARIANT_SKU_VALUE : (store.productIdentifier.attribute ?? ""),
    isActive: store.isActive,
  };
}

/** The store page embeds the edit form: it gives Delete (in the save bar) and hears about saves. */
export type EmbeddedForm = { onDelete: () => void; onSaved: () => void; busy?: boolean };

function sameValues(a: StoreFormValues, b: StoreFormValues): boolean {
  return (Object.keys(a) as Array<keyof StoreFormValues>).every((key) => a[key] === b[key]);
}

export function StoreFormPage({
  storeId,
  embedded,
  marketplace,
}: {
  storeId: string | null;
  embedded?: EmbeddedForm;
  marketplace?: string;
}) {
  const i18n = useI18n();
  const { t, countryName } = i18n;
  const { api, saleor } = useServices();
  const { showFlash, clearFlash } = useFlash();
  const mode = storeId ? "update" : "create";

  const store = useAsync(() => (storeId ? fetchStore(api, storeId) : Promise.resolve(null)), [api, storeId]);
  const marketplaces = useAsync(() => fetchMarketplaces(api), [api]);
  const channels = useAsync(() => fetchSaleorChannels(saleor), [saleor]);
  const [attributeSearch, setAttributeSearch] = useState("");
  const attributes = useAttributeSearch(saleor, attributeSearch);

  // A consent Amazon started may preselect the marketplace of a store to add.
  const start = marketplace ? { ...EMPTY, marketplace } : EMPTY;
  const [values, setValues] = useState<StoreFormValues>(start);
  const [initial, setInitial] = useState<StoreFormValues>(start);
  const [errors, setErrors] = useState<MappedErrors>({ fields: {}, general: [] });
  const [saving, setSaving] = useState(false);
  const form = useRef<HTMLFormElement | null>(null);
  const dirty = !sameValues(values, initial);

  // The loaded store fills the form once per load: state adjusted while rendering, not in an effect.
  const [filledFrom, setFilledFrom] = useState<typeof store.data>(null);
  if (store.data && store.data !== filledFrom) {
    setFilledFrom(store.data);
    setValues(valuesFromStore(store.data));
    setInitial(valuesFromStore(store.data));
  }

  // Unsaved changes: ask before another screen replaces this one, and before the page unloads.
  const leaveDialog = useLeaveGuard(dirty && !saving, { onLeave: () => setInitial(values), beforeUnload: true });

  const set = <K extends keyof StoreFormValues>(key: K, value: StoreFormValues[K]) => {
    setValues((previous) => ({ ...previous, [key]: value }));
    const field = key === "productIdType" ? "productIdentifier" : key;
    if (field in errors.fields) {
      setErrors((previous) => {
        const fields = { ...previous.fields };
        delete fields[field as keyof MappedErrors["fields"]];
        return { ...previous, fields };
      });
    }
  };

  const marketplaceName = (m: AmazonMarketplace) => countryName(m.countryCode, m.countryName);
  const marketplaceLabel = (m: AmazonMarketplace) => `${countryFlag(m.countryCode)} ${marketplaceName(m)} (${m.domain})`.trim();

  const marketplaceGroups = useMemo<SelectGroup[]>(() => {
    const all = [...(marketplaces.data ?? [])];
    // A store on a marketplace the API no longer lists still shows its own.
    if (store.data && !all.some((m) => m.id === store.data!.marketplace.id)) all.push(store.data.marketplace);
    const grouped = groupMarketplaces(all, marketplaceName, i18n.locale);
    const option = (m: AmazonMarketplace) => ({ value: m.id, label: marketplaceLabel(m) });
    return [
      ...(grouped.popular.length ? [{ label: t("form.group.popular"), options: grouped.popular.map(option) }] : []),
      ...grouped.regions.map((group) => ({
        label: i18n.tDynamic(`form.region.${group.region}`, "form.region.NA"),
        options: group.marketplaces.map(option),
      })),
    ];
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [marketplaces.data, store.data, i18n]);

  // Labels of attributes seen, so a choice keeps its name when a later search no longer lists it.
  // Kept in state, adjusted while rendering when a search answers (the list is state: same array until then).
  const [labelsSeen, setLabelsSeen] = useState(() => new Map<string, string>());
  const [labelsFrom, setLabelsFrom] = useState<typeof attributes.attributes | null>(null);
  if (labelsFrom !== attributes.attributes) {
    setLabelsFrom(attributes.attributes);
    setLabelsSeen((seen) => {
      const next = new Map(seen);
      attributes.attributes.forEach((attribute) => next.set(attribute.slug, `${attribute.name} (${attribute.slug})`));
      return next;
    });
  }

  const channelOptions = useMemo(() => {
    const options = (channels.data ?? []).map((channel) => ({
      value: channel.id,
      label: `${channel.name} (${channel.currencyCode})`,
    }));
    const current = store.data?.channel;
    if (current && !options.some((option) => option.value === current.id)) {
      options.unshift({ value: current.id, label: `${current.name} (${current.currencyCode})` });
    }
    return options;
  }, [channels.data, store.data]);

  const attributeOptions = useMemo(() => {
    const options = [
      { value: VARIANT_SKU_VALUE, label: t("form.variantSku") },
      ...attributes.attributes.map((attribute) => ({ value: attribute.slug, label: `${attribute.name} (${attribute.slug})` })),
    ];
    // The chosen attribute stays in the list whatever the search shows.
    const current = store.data?.productIdentifier;
    const chosen = [values.attribute, current?.source === "ATTRIBUTE" ? current.attribute : null];
    for (const slug of chosen) {
      if (slug && !options.some((o) => o.value === slug)) options.push({ value: slug, label: labelsSeen.get(slug) ?? slug });
    }
    return options;
  }, [attributes.attributes, store.data, values.attribute, t, labelsSeen]);

  // Move the focus to the first field in error, so keyboard and screen-reader users land on it.
  useEffect(() => {
    const order = ["channel", "contactEmail", "name", "marketplace", "productIdentifier", "attribute"] as const;
    const first = order.find((field) => errors.fields[field]);
    if (first) document.getElementById(`field-${first}`)?.focus();
  }, [errors]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const local = validateStoreForm(values, mode);
    if (local.length > 0) {
      setErrors(mapStoreErrors(local, (error) => (error.code === "REQUIRED" ? t("form.required") : describeStoreError(i18n, error))));
      return;
    }
    setSaving(true);
    setErrors({ fields: {}, general: [] });
    const productIdentifier = { type: values.productIdType, ...identifierSource(values.attribute) };
    try {
      const result =
        mode === "create"
          ? await createStore(api, {
              name: values.name.trim(),
              contactEmail: values.contactEmail.trim(),
              channel: values.channel,
              marketplace: values.marketplace,
              productIdentifier,
              isActive: values.isActive,
            })
          : await updateStore(api, storeId!, {
              name: values.name.trim(),
              contactEmail: values.contactEmail.trim(),
              channel: values.channel,
              productIdentifier,
              isActive: values.isActive,
            });
      if (result.errors.length > 0 || !result.amazonStore) {
        const mapped = mapStoreErrors(result.errors, (error) => describeStoreError(i18n, error));
        if (result.errors.length === 0) mapped.general.push(t("form.failed"));
        setErrors(mapped);
        return;
      }
      const name = result.amazonStore.name;
      clearFlash();
      setLeaveGuard(null);
      setInitial(values);
      if (mode === "create") {
        showFlash({ tone: "success", text: t("home.created", { name }), carry: true });
        navigate({ name: "home" });
      } else if (embedded) {
        showFlash({ tone: "success", text: t("home.updated", { name }) });
        embedded.onSaved();
      } else {
        showFlash({ tone: "success", text: t("home.updated", { name }), carry: true });
        navigate({ name: "detail", id: storeId! });
      }
    } catch (error) {
      const message =
        error instanceof GraphQLRequestError && error.kind === "unauthorized"
          ? t("auth.unauthorized.body")
          : error instanceof GraphQLRequestError && error.kind === "forbidden"
            ? t("auth.forbidden.body")
            : error instanceof GraphQLRequestError && error.kind === "network"
              ? t("error.network")
              : t("error.generic", { message: error instanceof Error ? error.message : String(error) });
      setErrors({ fields: {}, general: [message] });
    } finally {
      setSaving(false);
    }
  };

  const title = mode === "create" ? t("form.addTitle") : t("form.editTitle", { name: store.data?.name ?? "" });
  const back =
    mode === "create"
      ? { href: routeHash({ name: "home" }), label: t("app.title") }
      : { href: routeHash({ name: "detail", id: storeId! }), label: store.data?.name ?? t("app.back") };

  if (store.loading && !store.data && mode === "update") return <Loading />;
  if (store.error) return <ErrorState error={store.error} onRetry={store.reload} />;
  if (mode === "update" && store.data === null) {
    return (
      <Box>
        <PageHeader title={t("app.title")} back={{ href: routeHash({ name: "home" }), label: t("app.title") }} />
        <Banner tone="critical">
          <Text>{t("detail.notFound")}</Text>
        </Banner>
      </Box>
    );
  }

  const loadError = (key: "form.loadChannelsError" | "form.loadAttributesError" | "form.loadMarketplacesError", error: unknown) =>
    error ? (
      <Text as="p" size={2} color="critical1" role="alert">
        {t(key, { message: error instanceof Error ? error.message : String(error) })}
      </Text>
    ) : null;


  return (
    <Box
      as="form"
      ref={form}
      onSubmit={submit}
      noValidate
      aria-labelledby={embedded ? undefined : "store-form-title"}
      aria-label={embedded ? t("detail.editSection") : undefined}
      data-testid="store-form"
    >
      {!embedded && <PageHeader title={<span id="store-form-title">{title}</span>} documentTitle={title} back={back} />}

      {errors.general.length > 0 && (
        <Banner tone="critical" testId="form-errors">
          <Text fontWeight="bold">{t("form.failed")}</Text>
          {errors.general.map((message, index) => (
            <Text key={index}>{message}</Text>
          ))}
        </Banner>
      )}

      <Box display="flex" flexDirection="column" gap={5} __maxWidth="720px">
        <Section title={t("form.storeSection")}>
          <SelectField
            name="channel"
            label={t("form.channel")}
            help={
              store.data && !store.data.channel ? t("form.channelDeleted") : channels.data?.length === 0 ? t("form.noChannels") : t("form.channelHelp")
            }
            error={errors.fields.channel}
            value={values.channel}
            onChange={(value) => set("channel", value)}
            placeholder={channels.loading ? t("app.loading") : t("form.channelPlaceholder")}
            options={channelOptions}
            required
          />
          {loadError("form.loadChannelsError", channels.error)}
          <TextField
            name="contactEmail"
            type="email"
            label={t("form.email")}
            autoComplete="email"
            value={values.contactEmail}
            error={errors.fields.contactEmail}
            onChange={(value) => set("contactEmail", value)}
            required
          />
          <TextField
            name="name"
            label={t("form.name")}
            help={t("form.nameHelp")}
            value={values.name}
            error={errors.fields.name}
            onChange={(value) => set("name", value)}
            required
          />
          <SelectField
            name="marketplace"
            label={t("form.marketplace")}
            help={mode === "update" ? t("form.marketplaceReadOnly") : t("form.marketplaceHelp")}
            error={errors.fields.marketplace}
            value={values.marketplace}
            onChange={(value) => set("marketplace", value)}
            placeholder={marketplaces.loading ? t("app.loading") : t("form.marketplacePlaceholder")}
            groups={marketplaceGroups}
            disabled={mode === "update"}
            required
          />
          {loadError("form.loadMarketplacesError", marketplaces.error)}
        </Section>

        <Section title={t("form.mappingSection")}>
          <SelectField
            name="productIdentifier"
            label={t("form.productIdType")}
            help={t("form.productIdTypeHelp")}
            error={errors.fields.productIdentifier}
            value={values.productIdType}
            onChange={(value) => set("productIdType", value as ProductIdType)}
            options={PRODUCT_ID_TYPES.map((type) => ({ value: type, label: type }))}
            required
          />
          {/* Enter searches here; it must not submit the store form. */}
          <Box onKeyDown={(event: KeyboardEvent) => event.key === "Enter" && event.preventDefault()}>
            <TextField
              name="attributeSearch"
              label={t("form.attributeSearch")}
              help={
                !attributes.loading && attributeSearch.trim() && attributes.attributes.length === 0
                  ? t("form.attributeNoMatch", { search: attributeSearch.trim() })
                  : t("form.attributeSearchHelp")
              }
              value={attributeSearch}
              onChange={setAttributeSearch}
            />
          </Box>
          <SelectField
            name="attribute"
            label={t("form.attribute")}
            help={t("form.attributeHelp")}
            error={errors.fields.attribute}
            value={values.attribute}
            onChange={(value) => set("attribute", value)}
            placeholder={t("form.attributePlaceholder")}
            options={attributeOptions}
            required
          />
          {attributes.hasNextPage && (
            <Box>
              <Button type="button" variant="secondary" size="small" disabled={attributes.loading} onClick={attributes.loadMore} data-testid="attribute-more">
                {attributes.loading ? t("app.loading") : t("form.attributeMore")}
              </Button>
            </Box>
          )}
          {loadError("form.loadAttributesError", attributes.error)}
          <Checkbox
            checked={values.isActive}
            onCheckedChange={(checked) => set("isActive", checked === true)}
            name="isActive"
          >
            <Text size={3}>{t("form.isActive")}</Text>
          </Checkbox>
        </Section>

      </Box>
      <Savebar
        dirty={mode === "create" || dirty}
        saving={saving}
        disabled={embedded?.busy}
        saveLabel={saving ? t("form.saving") : mode === "create" ? t("form.submitCreate") : t("form.submitUpdate")}
        cancelLabel={mode === "create" ? t("app.cancel") : undefined}
        onSave={() => form.current?.requestSubmit()}
        onCancel={() => {
          if (mode === "create") {
            // An explicit Cancel discards: no need to ask.
            setLeaveGuard(null);
            window.location.hash = back.href;
          }
          else setValues(initial);
        }}
        onDelete={embedded?.onDelete}
      />
      {leaveDialog}
    </Box>
  );
}
