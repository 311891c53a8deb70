/**
 * The condition builder, in the look of the Saleor Dashboard's discount rules: rows "field / operator /
 * values" in a group whose conditions must all (or any) hold, groups nested inside groups.
 */
import { Box, Button, Text } from "@saleor/macaw-ui";
import { useEffect, useState } from "react";
import { AttributeCondition } from "./AttributeCondition";
import { useServices } from "../context";
import { useI18n, type MessageKey } from "../i18n";
import { outline } from "../ui";
import {
  addGroup,
  addRow,
  CONDITION_FIELDS,
  fetchPickerOptions,
  operatorsFor,
  PICKER_FIELDS,
  removeNode,
  setMode,
  updateRow,
  type ConditionGroup,
  type ConditionNode,
  type ConditionRow,
  type PickerField,
  type PickerOption,
  type TreeErrors,
} from "./rules";

export type PickerOptions = Partial<Record<PickerField, PickerOption[]>>;

/** Saleor's categories, product types and collections (of the store's channel), loaded once per screen. */
export function usePickerOptions(channel: string | null = null): { options: PickerOptions; error: unknown } {
  const { saleor } = useServices();
  const [options, setOptions] = useState<PickerOptions>({});
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let current = true;
    for (const field of PICKER_FIELDS as PickerField[]) {
      fetchPickerOptions(saleor, field, channel).then(
        (found) => current && setOptions((previous) => ({ ...previous, [field]: found })),
        (failure) => current && setError(failure),
      );
    }
    return () => {
      current = false;
    };
  }, [saleor, channel]);
  return { options, error };
}

const CONTROL = {
  paddingX: 2,
  paddingY: 1.5,
  borderRadius: 3,
  borderStyle: "solid",
  borderWidth: 1,
  borderColor: "default1",
  backgroundColor: "default1",
  color: "default1",
  fontSize: 3,
  __minHeight: "36px",
} as const;

export function ConditionBuilder({
  value,
  onChange,
  errors,
  options,
  testId = "condition-builder",
}: {
  value: ConditionGroup;
  onChange: (next: ConditionGroup) => void;
  errors: TreeErrors;
  options: PickerOptions;
  testId?: string;
}) {
  return (
    <Box data-testid={testId}>
      <GroupEditor root={value} group={value} depth={0} onChange={onChange} errors={errors} options={options} />
    </Box>
  );
}

function GroupEditor({
  root,
  group,
  depth,
  onChange,
  errors,
  options,
}: {
  root: ConditionGroup;
  group: ConditionGroup;
  depth: number;
  onChange: (next: ConditionGroup) => void;
  errors: TreeErrors;
  options: PickerOptions;
}) {
  const { t } = useI18n();
  return (
    <Box
      role="group"
      aria-label={depth === 0 ? t("rules.conditions") : t("rules.nestedGroup", { depth })}
      data-testid="condition-group"
      data-mode={group.mode}
      display="flex"
      flexDirection="column"
      gap={3}
      padding={depth === 0 ? 0 : 3}
      {...(depth === 0 ? {} : outline("default1", 3))}
      backgroundColor={depth % 2 === 1 ? "default2" : undefined}
    >
      <Box display="flex" alignItems="center" gap={2} flexWrap="wrap">
        <Text size={3}>{t("rules.match")}</Text>
        <Box
          as="select"
          aria-label={t("rules.mode")}
          value={group.mode}
          onChange={(event: React.ChangeEvent<HTMLSelectElement>) => onChange(setMode(root, group.key, event.target.value as "all" | "any"))}
          data-testid="condition-mode"
          {...CONTROL}
        >
          <option value="all">{t("rules.mode.all")}</option>
          <option value="any">{t("rules.mode.any")}</option>
        </Box>
        {depth > 0 && (
          <Button variant="tertiary" size="small" onClick={() => onChange(removeNode(root, group.key))} data-testid="condition-group-remove">
            {t("rules.removeGroup")}
          </Button>
        )}
      </Box>
      {group.children.length === 0 && (
        <Text size={3} color="default2" data-testid="conditions-empty">
          {depth === 0 ? t("rules.noConditions") : t("rules.emptyGroup")}
        </Text>
      )}
      {group.children.map((child: ConditionNode) =>
        child.type === "group" ? (
          <GroupEditor key={child.key} root={root} group={child} depth={depth + 1} onChange={onChange} errors={errors} options={options} />
        ) : (
          <RowEditor key={child.key} root={root} row={child} onChange={onChange} error={errors[child.key]} options={options} />
        ),
      )}
      {/* On the right: in the real Dashboard its announcement card (bottom-left) lay over "Add condition". */}
      <Box display="flex" gap={2} flexWrap="wrap" justifyContent="flex-end">
        <Button variant="secondary" size="small" onClick={() => onChange(addRow(root, group.key))} data-testid="condition-add">
          {t("rules.addCondition")}
        </Button>
        {depth < 4 && (
          <Button variant="tertiary" size="small" onClick={() => onChange(addGroup(root, group.key))} data-testid="condition-add-group">
            {t("rules.addGroup")}
          </Button>
        )}
      </Box>
    </Box>
  );
}

