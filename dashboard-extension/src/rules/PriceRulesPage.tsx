/**
 * A store's price rules (Amazon Sales Channel's *Pricing Rules*): the list in the order they apply
 * (priority 1 first, moved up and down), and the form of one rule: name, active, dates, priority, stop
 * further rules, the action, rounding, floor and ceiling, and the conditions (the same builder).
 */
import { Box, Button, Checkbox, Text } from "@saleor/macaw-ui";
import { useState } from "react";
import { useAsync, useFlash, useServices } from "../context";
import { useI18n, type MessageKey } from "../i18n";
import { fetchStore } from "../lib/api";
import { navigate, routeHash, setLeaveGuard } from "../lib/router";
import { describeStoreError } from "../stores/wording";
import { Badge, Banner, ConfirmDialog, DataTable, FlashBanner, FormScreen, Loading, LoadError, PageHeader, Section, SelectField, TextField, useSettingsForm } from "../ui";
import { ConditionBuilder, usePickerOptions } from "./ConditionBuilder";
import { useConditionText } from "./ListingRulesPage";
import {
  ACTIONS,
  AMOUNT_TYPES,
  CEILING_TYPES,
  deletePriceRule,
  emptyPriceRuleValues,
  fetchPriceRules,
  FLOOR_TYPES,
  formField,
  moved,
  movedTo,
  priceRuleInput,
  reorderPriceRules,
  ROUNDINGS,
  savePriceRule,
  valuesFromRule,
  type PriceRule,
  type TreeErrors,
} from "./rules";

/** "+15 %", "−2.00" */
export function actionText(t: ReturnType<typeof useI18n>["t"], rule: Pick<PriceRule, "action" | "amountType" | "amount">): string {
  return t(`rules.price.actionText.${rule.action}.${rule.amountType}` as MessageKey, { amount: rule.amount });
}

