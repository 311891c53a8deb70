/**
 * One listing, in a drawer over the store page: what Saleor wants next to what Amazon shows,
 * Amazon's issues in its own words, the overrides (set and clear), list/end/relist, and for a
 * multiple match the ASIN to sell on.
 */
import { Box, Button, Modal, Spinner, Text } from "@saleor/macaw-ui";
import { useEffect, useId, useState } from "react";
import { useServices } from "../context";
import { useI18n, type MessageKey } from "../i18n";
import { isSafeExternalUrl } from "../lib/urls";
import { describeStoreError } from "../stores/wording";
import { Badge, Banner, DataTable, Facts, SelectField, TextField, TextLink, useReturnFocus, outline } from "../ui";
import {
  actionsFor,
  ASIN_PATTERN,
  assignAsin,
  clearOverrides,
  CONDITIONS,
  fetchCandidateAsins,
  parseOverrides,
  runBulkAction,
  setOverrides,
  type BulkAction,
  type Listing,
  type Offer,
} from "./listings";
import { priceText, reasonText, STATE_TONES } from "./ListingsSection";
import { AppliedRules } from "../rules/AppliedRules";

type Busy = BulkAction | "override" | "clear" | "asin" | null;

export function ListingDrawer({
  storeId,
  listing,
  onClose,
  onChanged,
}: {
  storeId: string;
  listing: Listing | null;
  onClose: () => void;
  onChanged: (listing: Listing) => void;
}) {
  const { t } = useI18n();
  const titleId = useId();
  const open = listing !== null;
  useReturnFocus(open);
  return (
    <Modal open={open} onChange={(next) => (next ? undefined : onClose())}>
      <Modal.Content dialogContentProps={{ "aria-labelledby": titleId, onCloseAutoFocus: (event) => event.preventDefault() }}>
        <Box
          position="fixed"
          __top="0"
          __right="0"
          __bottom="0"
          __width="min(640px, 100vw)"
          backgroundColor="default1"
          {...outline()}
          boxShadow="defaultModal"
          padding={6}
          overflowY="auto"
          display="flex"
          flexDirection="column"
          gap={5}
          data-testid="listing-drawer"
          data-listing-id={listing?.id}
          data-state={listing?.state}
        >
          {listing && (
            <>
              <Box display="flex" justifyContent="space-between" alignItems="flex-start" gap={3}>
                <Text as="h2" id={titleId} size={8} fontWeight="bold">
                  {listing.name || listing.sellerSku}
                </Text>
                <Button variant="tertiary" size="small" onClick={onClose} aria-label={t("app.close")} data-testid="dialog-close">
                  <span aria-hidden="true">✕</span>
                </Button>
              </Box>
              <DrawerBody key={listing.id} storeId={storeId} listing={listing} onChanged={onChanged} />
            </>
          )}
        </Box>
      </Modal.Content>
    </Modal>
  );
}

