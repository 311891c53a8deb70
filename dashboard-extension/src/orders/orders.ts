/**
 * Amazon orders: the GraphQL operations and fetch helpers of the store page's *Amazon orders* section
 * and the order settings screen, and the pure logic they share (filters, the Saleor order's address
 * in the Dashboard, the settings form).
 */
import type { GraphQLClient } from "../lib/graphql";
import type { AmazonStoreError } from "../lib/types";

export type AmazonOrderStatus =
  | "PENDING_AVAILABILITY"
  | "PENDING"
  | "UNSHIPPED"
  | "PARTIALLY_SHIPPED"
  | "SHIPPED"
  | "CANCELLED"
  | "UNFULFILLABLE";

export const ORDER_STATUSES: AmazonOrderStatus[] = ["PENDING_AVAILABILITY", "PENDING", "UNSHIPPED", "PARTIALLY_SHIPPED", "SHIPPED", "CANCELLED", "UNFULFILLABLE"];

export type AmazonOrderProblem =
  | "UNKNOWN_SKU"
  | "VARIANT_MISSING"
  | "INSUFFICIENT_STOCK"
  | "NO_CHANNEL"
  | "REFERENCE_TAKEN"
  | "CANCEL_REFUSED"
  | "HOST_ERROR"
  | "CANCELLED_IN_SALEOR";

export const ORDER_PROBLEMS: AmazonOrderProblem[] = [
  "UNKNOWN_SKU",
  "VARIANT_MISSING",
  "INSUFFICIENT_STOCK",
  "NO_CHANNEL",
  "REFERENCE_TAKEN",
  "CANCEL_REFUSED",
  "HOST_ERROR",
  "CANCELLED_IN_SALEOR",
];

export type AmazonOrderLine = { orderItemId: string; sellerSku: string; title: string; quantity: number; quantityShipped: number };
export type AmazonShipment = { id: string; status: string; trackingNumber: string; errorCode: string; errorMessage: string };

export type AmazonOrder = {
  id: string;
  amazonOrderId: string;
  status: AmazonOrderStatus;
  fulfilledBy: string;
  purchasedAt: string | null;
  currency: string;
  total: string | null;
  buyerCancelRequested: boolean;
  saleorOrder: { id: string; number: string; status: string } | null;
  problem: AmazonOrderProblem | null;
  problemMessage: string;
  attempts: number;
  lines: AmazonOrderLine[];
  shipments: AmazonShipment[];
};

export type OrderPage = {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  orders: AmazonOrder[];
};

export type CustomerMode = "GUEST_EMAIL" | "NONE";
export type OrderReference = "EXTERNAL_REFERENCE" | "EXTERNAL_REFERENCE_AND_NOTE";

export type OrderSettings = {
  importEnabled: boolean;
  importFrom: string;
  reservePending: boolean;
  importFba: boolean;
  customer: CustomerMode;
  orderReference: OrderReference;
};

/** The section's filter select: every order, those waiting, or one Amazon status / one problem. */
export type OrderFilterChoice = "" | "waiting" | `status:${AmazonOrderStatus}` | `problem:${AmazonOrderProblem}`;

export type OrderFilter = { status?: AmazonOrderStatus[]; problem?: AmazonOrderProblem[]; hasProblem?: boolean; search?: string };

const ORDER_FIELDS = `id amazonOrderId status fulfilledBy purchasedAt currency total buyerCancelRequested
  saleorOrder { id number status } problem problemMessage attempts
  lines { orderItemId sellerSku title quantity quantityShipped }
  shipments { id status trackingNumber errorCode errorMessage }`;
const SETTINGS_FIELDS = `importEnabled importFrom reservePending importFba customer orderReference`;
const ERRORS = `errors { field code message }`;

export const ORDERS_QUERY = `query AmazonOrders($storeId: ID!, $filter: AmazonOrderFilterInput, $first: Int, $after: String) {
  amazonOrders(storeId: $storeId, filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { ${ORDER_FIELDS} } }
  }
}`;

