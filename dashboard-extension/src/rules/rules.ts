/**
 * Listing rules and price rules: the condition tree the builder edits (rows "field / operator / values"
 * in all / any groups, like the Saleor Dashboard's discount rules), its conversion from and to the API's
 * `AmazonRuleConditionInput` (Saleor's `where` shape: AND / OR, one kind per object), the price-rule
 * form, and the GraphQL operations.
 */
import type { GraphQLClient } from "../lib/graphql";
import type { AmazonStoreError } from "../lib/types";

export const CONDITION_FIELDS = ["category", "productType", "collection", "attribute", "published", "availableForPurchase", "price", "stock"] as const;
export type ConditionField = (typeof CONDITION_FIELDS)[number];
export type PickerField = "category" | "productType" | "collection";
export const PICKER_FIELDS: readonly ConditionField[] = ["category", "productType", "collection"];
const FLAG_FIELDS: readonly ConditionField[] = ["published", "availableForPurchase"];
const RANGE_FIELDS: readonly ConditionField[] = ["price", "stock"];

/** "is any of" / "is none of" for lists; "is" / "is not" for yes-no; "between" for ranges. */
export type Operator = "oneOf" | "noneOf" | "is" | "isNot" | "between";

export type ConditionRow = {
  key: string;
  type: "row";
  field: ConditionField;
  operator: Operator;
  /** Picked ids (category, product type, collection), or attribute value slugs. */
  values: string[];
  /** The attribute's slug. */
  slug: string;
  /** Range bounds as typed ("" when open). */
  min: string;
  max: string;
};
export type ConditionGroup = { key: string; type: "group"; mode: "all" | "any"; children: ConditionNode[] };
export type ConditionNode = ConditionRow | ConditionGroup;

/** The API's condition object (AmazonRuleConditionInput, and the JSON the rules answer with). */
export type ApiCondition = {
  AND?: ApiCondition[];
  OR?: ApiCondition[];
  productType?: { oneOf?: string[]; noneOf?: string[] };
  category?: { oneOf?: string[]; noneOf?: string[] };
  collection?: { oneOf?: string[]; noneOf?: string[] };
  attribute?: { slug: string; oneOf?: string[]; noneOf?: string[] };
  published?: boolean;
  availableForPurchase?: boolean;
  price?: { gte?: string; lte?: string };
  stock?: { gte?: number; lte?: number };
};

let counter = 0;
/** A key for a new node (React's list key; never sent). */
export function newKey(): string {
  counter += 1;
  return `c${counter}`;
}

export function operatorsFor(field: ConditionField): Operator[] {
  if (FLAG_FIELDS.includes(field)) return ["is", "isNot"];
  if (RANGE_FIELDS.includes(field)) return ["between"];
  return ["oneOf", "noneOf"];
}

export function newRow(field: ConditionField = "category"): ConditionRow {
  return { key: newKey(), type: "row", field, operator: operatorsFor(field)[0], values: [], slug: "", min: "", max: "" };
}

export function newGroup(mode: "all" | "any" = "all", children: ConditionNode[] = []): ConditionGroup {
  return { key: newKey(), type: "group", mode, children };
}

// --- Editing (pure: each returns a new tree) -------------------------------------------------------

function mapTree(node: ConditionNode, key: string, change: (node: ConditionNode) => ConditionNode | null): ConditionNode | null {
  if (node.key === key) return change(node);
  if (node.type === "row") return node;
  const children = node.children.map((child) => mapTree(child, key, change)).filter((child): child is ConditionNode => child !== null);
  return children.length === node.children.length && children.every((child, i) => child === node.children[i]) ? node : { ...node, children };
}

function edit(root: ConditionGroup, key: string, change: (node: ConditionNode) => ConditionNode | null): ConditionGroup {
  return (mapTree(root, key, change) as ConditionGroup | null) ?? newGroup(root.mode);
}

export function addRow(root: ConditionGroup, groupKey: string, row: ConditionRow = newRow()): ConditionGroup {
  return edit(root, groupKey, (node) => (node.type === "group" ? { ...node, children: [...node.children, row] } : node));
}

/** A nested group, started with one row (an empty group means nothing). */
export function addGroup(root: ConditionGroup, groupKey: string): ConditionGroup {
  return edit(root, groupKey, (node) =>
    node.type === "group" ? { ...node, children: [...node.children, newGroup(node.mode === "all" ? "any" : "all", [newRow()])] } : node,
  );
}