function DrawerBody({ storeId, listing, onChanged }: { storeId: string; listing: Listing; onChanged: (listing: Listing) => void }) {
  const i18n = useI18n();
  const { t, formatDateTime } = i18n;
  const { api } = useServices();
  const [busy, setBusy] = useState<Busy>(null);
  const [message, setMessage] = useState<{ tone: "critical" | "success"; text: string } | null>(null);
  const [form, setForm] = useState({
    price: listing.overrides.price ?? "",
    quantity: listing.overrides.quantity != null ? String(listing.overrides.quantity) : "",
    handlingTime: listing.overrides.handlingTime != null ? String(listing.overrides.handlingTime) : "",
    condition: listing.overrides.condition ?? "",
  });
  // The saved overrides when they change (a save or a clear answers with the listing): adjusted while rendering.
  const savedOverrides = JSON.stringify(listing.overrides);
  const [formFrom, setFormFrom] = useState(savedOverrides);
  if (formFrom !== savedOverrides) {
    setFormFrom(savedOverrides);
    setForm({
      price: listing.overrides.price ?? "",
      quantity: listing.overrides.quantity != null ? String(listing.overrides.quantity) : "",
      handlingTime: listing.overrides.handlingTime != null ? String(listing.overrides.handlingTime) : "",
      condition: listing.overrides.condition ?? "",
    });
  }
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [candidates, setCandidates] = useState<string[]>([]);
  const [asin, setAsin] = useState("");
  const multiple = listing.reasonCode === "MULTIPLE_MATCHES";

  useEffect(() => {
    if (!multiple) return undefined;
    let current = true;
    fetchCandidateAsins(api, storeId, listing).then(
      (found) => {
        if (!current) return;
        setCandidates(found);
        setAsin((previous) => previous || found[0] || "");
      },
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [api, storeId, listing, multiple]);

  const act = async (kind: Exclude<Busy, null>, call: () => Promise<{ listings: Listing[]; errors: Parameters<typeof describeStoreError>[1][] }>, done: string) => {
    setBusy(kind);
    setMessage(null);
    try {
      const result = await call();
      if (result.errors.length > 0) {
        setMessage({ tone: "critical", text: result.errors.map((error) => describeStoreError(i18n, error)).join(" ") });
        return;
      }
      const next = result.listings.find((item) => item.id === listing.id);
      setMessage({ tone: "success", text: done });
      if (next) onChanged(next);
    } catch (error) {
      setMessage({ tone: "critical", text: t("error.generic", { message: error instanceof Error ? error.message : String(error) }) });
    } finally {
      setBusy(null);
    }
  };

  const saveOverrides = () => {
    const parsed = parseOverrides(form);
    const errors = Object.fromEntries(Object.entries(parsed.errors).map(([field, code]) => [field, t(`listings.invalid.${code}` as MessageKey)]));
    setFieldErrors(errors);
    if (Object.keys(errors).length > 0) return;
    if (Object.keys(parsed.input).length === 0) {
      setFieldErrors({ price: t("listings.invalid.empty") });
      return;
    }
    void act("override", () => setOverrides(api, storeId, [listing.id], parsed.input), t("listings.overrideSaved"));
  };

  const conditionLabel = (code: string | null) => (code ? i18n.tDynamic(`listings.condition.${code}`, "listings.condition.other") : t("app.none"));
  const offerRows: Array<{ key: string; label: string; cell: (offer: Offer | null, desired: boolean) => string }> = [
    { key: "price", label: t("listings.col.price"), cell: (offer) => (offer ? priceText(i18n, offer.price, offer.currency) : t("app.none")) },
    { key: "quantity", label: t("listings.col.quantity"), cell: (offer) => (offer?.quantity != null ? String(offer.quantity) : t("app.none")) },
    {
      key: "handlingTime",
      label: t("listings.handlingTime"),
      // A desired offer without a handling time is one imported from Amazon: the channel leaves Amazon's own.
      cell: (offer, desired) =>
        offer?.handlingTime != null
          ? t("listings.days", { count: offer.handlingTime })
          : desired && offer?.price != null
            ? t("listings.handlingTimeAmazon")
            : t("app.none"),
    },
    { key: "condition", label: t("listings.condition"), cell: (offer) => conditionLabel(offer?.condition ?? null) },
  ];
  const link = isSafeExternalUrl(listing.productUrl) ? listing.productUrl : null;
  const actions = actionsFor(listing);

  return (
    <Box display="flex" flexDirection="column" gap={5}>
      <Box display="flex" gap={2} flexWrap="wrap" alignItems="center">
        <Badge tone={STATE_TONES[listing.state]} testId="listing-state">
          {t(`listings.state.${listing.state}` as MessageKey)}
        </Badge>
        {listing.inProgress && <Badge tone="neutral">{t("listings.inProgress")}</Badge>}
        {listing.hasOverride && <Badge tone="warning">{t("listings.overridden")}</Badge>}
      </Box>
      {message && (
        <Banner tone={message.tone} onDismiss={() => setMessage(null)} testId="listing-message">
          <Text>{message.text}</Text>
        </Banner>
      )}
      {listing.reasonCode && (
        <Text as="p" size={3} color="default2" data-testid="listing-reason" data-reason={listing.reasonCode}>
          {reasonText(i18n, listing)}
        </Text>
      )}
      <Facts
        items={[
          [t("listings.col.sku"), listing.skuGenerated ? t("listings.skuGenerated", { sku: listing.sellerSku }) : listing.sellerSku],
          [t("listings.col.asin"), link && listing.asin ? <TextLink key="asin" href={link} external>{listing.asin}</TextLink> : listing.asin || t("app.none")],
          [t("listings.productType"), listing.productType || t("app.none")],
          [t("listings.fulfillment"), listing.fulfillmentChannel === "DEFAULT" ? t("listings.fulfillment.merchant") : t("listings.fulfillment.amazon")],
          listing.amazonStatus.length > 0 ? [t("listings.amazonStatus"), listing.amazonStatus.join(", ")] : null,
          // The rules' notes read better in "Why this price" below; the raw list stays for what it does not explain.
          listing.applied.length > 0 && !listing.appliedRules?.length ? [t("listings.applied"), listing.applied.join(", ")] : null,
          [t("listings.checkedAt"), formatDateTime(listing.checkedAt)],
        ]}
      />

      {actions.length > 0 && (
        <Box display="flex" gap={2} flexWrap="wrap" data-testid="listing-actions">
          {actions.map((action) => (
            <Button
              key={action}
              variant={action === "end" ? "error" : "primary"}
              disabled={busy !== null}
              data-action={action}
              onClick={() => void act(action, () => runBulkAction(api, storeId, action, [listing.id]), t(`listings.done.${action}`, { count: 1 }))}
            >
              {busy === action ? <Spinner aria-hidden="true" /> : null}
              {t(`listings.action.${action}`)}
            </Button>
          ))}
        </Box>
      )}

      <Box as="section" aria-labelledby="listing-offer" display="flex" flexDirection="column" gap={2}>
        <Text as="h3" id="listing-offer" size={5} fontWeight="bold">
          {t("listings.offer")}
        </Text>
        <DataTable
          testId="listing-offer"
          rows={offerRows}
          rowKey={(row) => row.key}
          rowAttributes={(row) => ({ "data-field": row.key })}
          columns={[
            { header: t("listings.field"), cell: (row) => <Text size={3}>{row.label}</Text> },
            { header: t("listings.desired"), cell: (row) => <Text size={3} data-desired="">{row.cell(listing.desired, true)}</Text> },
            { header: t("listings.onAmazon"), cell: (row) => <Text size={3} data-on-amazon="">{row.cell(listing.onAmazon, false)}</Text> },
          ]}
        />
      </Box>

      {listing.appliedRules && listing.appliedRules.length > 0 && <AppliedRules storeId={storeId} listing={listing} />}

      <Box as="section" aria-labelledby="listing-issues" display="flex" flexDirection="column" gap={2} data-testid="listing-issues">
        <Text as="h3" id="listing-issues" size={5} fontWeight="bold">
          {t("listings.issues")}
        </Text>
        {listing.issues.length === 0 ? (
          <Text size={3} color="default2">
            {t("listings.noIssues")}
          </Text>
        ) : (
          <Box as="ul" margin={0} paddingLeft={4} display="flex" flexDirection="column" gap={2}>
            {listing.issues.map((issue, index) => (
              <li key={`${issue.code}-${index}`} data-testid="listing-issue" data-code={issue.code}>
                <Text size={3} fontWeight="medium" color={issue.severity === "ERROR" ? "critical1" : "default1"}>
                  {i18n.tDynamic(`listings.severity.${issue.severity}`, "listings.severity.INFO")} · {issue.code}
                </Text>
                {/* Amazon's own words, in Amazon's language. */}
                <Text as="p" size={3} lang="en">
                  {issue.message}
                </Text>
                {issue.attributeNames.length > 0 && (
                  <Text as="p" size={2} color="default2">
                    {t("listings.attributes", { names: issue.attributeNames.join(", ") })}
                  </Text>
                )}
              </li>
            ))}
          </Box>
        )}
      </Box>

      {multiple && (
        <Box as="section" aria-labelledby="listing-asin" display="flex" flexDirection="column" gap={3} data-testid="listing-asin-picker">
          <Text as="h3" id="listing-asin" size={5} fontWeight="bold">
            {t("listings.pickAsin")}
          </Text>
          <Text size={3} color="default2">
            {t("listings.pickAsinHelp")}
          </Text>
          {candidates.length > 0 && (
            <Box as="fieldset" borderStyle="none" padding={0} margin={0} display="flex" flexDirection="column" gap={2}>
              <Box as="legend" padding={0}>
              <Text size={3} fontWeight="medium">
                {t("listings.candidates")}
              </Text>
            </Box>
              {candidates.map((candidate) => (
                <Box as="label" key={candidate} display="flex" gap={2} alignItems="center">
                  <input type="radio" name="listing-asin" value={candidate} checked={asin === candidate} onChange={() => setAsin(candidate)} />
                  <Text size={3}>{candidate}</Text>
                </Box>
              ))}
            </Box>
          )}
          <TextField
            name="listing-asin-other"
            label={t("listings.asinField")}
            value={asin}
            onChange={(value) => setAsin(value.trim().toUpperCase())}
            error={asin && !ASIN_PATTERN.test(asin) ? t("listings.invalid.asin") : null}
          />
          <Box>
            <Button
              variant="primary"
              disabled={busy !== null || !ASIN_PATTERN.test(asin)}
              onClick={() => void act("asin", () => assignAsin(api, storeId, [listing.id], asin), t("listings.asinAssigned", { asin }))}
              data-testid="listing-assign-asin"
            >
              {busy === "asin" ? <Spinner aria-hidden="true" /> : null}
              {t("listings.assignAsin")}
            </Button>
          </Box>
        </Box>
      )}

      {listing.fulfillmentChannel === "DEFAULT" && listing.state !== "THIRD_PARTY" && (
        <Box as="section" aria-labelledby="listing-overrides" display="flex" flexDirection="column" gap={3} data-testid="listing-overrides">
          <Text as="h3" id="listing-overrides" size={5} fontWeight="bold">
            {t("listings.overrides")}
          </Text>
          <Text size={3} color="default2">
            {t("listings.overridesHelp")}
          </Text>
          <Box display="grid" __gridTemplateColumns="repeat(auto-fit, minmax(200px, 1fr))" gap={3}>
            <TextField name="override-price" label={t("listings.overridePrice")} value={form.price} error={fieldErrors.price} onChange={(price) => setForm({ ...form, price })} />
            <TextField name="override-quantity" label={t("listings.overrideQuantity")} value={form.quantity} error={fieldErrors.quantity} onChange={(quantity) => setForm({ ...form, quantity })} />
            <TextField
              name="override-handling"
              label={t("listings.overrideHandling")}
              value={form.handlingTime}
              error={fieldErrors.handlingTime}
              onChange={(handlingTime) => setForm({ ...form, handlingTime })}
            />
            <SelectField
              name="override-condition"
              label={t("listings.overrideCondition")}
              value={form.condition}
              onChange={(condition) => setForm({ ...form, condition })}
              options={[{ value: "", label: t("listings.noOverride") }, ...CONDITIONS.map((code) => ({ value: code, label: conditionLabel(code) }))]}
            />
          </Box>
          <Box display="flex" gap={2} flexWrap="wrap">
            <Button variant="primary" disabled={busy !== null} onClick={saveOverrides} data-testid="listing-override-save">
              {busy === "override" ? <Spinner aria-hidden="true" /> : null}
              {t("listings.overrideSave")}
            </Button>
            {listing.hasOverride && (
              <Button
                variant="secondary"
                disabled={busy !== null}
                onClick={() => void act("clear", () => clearOverrides(api, storeId, [listing.id]), t("listings.overrideCleared"))}
                data-testid="listing-override-clear"
              >
                {busy === "clear" ? <Spinner aria-hidden="true" /> : null}
                {t("listings.overrideClear")}
              </Button>
            )}
          </Box>
        </Box>
      )}
    </Box>
  );
}