export const ORDER_SYNC_QUERY = `query AmazonOrderSync($id: ID!) {
  amazonStore(id: $id) { id orderSync { lastPollAt lastSuccessAt nextPollAt lastErrorCode lastErrorMessage waitingOrders refusedShipments } }
}`;

export const ORDER_RETRY = `mutation AmazonOrderRetry($id: ID!, $refresh: Boolean) {
  amazonOrderRetry(id: $id, refresh: $refresh) { amazonOrder { ${ORDER_FIELDS} } ${ERRORS} }
}`;

export const ORDERS_READ = `mutation AmazonOrdersRead($storeId: ID!) {
  amazonOrdersRead(storeId: $storeId) {
    amazonStore { id orderSync { lastPollAt lastSuccessAt nextPollAt lastErrorCode lastErrorMessage waitingOrders refusedShipments } }
    ${ERRORS}
  }
}`;

export const ORDER_SETTINGS_QUERY = `query AmazonOrderSettings($storeId: ID!) {
  amazonOrderSettings(storeId: $storeId) { ${SETTINGS_FIELDS} }
}`;

export const ORDER_SETTINGS_UPDATE = `mutation AmazonOrderSettingsUpdate($storeId: ID!, $input: AmazonOrderSettingsInput!) {
  amazonOrderSettingsUpdate(storeId: $storeId, input: $input) { orderSettings { ${SETTINGS_FIELDS} } ${ERRORS} }
}`;

export type OrderSync = {
  lastPollAt: string | null;
  lastSuccessAt: string | null;
  nextPollAt: string | null;
  lastErrorCode: string;
  lastErrorMessage: string;
  waitingOrders: number;
  refusedShipments: number;
};

/** The select's choice → the API's filter (with the search, trimmed; empty parts left out). */
export function toOrderFilter(choice: OrderFilterChoice, search: string): OrderFilter {
  const filter: OrderFilter = {};
  if (choice === "waiting") filter.hasProblem = true;
  else if (choice.startsWith("status:")) filter.status = [choice.slice("status:".length) as AmazonOrderStatus];
  else if (choice.startsWith("problem:")) filter.problem = [choice.slice("problem:".length) as AmazonOrderProblem];
  const trimmed = search.trim();
  if (trimmed) filter.search = trimmed;
  return filter;
}

/** The Saleor order in the Dashboard (its router's `orderUrl`): `/orders/<global id>`. */
export function saleorOrderPath(orderId: string): string {
  return `/orders/${encodeURIComponent(orderId)}`;
}

/** What an order's row may do: retry waits for a fix (never a cancelled-in-Saleor note: Seller Central's). */
export function canRetry(order: Pick<AmazonOrder, "problem">): boolean {
  return order.problem !== null && order.problem !== "CANCELLED_IN_SALEOR";
}

/** Tracking numbers sent to Amazon, and whether any confirmation was refused. */
export function shipmentSummary(order: Pick<AmazonOrder, "shipments">): { tracking: string[]; refused: boolean } {
  return {
    tracking: order.shipments.map((shipment) => shipment.trackingNumber).filter(Boolean),
    refused: order.shipments.some((shipment) => shipment.status === "REFUSED" || shipment.status === "FAILED"),
  };
}

export async function fetchOrderPage(client: GraphQLClient, storeId: string, filter: OrderFilter, first = 20, after: string | null = null): Promise<OrderPage> {
  type Connection = {
    totalCount: number | null;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: Array<{ node: AmazonOrder | null } | null>;
  } | null;
  const data = await client<{ amazonOrders: Connection }>(ORDERS_QUERY, { storeId, filter, first, after });
  const connection = data.amazonOrders;
  const orders = (connection?.edges ?? []).flatMap((edge) => (edge?.node ? [edge.node] : []));
  return {
    totalCount: connection?.totalCount ?? orders.length,
    pageInfo: connection?.pageInfo ?? { hasNextPage: false, endCursor: null },
    orders,
  };
}

export async function fetchOrderSync(client: GraphQLClient, storeId: string): Promise<OrderSync | null> {
  const data = await client<{ amazonStore: { orderSync: OrderSync | null } | null }>(ORDER_SYNC_QUERY, { id: storeId });
  return data.amazonStore?.orderSync ?? null;
}