function RowEditor({
  root,
  row,
  onChange,
  error,
  options,
}: {
  root: ConditionGroup;
  row: ConditionRow;
  onChange: (next: ConditionGroup) => void;
  error?: string;
  options: PickerOptions;
}) {
  const { t } = useI18n();
  const set = (patch: Partial<Omit<ConditionRow, "key" | "type">>) => onChange(updateRow(root, row.key, patch));
  const errorId = `${row.key}-error`;
  const described = error ? { "aria-describedby": errorId, "aria-invalid": true } : {};
  const fieldLabel = t(`rules.field.${row.field}` as MessageKey);
  const picker = PICKER_FIELDS.includes(row.field) ? (options[row.field as PickerField] ?? []) : null;
  // Picked ids the list does not know (deleted since, or beyond the picker's limit) stay visible.
  const known = new Set((picker ?? []).map((option) => option.id));
  const missing = row.values.filter((id) => !known.has(id));
  return (
    <Box data-testid="condition-row" data-field={row.field} display="flex" flexDirection="column" gap={1}>
      <Box display="flex" gap={2} alignItems="flex-start" flexWrap="wrap">
        <Box
          as="select"
          aria-label={t("rules.fieldLabel")}
          value={row.field}
          onChange={(event: React.ChangeEvent<HTMLSelectElement>) => set({ field: event.target.value as ConditionRow["field"] })}
          data-testid="condition-field"
          {...CONTROL}
        >
          {CONDITION_FIELDS.map((field) => (
            <option key={field} value={field}>
              {t(`rules.field.${field}` as MessageKey)}
            </option>
          ))}
        </Box>
        <Box
          as="select"
          aria-label={t("rules.operatorLabel", { field: fieldLabel })}
          value={row.operator}
          onChange={(event: React.ChangeEvent<HTMLSelectElement>) => set({ operator: event.target.value as ConditionRow["operator"] })}
          data-testid="condition-operator"
          {...CONTROL}
        >
          {operatorsFor(row.field).map((operator) => (
            <option key={operator} value={operator}>
              {t(`rules.operator.${operator}` as MessageKey)}
            </option>
          ))}
        </Box>
        {picker && (
          <Box
            as="select"
            multiple
            size={Math.min(5, Math.max(2, picker.length + missing.length))}
            aria-label={t("rules.valuesLabel", { field: fieldLabel })}
            value={row.values}
            onChange={(event: React.ChangeEvent<HTMLSelectElement>) => set({ values: Array.from(event.target.selectedOptions, (option) => option.value) })}
            data-testid="condition-values"
            {...described}
            {...CONTROL}
            __minWidth="220px"
            borderColor={error ? "critical1" : "default1"}
          >
            {picker.map((option) => (
              <option key={option.id} value={option.id}>
                {"\u00a0\u00a0".repeat(option.level ?? 0)}
                {option.name}
              </option>
            ))}
            {missing.map((id) => (
              <option key={id} value={id}>
                {t("rules.unknownValue", { id })}
              </option>
            ))}
          </Box>
        )}
        {row.field === "attribute" && <AttributeCondition slug={row.slug} values={row.values} onChange={set} error={Boolean(error)} />}
        {(row.field === "price" || row.field === "stock") && (
          <>
            <Box
              as="input"
              inputMode={row.field === "price" ? "decimal" : "numeric"}
              aria-label={t("rules.min", { field: fieldLabel })}
              placeholder={t("rules.minPlaceholder")}
              value={row.min}
              onChange={(event: React.ChangeEvent<HTMLInputElement>) => set({ min: event.target.value })}
              data-testid="condition-min"
              {...described}
              {...CONTROL}
              __width="110px"
            />
            <Text size={3}>{t("rules.and")}</Text>
            <Box
              as="input"
              inputMode={row.field === "price" ? "decimal" : "numeric"}
              aria-label={t("rules.max", { field: fieldLabel })}
              placeholder={t("rules.maxPlaceholder")}
              value={row.max}
              onChange={(event: React.ChangeEvent<HTMLInputElement>) => set({ max: event.target.value })}
              data-testid="condition-max"
              {...described}
              {...CONTROL}
              __width="110px"
            />
          </>
        )}
        <Button
          variant="tertiary"
          size="small"
          onClick={() => onChange(removeNode(root, row.key))}
          aria-label={t("rules.removeCondition", { field: fieldLabel })}
          data-testid="condition-remove"
        >
          <span aria-hidden="true">✕</span>
        </Button>
      </Box>
      {error && (
        <Text id={errorId} size={2} color="critical1" data-testid="field-error">
          {t(`rules.invalid.${error}` as MessageKey)}
        </Text>
      )}
    </Box>
  );
}