/** Removes a row or a nested group (the root stays). */
export function removeNode(root: ConditionGroup, key: string): ConditionGroup {
  if (key === root.key) return root;
  return edit(root, key, () => null);
}

export function setMode(root: ConditionGroup, groupKey: string, mode: "all" | "any"): ConditionGroup {
  return edit(root, groupKey, (node) => (node.type === "group" ? { ...node, mode } : node));
}

/** Changes a row; a new field starts over (its operator, values and bounds mean something else). */
export function updateRow(root: ConditionGroup, key: string, patch: Partial<Omit<ConditionRow, "key" | "type">>): ConditionGroup {
  return edit(root, key, (node) => {
    if (node.type !== "row") return node;
    if (patch.field && patch.field !== node.field) return { ...newRow(patch.field), key: node.key };
    return { ...node, ...patch };
  });
}

export function countRows(node: ConditionNode): number {
  return node.type === "row" ? 1 : node.children.reduce((sum, child) => sum + countRows(child), 0);
}

// --- From and to the API -------------------------------------------------------------------------

function rowFrom(condition: ApiCondition): ConditionNode | null {
  const entries = Object.entries(condition).filter(([, value]) => value !== undefined && value !== null);
  if (entries.length === 0) return null;
  if (entries.length > 1) return groupFrom({ AND: entries.map(([name, value]) => ({ [name]: value }) as ApiCondition) });
  const [[name, value]] = entries as [[string, unknown]];
  if (name === "AND" || name === "OR") return groupFrom(condition);
  const row = newRow(name as ConditionField);
  if (!CONDITION_FIELDS.includes(name as ConditionField)) return null;
  if (PICKER_FIELDS.includes(row.field) || row.field === "attribute") {
    const listed = value as { slug?: string; oneOf?: string[]; noneOf?: string[] };
    return { ...row, operator: listed.noneOf ? "noneOf" : "oneOf", values: [...(listed.noneOf ?? listed.oneOf ?? [])], slug: listed.slug ?? "" };
  }
  if (FLAG_FIELDS.includes(row.field)) return { ...row, operator: value === false ? "isNot" : "is" };
  const range = value as { gte?: string | number; lte?: string | number };
  return { ...row, min: range.gte != null ? String(range.gte) : "", max: range.lte != null ? String(range.lte) : "" };
}

function groupFrom(condition: ApiCondition): ConditionGroup {
  const mode = condition.OR ? "any" : "all";
  const children = (condition.OR ?? condition.AND ?? []).map(rowFrom).filter((node): node is ConditionNode => node !== null);
  return newGroup(mode, children);
}

/** The builder's tree for an API condition ({} or null: an empty "all" group, i.e. every variant). */
export function treeFromApi(condition: ApiCondition | null | undefined): ConditionGroup {
  if (!condition || Object.keys(condition).length === 0) return newGroup("all");
  const node = rowFrom(condition);
  if (!node) return newGroup("all");
  return node.type === "group" ? node : newGroup("all", [node]);
}

/** Why a row cannot be sent: the `rules.invalid.*` message of each row, by key. */
export type TreeErrors = Record<string, "values" | "slug" | "number" | "whole" | "range" | "bounds">;

const DECIMAL = /^\d+(\.\d+)?$/;
const WHOLE = /^\d+$/;

function rowToApi(row: ConditionRow, errors: TreeErrors): ApiCondition | null {
  if (PICKER_FIELDS.includes(row.field)) {
    if (row.values.length === 0) {
      errors[row.key] = "values";
      return null;
    }
    return { [row.field]: { [row.operator === "noneOf" ? "noneOf" : "oneOf"]: row.values } } as ApiCondition;
  }
  if (row.field === "attribute") {
    if (!row.slug.trim()) errors[row.key] = "slug";
    else if (row.values.length === 0) errors[row.key] = "values";
    if (errors[row.key]) return null;
    return { attribute: { slug: row.slug.trim(), [row.operator === "noneOf" ? "noneOf" : "oneOf"]: row.values } };
  }
  if (FLAG_FIELDS.includes(row.field)) return { [row.field]: row.operator !== "isNot" } as ApiCondition;
  const [min, max] = [row.min.trim(), row.max.trim()];
  const pattern = row.field === "price" ? DECIMAL : WHOLE;
  if (!min && !max) errors[row.key] = "range";
  else if ((min && !pattern.test(min)) || (max && !pattern.test(max))) errors[row.key] = row.field === "price" ? "number" : "whole";
  else if (min && max && Number(min) > Number(max)) errors[row.key] = "bounds";
  if (errors[row.key]) return null;
  if (row.field === "price") return { price: { ...(min ? { gte: min } : {}), ...(max ? { lte: max } : {}) } };
  return { stock: { ...(min ? { gte: Number(min) } : {}), ...(max ? { lte: Number(max) } : {}) } };
}