export async function retryOrder(client: GraphQLClient, id: string, refresh = false): Promise<{ order: AmazonOrder | null; errors: AmazonStoreError[] }> {
  type Payload = { amazonOrder: AmazonOrder | null; errors: AmazonStoreError[] | null } | null;
  const data = await client<{ amazonOrderRetry: Payload }>(ORDER_RETRY, { id, refresh });
  return { order: data.amazonOrderRetry?.amazonOrder ?? null, errors: data.amazonOrderRetry?.errors ?? [] };
}

/** One poll now (the periodic one's work); the store's poll state after it. */
export async function readOrdersNow(client: GraphQLClient, storeId: string): Promise<{ sync: OrderSync | null; errors: AmazonStoreError[] }> {
  type Payload = { amazonStore: { orderSync: OrderSync | null } | null; errors: AmazonStoreError[] | null } | null;
  const data = await client<{ amazonOrdersRead: Payload }>(ORDERS_READ, { storeId });
  return { sync: data.amazonOrdersRead?.amazonStore?.orderSync ?? null, errors: data.amazonOrdersRead?.errors ?? [] };
}

export async function fetchOrderSettings(client: GraphQLClient, storeId: string): Promise<OrderSettings | null> {
  const data = await client<{ amazonOrderSettings: OrderSettings | null }>(ORDER_SETTINGS_QUERY, { storeId });
  return data.amazonOrderSettings;
}

export async function updateOrderSettings(
  client: GraphQLClient,
  storeId: string,
  input: Partial<OrderSettings>,
): Promise<{ settings: OrderSettings | null; errors: AmazonStoreError[] }> {
  type Payload = { orderSettings: OrderSettings | null; errors: AmazonStoreError[] | null } | null;
  const data = await client<{ amazonOrderSettingsUpdate: Payload }>(ORDER_SETTINGS_UPDATE, { storeId, input });
  return { settings: data.amazonOrderSettingsUpdate?.orderSettings ?? null, errors: data.amazonOrderSettingsUpdate?.errors ?? [] };
}

/** The settings form: the from-date is a day (the merchant's), sent as that day's start in their time zone. */
export type OrderSettingsValues = {
  importEnabled: boolean;
  importFrom: string; // YYYY-MM-DD
  reserve: "pending" | "unshipped";
  importFba: boolean;
  customer: CustomerMode;
  orderReference: OrderReference;
};

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

/** An instant → the merchant's local day (YYYY-MM-DD). */
export function localDay(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** A local day (YYYY-MM-DD) → the ISO instant of its start, with the offset; null when not a real day. */
export function dayStart(day: string): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day.trim());
  if (!match) return null;
  const [year, month, date] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const local = new Date(year, month - 1, date, 0, 0, 0, 0);
  if (local.getFullYear() !== year || local.getMonth() !== month - 1 || local.getDate() !== date) return null;
  return local.toISOString();
}

export function valuesFromOrderSettings(settings: OrderSettings): OrderSettingsValues {
  return {
    importEnabled: settings.importEnabled,
    importFrom: localDay(settings.importFrom),
    reserve: settings.reservePending ? "pending" : "unshipped",
    importFba: settings.importFba,
    customer: settings.customer,
    orderReference: settings.orderReference,
  };
}

/** The form → the mutation's input; `importFrom` unchanged (same day) is not sent, so the stored time stays. */
export function orderSettingsInput(
  values: OrderSettingsValues,
  initial: OrderSettingsValues,
): { input: Partial<OrderSettings>; errors: Partial<Record<"importFrom", "date">> } {
  const input: Partial<OrderSettings> = {
    importEnabled: values.importEnabled,
    reservePending: values.reserve === "pending",
    importFba: values.importFba,
    customer: values.customer,
    orderReference: values.orderReference,
  };
  if (values.importFrom !== initial.importFrom) {
    const start = dayStart(values.importFrom);
    if (start === null) return { input, errors: { importFrom: "date" } };
    input.importFrom = start;
  }
  return { input, errors: {} };
}