export function PriceRulesPage({ storeId }: { storeId: string }) {
  const i18n = useI18n();
  const { t, formatDateTime } = i18n;
  const { api } = useServices();
  const { showFlash } = useFlash();
  const store = useAsync(() => fetchStore(api, storeId), [api, storeId]);
  const rules = useAsync(() => fetchPriceRules(api, storeId), [api, storeId]);
  const [busy, setBusy] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<PriceRule | null>(null);
  const [general, setGeneral] = useState<string | null>(null);
  const [dragged, setDragged] = useState<string | null>(null);
  const [dropOn, setDropOn] = useState<string | null>(null);

  const storeName = store.data?.name ?? "";
  const back = { href: routeHash({ name: "detail", id: storeId }), label: storeName || t("app.title") };
  const title = t("rules.price.title");
  if ((rules.loading && !rules.data) || (store.loading && !store.data)) return <Loading />;
  if (!rules.data) {
    return <LoadError title={title} back={back} error={rules.error ?? store.error ?? new Error(t("detail.notFound"))} onRetry={rules.reload} />;
  }
  const list = rules.data;
  const ids = list.map((rule) => rule.id);

  const run = async (key: string, call: () => Promise<{ errors: Parameters<typeof describeStoreError>[1][] }>, done: string) => {
    setBusy(key);
    setGeneral(null);
    try {
      const answer = await call();
      if (answer.errors.length > 0) setGeneral(answer.errors.map((error) => describeStoreError(i18n, error)).join(" "));
      else showFlash({ tone: "success", text: done });
      await rules.reload();
    } catch (error) {
      setGeneral(t("error.generic", { message: error instanceof Error ? error.message : String(error) }));
    } finally {
      setBusy(null);
    }
  };
  const move = (rule: PriceRule, step: -1 | 1) =>
    void run(`move-${rule.id}`, () => reorderPriceRules(api, storeId, moved(ids, rule.id, step)), t("rules.price.reordered", { name: rule.name }));
  // Drag a row onto another to take its place (the arrows do the same from the keyboard).
  const canDrag = busy === null && ids.length > 1;
  const endDrag = () => {
    setDragged(null);
    setDropOn(null);
  };
  const dragProps = (rule: PriceRule) =>
    canDrag
      ? {
          draggable: true,
          "data-dragging": String(dragged === rule.id),
          "data-drop-target": String(dropOn === rule.id && dragged !== rule.id),
          style: { cursor: "grab", outline: dropOn === rule.id && dragged !== rule.id ? "2px dashed currentColor" : undefined },
          onDragStart: (event: React.DragEvent<HTMLTableRowElement>) => {
            event.dataTransfer?.setData("text/plain", rule.id);
            if (event.dataTransfer) event.dataTransfer.effectAllowed = "move";
            setDragged(rule.id);
          },
          onDragOver: (event: React.DragEvent<HTMLTableRowElement>) => {
            if (!dragged) return;
            event.preventDefault();
            setDropOn(rule.id);
          },
          onDrop: (event: React.DragEvent<HTMLTableRowElement>) => {
            event.preventDefault();
            const from = dragged;
            endDrag();
            const next = from ? movedTo(ids, from, rule.id) : ids;
            const name = list.find((item) => item.id === from)?.name ?? "";
            if (from && next !== ids) void run(`move-${from}`, () => reorderPriceRules(api, storeId, next), t("rules.price.reordered", { name }));
          },
          onDragEnd: endDrag,
        }
      : {};

  const dates = (rule: PriceRule) =>
    rule.startsAt || rule.endsAt
      ? t("rules.price.dates", { from: rule.startsAt ? formatDateTime(rule.startsAt) : t("rules.price.now"), to: rule.endsAt ? formatDateTime(rule.endsAt) : t("rules.price.noEnd") })
      : t("rules.price.always");

  return (
    <Box data-testid="price-rules" data-store-id={storeId}>
      <PageHeader
        title={title}
        subtitle={storeName}
        back={back}
        documentTitle={`${title} · ${storeName}`}
        actions={
          <Button variant="primary" onClick={() => navigate({ name: "priceRule", id: storeId, ruleId: "new" })} data-testid="price-rule-add">
            {t("rules.price.add")}
          </Button>
        }
      />
      <FlashBanner />
      {general && (
        <Banner tone="critical" testId="form-errors">
          <Text>{general}</Text>
        </Banner>
      )}
      <Section title={t("rules.price.order")}>
        <Text color="default2">{t("rules.price.intro")}</Text>
        {list.length > 1 && (
          <Text size={2} color="default2" data-testid="price-rules-drag-hint">
            {t("rules.price.dragHint")}
          </Text>
        )}
        {list.length === 0 ? (
          <Text color="default2" data-testid="price-rules-empty">
            {t("rules.price.empty")}
          </Text>
        ) : (
          <DataTable
            testId="price-rules-table"
            rows={list}
            rowKey={(rule) => rule.id}
            rowAttributes={(rule) => ({ "data-rule-id": rule.id, "data-name": rule.name, "data-priority": String(rule.priority) })}
            rowProps={dragProps}
            columns={[
              { header: t("rules.price.col.priority"), nowrap: true, cell: (rule) => <Text size={3}>{rule.priority}</Text> },
              {
                header: t("rules.price.col.name"),
                cell: (rule) => (
                  <Box display="flex" flexDirection="column" gap={1}>
                    <Text as="a" href={routeHash({ name: "priceRule", id: storeId, ruleId: rule.id })} size={3} fontWeight="medium" color="accent1" style={{ textDecoration: "underline" }}>
                      {rule.name}
                    </Text>
                    {rule.stopFurtherRules && (
                      <Text size={2} color="default2">
                        {t("rules.price.stops")}
                      </Text>
                    )}
                  </Box>
                ),
              },
              { header: t("rules.price.col.action"), nowrap: true, cell: (rule) => <Text size={3}>{actionText(t, rule)}</Text> },
              { header: t("rules.price.col.dates"), cell: (rule) => <Text size={3}>{dates(rule)}</Text> },
              {
                header: t("rules.price.col.status"),
                nowrap: true,
                cell: (rule) => (
                  <Badge tone={rule.inEffect ? "success" : "neutral"} data-in-effect={String(rule.inEffect)}>
                    {rule.inEffect ? t("rules.price.inEffect") : rule.isActive ? t("rules.price.scheduled") : t("rules.price.inactive")}
                  </Badge>
                ),
              },
              {
                header: t("rules.price.col.actions"),
                nowrap: true,
                cell: (rule) => {
                  const index = ids.indexOf(rule.id);
                  return (
                    <Box display="flex" gap={1}>
                      <Button variant="tertiary" size="small" disabled={busy !== null || index === 0} onClick={() => move(rule, -1)} aria-label={t("rules.price.moveUp", { name: rule.name })} data-action="up">
                        <span aria-hidden="true">↑</span>
                      </Button>
                      <Button variant="tertiary" size="small" disabled={busy !== null || index === ids.length - 1} onClick={() => move(rule, 1)} aria-label={t("rules.price.moveDown", { name: rule.name })} data-action="down">
                        <span aria-hidden="true">↓</span>
                      </Button>
                      <Button variant="tertiary" size="small" disabled={busy !== null} onClick={() => setConfirm(rule)} aria-label={t("rules.price.delete", { name: rule.name })} data-action="delete">
                        <span aria-hidden="true">✕</span>
                      </Button>
                    </Box>
                  );
                },
              },
            ]}
          />
        )}
      </Section>
      <ConfirmDialog
        open={confirm !== null}
        title={t("rules.price.deleteTitle", { name: confirm?.name ?? "" })}
        confirmLabel={t("rules.price.deleteConfirm")}
        busy={busy === "delete"}
        onCancel={() => setConfirm(null)}
        onConfirm={() => {
          const rule = confirm;
          if (!rule) return;
          void run("delete", () => deletePriceRule(api, rule.id), t("rules.price.deleted", { name: rule.name })).then(() => setConfirm(null));
        }}
      >
        <Text as="p">{t("rules.price.deleteBody")}</Text>
      </ConfirmDialog>
    </Box>
  );
}