function nodeToApi(node: ConditionNode, errors: TreeErrors): ApiCondition | null {
  if (node.type === "row") return rowToApi(node, errors);
  const children = node.children.map((child) => nodeToApi(child, errors)).filter((child): child is ApiCondition => child !== null);
  if (children.length === 0) return null;
  return node.mode === "any" ? { OR: children } : { AND: children };
}

/** The API's input for the tree (null: no condition, every variant), or the rows' errors. */
export function treeToApi(root: ConditionGroup): { conditions: ApiCondition | null; errors: TreeErrors } {
  const errors: TreeErrors = {};
  const conditions = nodeToApi(root, errors);
  return { conditions: Object.keys(errors).length > 0 ? null : conditions, errors };
}

// --- Price rules --------------------------------------------------------------------------------

export const ACTIONS = ["INCREASE", "DECREASE"] as const;
export const AMOUNT_TYPES = ["PERCENTAGE", "FIXED"] as const;
export const ROUNDINGS = ["NONE", "UP", "DOWN", "NEAREST"] as const;
export const FLOOR_TYPES = ["NONE", "FIXED", "COST_MARGIN"] as const;
export const CEILING_TYPES = ["NONE", "FIXED", "PRICE_MARGIN"] as const;

export type PriceRule = {
  id: string;
  name: string;
  description: string;
  isActive: boolean;
  inEffect: boolean;
  startsAt: string | null;
  endsAt: string | null;
  priority: number;
  stopFurtherRules: boolean;
  conditions: ApiCondition | string;
  action: (typeof ACTIONS)[number];
  amountType: (typeof AMOUNT_TYPES)[number];
  amount: string;
  rounding: (typeof ROUNDINGS)[number];
  roundingEnding: string;
  floorType: (typeof FLOOR_TYPES)[number];
  floorAmount: string | null;
  ceilingType: (typeof CEILING_TYPES)[number];
  ceilingAmount: string | null;
};

export type PriceRuleInput = {
  name: string;
  description: string;
  isActive: boolean;
  startsAt: string | null;
  endsAt: string | null;
  priority?: number;
  stopFurtherRules: boolean;
  conditions: ApiCondition | null;
  action: string;
  amountType: string;
  amount: string;
  rounding: string;
  roundingEnding: string;
  floorType: string;
  floorAmount: string | null;
  ceilingType: string;
  ceilingAmount: string | null;
};

export type PriceRuleValues = {
  name: string;
  description: string;
  isActive: boolean;
  /** `<input type="datetime-local">` values, in the merchant's time zone ("" when open). */
  startsAt: string;
  endsAt: string;
  priority: string;
  stopFurtherRules: boolean;
  action: string;
  amountType: string;
  amount: string;
  rounding: string;
  roundingEnding: string;
  floorType: string;
  floorAmount: string;
  ceilingType: string;
  ceilingAmount: string;
  conditions: ConditionGroup;
};

/** JSONString fields arrive as text from some servers, as objects from others. */
export function parseConditions(value: ApiCondition | string | null | undefined): ApiCondition | null {
  if (value == null) return null;
  if (typeof value !== "string") return value;
  try {
    return JSON.parse(value) as ApiCondition;
  } catch {
    return null;
  }
}

const pad = (n: number) => String(n).padStart(2, "0");