export function PriceRulePage({ storeId, ruleId }: { storeId: string; ruleId: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { api } = useServices();
  const { showFlash } = useFlash();
  const creating = ruleId === "new";
  const store = useAsync(() => fetchStore(api, storeId), [api, storeId]);
  const rules = useAsync(() => fetchPriceRules(api, storeId), [api, storeId]);
  const { options } = usePickerOptions(store.data?.channel?.slug ?? null);
  const conditionText = useConditionText(options);
  const rule = creating ? null : (rules.data?.find((item) => item.id === ruleId) ?? null);
  const form = useSettingsForm(
    rules.data,
    (list) => {
      const found = creating ? null : list.find((item) => item.id === ruleId);
      return found ? valuesFromRule(found) : emptyPriceRuleValues();
    },
    (a, b) => JSON.stringify(priceRuleInput(a).input) === JSON.stringify(priceRuleInput(b).input),
  );
  const { values, errors, set, setValues, setGeneral, setSaving } = form;
  const [rowErrors, setRowErrors] = useState<TreeErrors>({});
  const [confirmDelete, setConfirmDelete] = useState(false);
  const dirty = creating ? values !== null : form.dirty;

  const storeName = store.data?.name ?? "";
  const listRoute = { name: "priceRules", id: storeId } as const;
  const back = { href: routeHash(listRoute), label: t("rules.price.title") };
  const title = creating ? t("rules.price.new") : (rule?.name ?? t("rules.price.title"));
  if ((rules.loading && !rules.data) || (store.loading && !store.data)) return <Loading />;
  if (!values || (!creating && !rule)) {
    return <LoadError title={title} back={back} error={rules.error ?? store.error ?? new Error(t("rules.price.notFound"))} onRetry={rules.reload} />;
  }

  const save = () => {
    const parsed = priceRuleInput(values);
    const fieldErrors = Object.fromEntries(Object.entries(parsed.errors).map(([key, code]) => [key, t(`rules.price.invalid.${code}` as MessageKey)]));
    setRowErrors(parsed.rowErrors);
    return form.submit(
      fieldErrors,
      async () => {
        const answer = await savePriceRule(api, storeId, creating ? null : ruleId, parsed.input);
        if (answer.errors.length === 0) {
          showFlash({ tone: "success", text: t("rules.price.saved", { name: parsed.input.name }), carry: true });
          setLeaveGuard(null);
          setValues(null);
          navigate(listRoute);
        }
        return answer.errors;
      },
      {
        describe: (error) => describeStoreError(i18n, error),
        fieldOf: (field) => {
          const key = formField(field);
          return key && key !== "conditions" ? key : undefined;
        },
      },
      Object.keys(parsed.rowErrors).length > 0,
    );
  };

  const remove = async () => {
    setSaving(true);
    try {
      const answer = await deletePriceRule(api, ruleId);
      setConfirmDelete(false);
      if (answer.errors.length > 0) {
        setGeneral(answer.errors.map((error) => describeStoreError(i18n, error)).join(" "));
        return;
      }
      showFlash({ tone: "success", text: t("rules.price.deleted", { name: rule?.name ?? "" }), carry: true });
      setLeaveGuard(null);
      setValues(null);
      navigate(listRoute);
    } finally {
      setSaving(false);
    }
  };

  const option = (group: string) => (value: string) => ({ value, label: t(`rules.price.${group}.${value}` as MessageKey) });
  const amountHelp = values.amountType === "PERCENTAGE" ? t("rules.price.amountPercentHelp") : t("rules.price.amountFixedHelp");
  const conditionsNow = conditionText(priceRuleInput(values).input.conditions);

  return (
    <FormScreen
      testId="price-rule-form"
      attributes={{ "data-rule-id": creating ? "new" : ruleId }}
      title={title}
      subtitle={storeName}
      back={back}
      form={{
        ...form,
        dirty,
        reset: () => {
          form.reset();
          setRowErrors({});
        },
      }}
      onSave={() => void save()}
      onDelete={creating ? undefined : () => setConfirmDelete(true)}
      sections={
        <>
          <Section title={t("rules.price.general")}>
            <TextField name="rule-name" label={t("rules.price.name")} value={values.name} error={errors.name} onChange={(value) => set("name", value)} required />
            <TextField name="rule-description" label={t("rules.price.description")} value={values.description} onChange={(value) => set("description", value)} />
            <Checkbox name="rule-active" checked={values.isActive} onCheckedChange={(checked) => set("isActive", checked === true)}>
              <Text size={3}>{t("rules.price.active")}</Text>
            </Checkbox>
            <Box display="grid" __gridTemplateColumns="repeat(auto-fit, minmax(220px, 1fr))" gap={3}>
              <DateField name="rule-starts" label={t("rules.price.startsAt")} help={t("rules.price.startsAtHelp")} value={values.startsAt} error={errors.startsAt} onChange={(value) => set("startsAt", value)} />
              <DateField name="rule-ends" label={t("rules.price.endsAt")} help={t("rules.price.endsAtHelp")} value={values.endsAt} error={errors.endsAt} onChange={(value) => set("endsAt", value)} />
              <TextField name="rule-priority" label={t("rules.price.priority")} help={t("rules.price.priorityHelp")} value={values.priority} error={errors.priority} onChange={(value) => set("priority", value)} />
            </Box>
            <Checkbox name="rule-stop" checked={values.stopFurtherRules} onCheckedChange={(checked) => set("stopFurtherRules", checked === true)}>
              <Text size={3}>{t("rules.price.stopFurtherRules")}</Text>
            </Checkbox>
          </Section>

          <Section title={t("rules.price.actionTitle")}>
            <Box display="grid" __gridTemplateColumns="repeat(auto-fit, minmax(200px, 1fr))" gap={3}>
              <SelectField name="rule-action" label={t("rules.price.action")} value={values.action} onChange={(value) => set("action", value)} options={ACTIONS.map(option("action"))} />
              <SelectField name="rule-amount-type" label={t("rules.price.amountType")} value={values.amountType} onChange={(value) => set("amountType", value)} options={AMOUNT_TYPES.map(option("amountType"))} />
              <TextField name="rule-amount" label={t("rules.price.amount")} help={amountHelp} value={values.amount} error={errors.amount} onChange={(value) => set("amount", value)} required />
            </Box>
            <Box display="grid" __gridTemplateColumns="repeat(auto-fit, minmax(200px, 1fr))" gap={3}>
              <SelectField name="rule-rounding" label={t("rules.price.rounding")} value={values.rounding} onChange={(value) => set("rounding", value)} options={ROUNDINGS.map(option("rounding"))} />
              {values.rounding !== "NONE" && (
                <TextField name="rule-rounding-ending" label={t("rules.price.roundingEnding")} help={t("rules.price.roundingEndingHelp")} value={values.roundingEnding} error={errors.roundingEnding} onChange={(value) => set("roundingEnding", value)} />
              )}
            </Box>
            <Box display="grid" __gridTemplateColumns="repeat(auto-fit, minmax(200px, 1fr))" gap={3}>
              <SelectField name="rule-floor" label={t("rules.price.floorType")} value={values.floorType} onChange={(value) => set("floorType", value)} options={FLOOR_TYPES.map(option("floorType"))} />
              {values.floorType !== "NONE" && (
                <TextField
                  name="rule-floor-amount"
                  label={values.floorType === "COST_MARGIN" ? t("rules.price.floorMargin") : t("rules.price.floorAmount")}
                  value={values.floorAmount}
                  error={errors.floorAmount}
                  onChange={(value) => set("floorAmount", value)}
                />
              )}
              <SelectField name="rule-ceiling" label={t("rules.price.ceilingType")} value={values.ceilingType} onChange={(value) => set("ceilingType", value)} options={CEILING_TYPES.map(option("ceilingType"))} />
              {values.ceilingType !== "NONE" && (
                <TextField
                  name="rule-ceiling-amount"
                  label={values.ceilingType === "PRICE_MARGIN" ? t("rules.price.ceilingMargin") : t("rules.price.ceilingAmount")}
                  value={values.ceilingAmount}
                  error={errors.ceilingAmount}
                  onChange={(value) => set("ceilingAmount", value)}
                />
              )}
            </Box>
          </Section>

          <Section title={t("rules.conditions")}>
            <Text color="default2">{t("rules.price.conditionsIntro")}</Text>
            <ConditionBuilder value={values.conditions} onChange={(next) => { set("conditions", next); setRowErrors({}); }} errors={rowErrors} options={options} />
            {conditionsNow && (
              <Text size={2} color="default2" data-testid="conditions-summary">
                {conditionsNow}
              </Text>
            )}
          </Section>
        </>
      }
    >
      <ConfirmDialog
        open={confirmDelete}
        title={t("rules.price.deleteTitle", { name: rule?.name ?? "" })}
        confirmLabel={t("rules.price.deleteConfirm")}
        busy={form.saving}
        onCancel={() => setConfirmDelete(false)}
        onConfirm={() => void remove()}
      >
        <Text as="p">{t("rules.price.deleteBody")}</Text>
      </ConfirmDialog>
    </FormScreen>
  );
}

/** A date and time in the merchant's time zone (a native datetime-local input, labelled like TextField). */
function DateField({ name, label, help, value, error, onChange }: { name: string; label: string; help: string; value: string; error?: string; onChange: (value: string) => void }) {
  const id = `field-${name}`;
  return (
    <Box display="flex" flexDirection="column" gap={1}>
      <Box as="label" htmlFor={id}>
        <Text size={3} fontWeight="medium" color={error ? "critical1" : "default1"}>
          {label}
        </Text>
      </Box>
      <Box
        as="input"
        type="datetime-local"
        id={id}
        name={name}
        value={value}
        aria-invalid={error ? true : undefined}
        aria-describedby={`${id}-help${error ? ` ${id}-error` : ""}`}
        onChange={(event: React.ChangeEvent<HTMLInputElement>) => onChange(event.target.value)}
        paddingX={3}
        paddingY={2}
        borderRadius={3}
        borderStyle="solid"
        borderWidth={1}
        borderColor={error ? "critical1" : "default1"}
        backgroundColor="default1"
        color="default1"
        fontSize={4}
        __minHeight="40px"
      />
      {error && (
        <Text as="p" id={`${id}-error`} size={2} color="critical1" data-testid="field-error">
          {error}
        </Text>
      )}
      <Text as="p" id={`${id}-help`} size={2} color="default2">
        {help}
      </Text>
    </Box>
  );
}