/** An ISO date → a datetime-local value in the browser's time zone. */
export function toLocalInput(iso: string | null): string {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** A datetime-local value (the browser's time zone) → ISO; null when empty or not a date. */
export function fromLocalInput(value: string): string | null {
  if (!value.trim()) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

export function emptyPriceRuleValues(): PriceRuleValues {
  return {
    name: "",
    description: "",
    isActive: true,
    startsAt: "",
    endsAt: "",
    priority: "",
    stopFurtherRules: false,
    action: "INCREASE",
    amountType: "PERCENTAGE",
    amount: "",
    rounding: "NONE",
    roundingEnding: "0.99",
    floorType: "NONE",
    floorAmount: "",
    ceilingType: "NONE",
    ceilingAmount: "",
    conditions: newGroup("all"),
  };
}

export function valuesFromRule(rule: PriceRule): PriceRuleValues {
  return {
    name: rule.name,
    description: rule.description,
    isActive: rule.isActive,
    startsAt: toLocalInput(rule.startsAt),
    endsAt: toLocalInput(rule.endsAt),
    priority: String(rule.priority),
    stopFurtherRules: rule.stopFurtherRules,
    action: rule.action,
    amountType: rule.amountType,
    amount: rule.amount,
    rounding: rule.rounding,
    roundingEnding: rule.roundingEnding,
    floorType: rule.floorType,
    floorAmount: rule.floorAmount ?? "",
    ceilingType: rule.ceilingType,
    ceilingAmount: rule.ceilingAmount ?? "",
    conditions: treeFromApi(parseConditions(rule.conditions)),
  };
}

export type PriceRuleFieldError = "required" | "number" | "whole" | "percent" | "dates" | "date";

/** The form → the mutation's input; field errors (the form's keys) and the condition rows' errors. */
export function priceRuleInput(values: PriceRuleValues): { input: PriceRuleInput; errors: Partial<Record<keyof PriceRuleValues, PriceRuleFieldError>>; rowErrors: TreeErrors } {
  const errors: Partial<Record<keyof PriceRuleValues, PriceRuleFieldError>> = {};
  const amount = (key: "amount" | "roundingEnding" | "floorAmount" | "ceilingAmount", needed: boolean): string | null => {
    const text = values[key].trim();
    if (!text) {
      if (needed) errors[key] = "required";
      return null;
    }
    if (!DECIMAL.test(text)) {
      errors[key] = "number";
      return null;
    }
    return text;
  };
  if (!values.name.trim()) errors.name = "required";
  const adjustment = amount("amount", true);
  if (adjustment && values.action === "DECREASE" && values.amountType === "PERCENTAGE" && Number(adjustment) >= 100) errors.amount = "percent";
  const ending = values.rounding === "NONE" ? null : amount("roundingEnding", true);
  const floor = values.floorType === "NONE" ? null : amount("floorAmount", true);
  const ceiling = values.ceilingType === "NONE" ? null : amount("ceilingAmount", true);
  const startsAt = fromLocalInput(values.startsAt);
  const endsAt = fromLocalInput(values.endsAt);
  if (values.startsAt.trim() && !startsAt) errors.startsAt = "date";
  if (values.endsAt.trim() && !endsAt) errors.endsAt = "date";
  if (startsAt && endsAt && endsAt <= startsAt) errors.endsAt = "dates";
  let priority: number | undefined;
  if (values.priority.trim()) {
    if (!WHOLE.test(values.priority.trim()) || Number(values.priority) < 1) errors.priority = "whole";
    else priority = Number(values.priority.trim());
  }
  const tree = treeToApi(values.conditions);
  const input: PriceRuleInput = {
    name: values.name.trim(),
    description: values.description.trim(),
    isActive: values.isActive,
    startsAt,
    endsAt,
    ...(priority !== undefined ? { priority } : {}),
    stopFurtherRules: values.stopFurtherRules,
    conditions: tree.conditions,
    action: values.action,
    amountType: values.amountType,
    amount: adjustment ?? "",
    rounding: values.rounding,
    roundingEnding: ending ?? "0.99",
    floorType: values.floorType,
    floorAmount: floor,
    ceilingType: values.ceilingType,
    ceilingAmount: ceiling,
  };
  return { input, errors, rowErrors: tree.errors };
}

/** The API's error field (snake_case) → the form's key. */
export function formField(field: string | null): keyof PriceRuleValues | null {
  if (!field) return null;
  const camel = field.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
  const keys: Array<keyof PriceRuleValues> = Object.keys(emptyPriceRuleValues()) as Array<keyof PriceRuleValues>;
  return keys.includes(camel as keyof PriceRuleValues) ? (camel as keyof PriceRuleValues) : null;
}

/** The rule ids with one moved up (-1) or down (+1): the order `amazonPriceRulesReorder` takes. */
export function moved(ids: string[], id: string, step: -1 | 1): string[] {
  const index = ids.indexOf(id);
  const target = index + step;
  if (index < 0 || target < 0 || target >= ids.length) return ids;
  const next = [...ids];
  [next[index], next[target]] = [next[target], next[index]];
  return next;
}

/** `id` dropped on `target` (drag and drop): it takes the target's place, the others close up. */
export function movedTo(ids: string[], id: string, target: string): string[] {
  const from = ids.indexOf(id);
  const to = ids.indexOf(target);
  if (from < 0 || to < 0 || from === to) return ids;
  const next = ids.filter((item) => item !== id);
  next.splice(to, 0, id);
  return next;
}

// --- GraphQL ------------------------------------------------------------------------------------

const ERRORS = `errors { field code message }`;
const RULE_FIELDS = `id name description isActive inEffect priority stopFurtherRules conditions startsAt endsAt
  action amountType amount rounding roundingEnding floorType floorAmount ceilingType ceilingAmount`;
const PREVIEW_LIST = `count variants { variantId sku price failedCondition }`;

export const LISTING_RULES_QUERY = `query AmazonListingRules($storeId: ID!) {
  amazonListingRules(storeId: $storeId) { conditions updatedAt }
}`;
export const LISTING_RULES_PREVIEW = `query AmazonListingRulesPreview($storeId: ID!, $conditions: AmazonRuleConditionInput, $first: Int) {
  amazonListingRulesPreview(storeId: $storeId, conditions: $conditions, first: $first) {
    total eligible { ${PREVIEW_LIST} } ineligible { ${PREVIEW_LIST} }
    newlyEligible { ${PREVIEW_LIST} } newlyIneligible { ${PREVIEW_LIST} }
  }
}`;
export const LISTING_RULES_UPDATE = `mutation AmazonListingRulesUpdate($storeId: ID!, $conditions: AmazonRuleConditionInput) {
  amazonListingRulesUpdate(storeId: $storeId, conditions: $conditions) { listingRules { conditions updatedAt } ${ERRORS} }
}`;
export const PRICE_RULES_QUERY = `query AmazonPriceRules($storeId: ID!) { amazonPriceRules(storeId: $storeId) { ${RULE_FIELDS} } }`;
export const PRICE_RULE_CREATE = `mutation AmazonPriceRuleCreate($storeId: ID!, $input: AmazonPriceRuleInput!) {
  amazonPriceRuleCreate(storeId: $storeId, input: $input) { priceRule { ${RULE_FIELDS} } ${ERRORS} }
}`;
export const PRICE_RULE_UPDATE = `mutation AmazonPriceRuleUpdate($id: ID!, $input: AmazonPriceRuleInput!) {
  amazonPriceRuleUpdate(id: $id, input: $input) { priceRule { ${RULE_FIELDS} } ${ERRORS} }
}`;
export const PRICE_RULE_DELETE = `mutation AmazonPriceRuleDelete($id: ID!) {
  amazonPriceRuleDelete(id: $id) { priceRule { id name } ${ERRORS} }
}`;
export const PRICE_RULES_REORDER = `mutation AmazonPriceRulesReorder($storeId: ID!, $ruleIds: [ID!]!) {
  amazonPriceRulesReorder(storeId: $storeId, ruleIds: $ruleIds) { priceRules { ${RULE_FIELDS} } ${ERRORS} }
}`;

export type ListingRules = { conditions: ApiCondition | string; updatedAt: string | null };
export type PreviewVariant = { variantId: string; sku: string; price: string | null; failedCondition: ApiCondition | string | null };
export type PreviewList = { count: number; variants: PreviewVariant[] };
export type ListingRulesPreview = { total: number; eligible: PreviewList; ineligible: PreviewList; newlyEligible: PreviewList; newlyIneligible: PreviewList };

export async function fetchListingRules(client: GraphQLClient, storeId: string): Promise<ListingRules | null> {
  return (await client<{ amazonListingRules: ListingRules | null }>(LISTING_RULES_QUERY, { storeId })).amazonListingRules;
}

export async function previewListingRules(client: GraphQLClient, storeId: string, conditions: ApiCondition | null, first = 20): Promise<ListingRulesPreview | null> {
  const data = await client<{ amazonListingRulesPreview: ListingRulesPreview | null }>(LISTING_RULES_PREVIEW, { storeId, conditions, first });
  return data.amazonListingRulesPreview;
}

type Payload<T> = T & { errors: AmazonStoreError[] };
const orEmpty = <T extends object>(payload: Partial<Payload<T>> | null | undefined) => ({ ...(payload ?? {}), errors: payload?.errors ?? [] }) as Payload<T>;

export async function saveListingRules(client: GraphQLClient, storeId: string, conditions: ApiCondition | null) {
  const data = await client<{ amazonListingRulesUpdate: Payload<{ listingRules: ListingRules | null }> | null }>(LISTING_RULES_UPDATE, { storeId, conditions });
  return orEmpty<{ listingRules: ListingRules | null }>(data.amazonListingRulesUpdate);
}

export async function fetchPriceRules(client: GraphQLClient, storeId: string): Promise<PriceRule[] | null> {
  return (await client<{ amazonPriceRules: PriceRule[] | null }>(PRICE_RULES_QUERY, { storeId })).amazonPriceRules;
}

export async function savePriceRule(client: GraphQLClient, storeId: string, id: string | null, input: PriceRuleInput) {
  if (id) {
    const data = await client<{ amazonPriceRuleUpdate: Payload<{ priceRule: PriceRule | null }> | null }>(PRICE_RULE_UPDATE, { id, input });
    return orEmpty<{ priceRule: PriceRule | null }>(data.amazonPriceRuleUpdate);
  }
  const data = await client<{ amazonPriceRuleCreate: Payload<{ priceRule: PriceRule | null }> | null }>(PRICE_RULE_CREATE, { storeId, input });
  return orEmpty<{ priceRule: PriceRule | null }>(data.amazonPriceRuleCreate);
}

export async function deletePriceRule(client: GraphQLClient, id: string) {
  const data = await client<{ amazonPriceRuleDelete: Payload<{ priceRule: { id: string; name: string } | null }> | null }>(PRICE_RULE_DELETE, { id });
  return orEmpty<{ priceRule: { id: string; name: string } | null }>(data.amazonPriceRuleDelete);
}

export async function reorderPriceRules(client: GraphQLClient, storeId: string, ruleIds: string[]) {
  const data = await client<{ amazonPriceRulesReorder: Payload<{ priceRules: PriceRule[] | null }> | null }>(PRICE_RULES_REORDER, { storeId, ruleIds });
  return orEmpty<{ priceRules: PriceRule[] | null }>(data.amazonPriceRulesReorder);
}

// --- Saleor's product types, categories and collections (what the builder picks from) -----------

export type PickerOption = { id: string; name: string; level?: number };

const PICKER_QUERIES: Record<PickerField, string> = {
  category: `query AmazonRulesCategories($after: String) {
    categories(first: 100, after: $after) { edges { node { id name level } } pageInfo { hasNextPage endCursor } }
  }`,
  productType: `query AmazonRulesProductTypes($after: String) {
    productTypes(first: 100, after: $after) { edges { node { id name } } pageInfo { hasNextPage endCursor } }
  }`,
  collection: `query AmazonRulesCollections($after: String, $channel: String) {
    collections(first: 100, after: $after, channel: $channel) { edges { node { id name } } pageInfo { hasNextPage endCursor } }
  }`,
};
const PICKER_ROOTS: Record<PickerField, string> = { category: "categories", productType: "productTypes", collection: "collections" };
/** At most this many of each are offered (a catalog with more narrows by search in Saleor). */
export const PICKER_LIMIT = 1000;

/**
 * Every product type, category or collection (100 a page, up to PICKER_LIMIT), by name. Collections are
 * those of the store's channel: without one, Saleor refuses a requestor without product permissions
 * when it has several channels (the app's token has MANAGE_CHANNELS only).
 */
export async function fetchPickerOptions(saleor: GraphQLClient, field: PickerField, channel: string | null = null): Promise<PickerOption[]> {
  type Page = Record<string, { edges: { node: PickerOption }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } | null>;
  const options: PickerOption[] = [];
  let after: string | null = null;
  while (options.length < PICKER_LIMIT) {
    const data: Page = await saleor<Page>(PICKER_QUERIES[field], field === "collection" ? { after, channel } : { after });
    const connection = data[PICKER_ROOTS[field]];
    if (!connection) break;
    options.push(...connection.edges.map((edge) => edge.node));
    if (!connection.pageInfo.hasNextPage || !connection.pageInfo.endCursor) break;
    after = connection.pageInfo.endCursor;
  }
  return options.sort((a, b) => a.name.localeCompare(b.name));
}

/** A condition as one line of text: what a listing fails, what a preview row fails. */
export function describeCondition(
  condition: ApiCondition | null,
  words: {
    field: (field: ConditionField) => string;
    operator: (operator: Operator) => string;
    name: (field: PickerField, id: string) => string;
    /** An attribute's name, and its value's (the condition keeps slugs); the slug when not given. */
    attribute?: (slug: string) => string;
    value?: (attribute: string, slug: string) => string;
    any: string;
    all: string;
  },
): string {
  if (!condition) return "";
  const [entry] = Object.entries(condition).filter(([, value]) => value != null);
  if (!entry) return "";
  const [name, value] = entry as [string, unknown];
  if (name === "AND" || name === "OR" || name === "any" || name === "all") {
    const parts = (value as ApiCondition[]).map((child) => describeCondition(child, words));
    return `${name === "OR" || name === "any" ? words.any : words.all} (${parts.join("; ")})`;
  }
  const field = name as ConditionField;
  if (!CONDITION_FIELDS.includes(field)) return JSON.stringify(condition);
  if (FLAG_FIELDS.includes(field)) return `${words.field(field)} ${words.operator(value === false ? "isNot" : "is")}`;
  if (RANGE_FIELDS.includes(field)) {
    const range = value as { gte?: string | number; lte?: string | number };
    return `${words.field(field)} ${words.operator("between")} ${range.gte ?? "…"} – ${range.lte ?? "…"}`;
  }
  const listed = value as { slug?: string; oneOf?: string[]; noneOf?: string[] };
  const operator: Operator = listed.noneOf ? "noneOf" : "oneOf";
  const slug = listed.slug;
  const items = (listed.noneOf ?? listed.oneOf ?? []).map((item) =>
    PICKER_FIELDS.includes(field) ? words.name(field as PickerField, item) : slug && words.value ? words.value(slug, item) : item,
  );
  return `${words.field(field)}${slug ? ` ${words.attribute?.(slug) ?? slug}` : ""} ${words.operator(operator)} ${items.join(", ")}`;
}

// --- Saleor's attributes and their values (the "attribute" condition picks them by name) ---------

/** An attribute's value as the builder offers it: its name, and the slug the condition keeps. */
export type AttributeChoice = { name: string; slug: string };
export type AttributeChoices = { attribute: { name: string; slug: string } | null; choices: AttributeChoice[] };

export const ATTRIBUTE_CHOICES_QUERY = `query AmazonRulesAttributeChoices($slug: String!, $search: String) {
  attribute(slug: $slug) { name slug choices(first: 100, filter: { search: $search }) { edges { node { name slug } } } }
}`;
export const ATTRIBUTE_CHOICES_BY_SLUG_QUERY = `query AmazonRulesAttributeChoicesBySlug($slug: String!, $slugs: [String!]) {
  attribute(slug: $slug) { name slug choices(first: 100, filter: { slugs: $slugs }) { edges { node { name slug } } } }
}`;

type ChoicesData = { attribute: { name: string; slug: string; choices: { edges: { node: AttributeChoice }[] } | null } | null };

function choicesFrom(data: ChoicesData): AttributeChoices {
  const attribute = data.attribute;
  return {
    attribute: attribute ? { name: attribute.name, slug: attribute.slug } : null,
    choices: (attribute?.choices?.edges ?? []).map((edge) => edge.node),
  };
}

/** The attribute's values whose name (or slug) contains `search` (the first 100; all when empty), searched by Saleor. */
export async function searchAttributeChoices(saleor: GraphQLClient, slug: string, search: string): Promise<AttributeChoices> {
  return choicesFrom(await saleor<ChoicesData>(ATTRIBUTE_CHOICES_QUERY, { slug, search: search.trim() || null }));
}

/** The attribute and those of its values with these slugs (a saved condition's, to show their names). */
export async function attributeChoicesBySlug(saleor: GraphQLClient, slug: string, slugs: string[]): Promise<AttributeChoices> {
  return choicesFrom(await saleor<ChoicesData>(ATTRIBUTE_CHOICES_BY_SLUG_QUERY, { slug, slugs }));
}
