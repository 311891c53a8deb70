/**
 * Amazon listings: the GraphQL operations and fetch helpers of the store page's listings section,
 * the listing drawer and the listing settings screen.
 */
import type { GraphQLClient } from "../lib/graphql";
import { LISTING_REASONS } from "../lib/outcomes.generated";
import type { AmazonStoreError } from "../lib/types";

export type ListingState = "INCOMPLETE" | "INELIGIBLE" | "READY_TO_LIST" | "ACTIVE" | "INACTIVE" | "ENDED" | "ERROR" | "THIRD_PARTY";

/** The tabs, in Amazon Sales Channel's order. */
export const LISTING_STATES: ListingState[] = ["ACTIVE", "READY_TO_LIST", "INCOMPLETE", "INELIGIBLE", "INACTIVE", "ENDED", "ERROR", "THIRD_PARTY"];

/** Amazon's condition codes (the plugin's `CONDITIONS`). */
export const CONDITIONS = [
  "new_new",
  "new_open_box",
  "new_oem",
  "refurbished_refurbished",
  "used_like_new",
  "used_very_good",
  "used_good",
  "used_acceptable",
  "collectible_like_new",
  "collectible_very_good",
  "collectible_good",
  "collectible_acceptable",
  "club_club",
] as const;

/** Why a listing cannot be offered yet (the plugin's listing outcomes; each has a `listings.reason.*` message). */
export const LISTING_REASON_CODES = LISTING_REASONS;

export type Offer = {
  price: string | null;
  currency: string | null;
  quantity: number | null;
  handlingTime: number | null;
  condition: string | null;
};

export type Overrides = { price: string | null; quantity: number | null; handlingTime: number | null; condition: string | null };

export type ListingIssue = { code: string; severity: string; message: string; attributeNames: string[] };

export type Listing = {
  id: string;
  variantId: string | null;
  name: string;
  sellerSku: string;
  skuGenerated: boolean;
  asin: string | null;
  productType: string | null;
  state: ListingState;
  reasonCode: string | null;
  reason: string | null;
  inProgress: boolean;
  desired: Offer;
  onAmazon: Offer | null;
  amazonStatus: string[];
  fulfillmentChannel: string;
  overrides: Overrides;
  hasOverride: boolean;
  applied: string[];
  /** Why it has its price, or why it is not offered: the listing rules' failed condition, price rules in order, floor, ceiling, overrides. */
  appliedRules?: AppliedRule[];
  issues: ListingIssue[];
  productUrl: string | null;
  checkedAt: string | null;
  updatedAt: string;
};

export type AppliedRule = {
  kind: "LISTING_RULES" | "PRICE_RULE" | "FLOOR" | "CEILING" | "OVERRIDE" | "OTHER";
  note: string;
  field: string | null;
  failedCondition: unknown;
  priceRule: { id: string; name: string; priority: number } | null;
};

export type ListingCounts = {
  incomplete: number;
  readyToList: number;
  active: number;
  inactive: number;
  ended: number;
  error: number;
  thirdParty: number;
  ineligible: number;
  overrides: number;
  pending: number;
};

export const COUNT_KEY: Record<ListingState, keyof ListingCounts> = {
  INCOMPLETE: "incomplete",
  INELIGIBLE: "ineligible",
  READY_TO_LIST: "readyToList",
  ACTIVE: "active",
  INACTIVE: "inactive",
  ENDED: "ended",
  ERROR: "error",
  THIRD_PARTY: "thirdParty",
};

export type ListingSync = {
  id: string;
  status: "PENDING" | "RUNNING" | "SUCCEEDED" | "FAILED";
  phase: string;
  sent: number;
  accepted: number;
  rejected: number;
  progress: number;
  counts: ListingCounts;
  createdAt: string;
  finishedAt: string | null;
  lastErrorCode: string | null;
  lastError: string | null;
};

export type ListingSettings = {
  autoList: boolean;
  handlingTime: number;
  condition: string;
  conditionAttribute: string | null;
  warehouses: Array<{ id: string; name: string }>;
  outOfStockThreshold: number;
  maxQuantity: number | null;
  untrackedQuantity: number;
  importThirdParty: boolean;
};

export type ListingSettingsInput = Partial<Omit<ListingSettings, "warehouses">> & { warehouses?: string[] };

export type ListingFilter = { state?: ListingState[]; search?: string; hasOverride?: boolean };

export type ListingPage = {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  listings: Listing[];
};

const OFFER = `price currency quantity handlingTime condition`;
export const LISTING_FIELDS = `id variantId name sellerSku skuGenerated asin productType state reasonCode reason inProgress
  desired { ${OFFER} } onAmazon { ${OFFER} } amazonStatus fulfillmentChannel
  overrides { price quantity handlingTime condition } hasOverride applied
  appliedRules { kind note field failedCondition priceRule { id name priority } }
  issues { code severity message attributeNames } productUrl checkedAt updatedAt`;
const SYNC_FIELDS = `id status phase sent accepted rejected progress createdAt finishedAt lastErrorCode lastError
  counts { incomplete ineligible readyToList active inactive ended error thirdParty overrides pending }`;
const SETTINGS_FIELDS = `autoList handlingTime condition conditionAttribute warehouses { id name } outOfStockThreshold
  maxQuantity untrackedQuantity importThirdParty`;
const ERRORS = `errors { field code message }`;

export const LISTINGS_QUERY = `query AmazonListings($storeId: ID!, $filter: AmazonListingFilterInput, $first: Int, $after: String) {
  amazonListings(storeId: $storeId, filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { ${LISTING_FIELDS} } }
  }
}`;

export const LISTING_SYNC_QUERY = `query AmazonListingSync($id: ID!) {
  amazonStore(id: $id) { id listingSync { ${SYNC_FIELDS} } }
}`;

export const LISTING_SYNC_START = `mutation AmazonListingSyncStart($storeId: ID!) {
  amazonListingSyncStart(storeId: $storeId) { listingSync { ${SYNC_FIELDS} } ${ERRORS} }
}`;

export const LISTING_SETTINGS_QUERY = `query AmazonListingSettings($storeId: ID!) {
  amazonListingSettings(storeId: $storeId) { ${SETTINGS_FIELDS} }
}`;

export const LISTING_SETTINGS_UPDATE = `mutation AmazonListingSettingsUpdate($storeId: ID!, $input: AmazonListingSettingsInput!) {
  amazonListingSettingsUpdate(storeId: $storeId, input: $input) { listingSettings { ${SETTINGS_FIELDS} } ${ERRORS} }
}`;

/** The channel's warehouses, from Saleor's API (the settings pick the counted ones). */
export const SALEOR_CHANNEL_WAREHOUSES = `query AmazonChannelWarehouses($id: ID!) {
  channel(id: $id) { id warehouses { id name } }
}`;

/** The candidate ASINs of a multiple match (the catalog match keeps them). */
export const MULTIPLE_MATCH_ASINS = `query AmazonMultipleMatchAsins($storeId: ID!, $search: String!) {
  amazonCatalogMatches(storeId: $storeId, filter: { status: [MULTIPLE_MATCHES], search: $search }, first: 5) {
    edges { node { variant { id } asins } }
  }
}`;

export type BulkAction = "list" | "end" | "relist";

const BULK_FIELD: Record<BulkAction, string> = { list: "amazonListingsList", end: "amazonListingsEnd", relist: "amazonListingsRelist" };

export const LISTING_MUTATIONS = {
  list: `mutation AmazonListingsList($storeId: ID!, $ids: [ID!]!) {
  amazonListingsList(storeId: $storeId, ids: $ids) { listings { ${LISTING_FIELDS} } ${ERRORS} }
}`,
  end: `mutation AmazonListingsEnd($storeId: ID!, $ids: [ID!]!) {
  amazonListingsEnd(storeId: $storeId, ids: $ids) { listings { ${LISTING_FIELDS} } ${ERRORS} }
}`,
  relist: `mutation AmazonListingsRelist($storeId: ID!, $ids: [ID!]!) {
  amazonListingsRelist(storeId: $storeId, ids: $ids) { listings { ${LISTING_FIELDS} } ${ERRORS} }
}`,
  assignAsin: `mutation AmazonListingsAssignAsin($storeId: ID!, $ids: [ID!]!, $asin: String!) {
  amazonListingsAssignAsin(storeId: $storeId, ids: $ids, asin: $asin) { listings { ${LISTING_FIELDS} } ${ERRORS} }
}`,
  overrideSet: `mutation AmazonListingsOverrideSet($storeId: ID!, $ids: [ID!]!, $input: AmazonListingOverridesInput!) {
  amazonListingsOverrideSet(storeId: $storeId, ids: $ids, input: $input) { listings { ${LISTING_FIELDS} } ${ERRORS} }
}`,
  overrideClear: `mutation AmazonListingsOverrideClear($storeId: ID!, $ids: [ID!]!, $fields: [AmazonListingOverrideField!]) {
  amazonListingsOverrideClear(storeId: $storeId, ids: $ids, fields: $fields) { listings { ${LISTING_FIELDS} } ${ERRORS} }
}`,
};

export type MutationResult = { listings: Listing[]; errors: AmazonStoreError[] };
type Payload = { listings: Listing[] | null; errors: AmazonStoreError[] | null } | null;

function answer(payload: Payload): MutationResult {
  return { listings: payload?.listings ?? [], errors: payload?.errors ?? [] };
}

export async function runBulkAction(client: GraphQLClient, storeId: string, action: BulkAction, ids: string[]): Promise<MutationResult> {
  const data = await client<Record<string, Payload>>(LISTING_MUTATIONS[action], { storeId, ids });
  return answer(data[BULK_FIELD[action]]);
}

export async function assignAsin(client: GraphQLClient, storeId: string, ids: string[], asin: string): Promise<MutationResult> {
  const data = await client<{ amazonListingsAssignAsin: Payload }>(LISTING_MUTATIONS.assignAsin, { storeId, ids, asin });
  return answer(data.amazonListingsAssignAsin);
}

export async function setOverrides(client: GraphQLClient, storeId: string, ids: string[], input: Partial<Overrides>): Promise<MutationResult> {
  const data = await client<{ amazonListingsOverrideSet: Payload }>(LISTING_MUTATIONS.overrideSet, { storeId, ids, input });
  return answer(data.amazonListingsOverrideSet);
}

export type OverrideField = "PRICE" | "QUANTITY" | "HANDLING_TIME" | "CONDITION";

export async function clearOverrides(client: GraphQLClient, storeId: string, ids: string[], fields?: OverrideField[]): Promise<MutationResult> {
  const data = await client<{ amazonListingsOverrideClear: Payload }>(LISTING_MUTATIONS.overrideClear, { storeId, ids, fields: fields ?? null });
  return answer(data.amazonListingsOverrideClear);
}

function cleanFilter(filter: ListingFilter): ListingFilter {
  const search = filter.search?.trim();
  return {
    ...(filter.state?.length ? { state: filter.state } : {}),
    ...(search ? { search } : {}),
    ...(filter.hasOverride != null ? { hasOverride: filter.hasOverride } : {}),
  };
}

export async function fetchListingPage(
  client: GraphQLClient,
  storeId: string,
  filter: ListingFilter,
  first = 25,
  after: string | null = null,
): Promise<ListingPage> {
  type Connection = {
    totalCount: number | null;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: Array<{ node: Listing | null } | null>;
  } | null;
  const data = await client<{ amazonListings: Connection }>(LISTINGS_QUERY, { storeId, filter: cleanFilter(filter), first, after });
  const connection = data.amazonListings;
  const listings = (connection?.edges ?? []).flatMap((edge) => (edge?.node ? [edge.node] : []));
  return {
    totalCount: connection?.totalCount ?? listings.length,
    pageInfo: connection?.pageInfo ?? { hasNextPage: false, endCursor: null },
    listings,
  };
}

export async function fetchListingSync(client: GraphQLClient, storeId: string): Promise<ListingSync | null> {
  const data = await client<{ amazonStore: { listingSync: ListingSync | null } | null }>(LISTING_SYNC_QUERY, { id: storeId });
  return data.amazonStore?.listingSync ?? null;
}

export async function startListingSync(client: GraphQLClient, storeId: string): Promise<{ sync: ListingSync | null; errors: AmazonStoreError[] }> {
  type SyncPayload = { listingSync: ListingSync | null; errors: AmazonStoreError[] | null } | null;
  const data = await client<{ amazonListingSyncStart: SyncPayload }>(LISTING_SYNC_START, { storeId });
  return { sync: data.amazonListingSyncStart?.listingSync ?? null, errors: data.amazonListingSyncStart?.errors ?? [] };
}

export function isSyncRunning(sync: ListingSync | null | undefined): boolean {
  return sync?.status === "PENDING" || sync?.status === "RUNNING";
}

export async function fetchListingSettings(client: GraphQLClient, storeId: string): Promise<ListingSettings | null> {
  const data = await client<{ amazonListingSettings: ListingSettings | null }>(LISTING_SETTINGS_QUERY, { storeId });
  return data.amazonListingSettings;
}

export async function updateListingSettings(
  client: GraphQLClient,
  storeId: string,
  input: ListingSettingsInput,
): Promise<{ settings: ListingSettings | null; errors: AmazonStoreError[] }> {
  type SettingsPayload = { listingSettings: ListingSettings | null; errors: AmazonStoreError[] | null } | null;
  const data = await client<{ amazonListingSettingsUpdate: SettingsPayload }>(LISTING_SETTINGS_UPDATE, { storeId, input });
  return { settings: data.amazonListingSettingsUpdate?.listingSettings ?? null, errors: data.amazonListingSettingsUpdate?.errors ?? [] };
}

export async function fetchChannelWarehouses(saleor: GraphQLClient, channelId: string): Promise<Array<{ id: string; name: string }>> {
  const data = await saleor<{ channel: { warehouses: Array<{ id: string; name: string }> | null } | null }>(SALEOR_CHANNEL_WAREHOUSES, { id: channelId });
  return data.channel?.warehouses ?? [];
}

/** The ASINs a multiple match found for the listing's variant (searched by its seller SKU). */
export async function fetchCandidateAsins(client: GraphQLClient, storeId: string, listing: Listing): Promise<string[]> {
  type Connection = { edges: Array<{ node: { variant: { id: string }; asins: string[] } | null } | null> } | null;
  const data = await client<{ amazonCatalogMatches: Connection }>(MULTIPLE_MATCH_ASINS, { storeId, search: listing.sellerSku });
  const nodes = (data.amazonCatalogMatches?.edges ?? []).flatMap((edge) => (edge?.node ? [edge.node] : []));
  const own = nodes.find((node) => node.variant.id === listing.variantId) ?? (nodes.length === 1 ? nodes[0] : null);
  return own?.asins ?? [];
}

/** What each state lets the merchant do. */
export function actionsFor(listing: Pick<Listing, "state" | "fulfillmentChannel">): BulkAction[] {
  if (listing.fulfillmentChannel !== "DEFAULT") return [];
  switch (listing.state) {
    case "READY_TO_LIST":
      return ["list"];
    case "ACTIVE":
    case "INACTIVE":
    case "ERROR":
      return ["end"];
    case "ENDED":
      return ["relist"];
    default:
      return [];
  }
}

/** Listings a bulk action applies to, among the selected ones. */
export function eligible(listings: Listing[], action: BulkAction): Listing[] {
  return listings.filter((listing) => actionsFor(listing).includes(action));
}

export const ASIN_PATTERN = /^[A-Z0-9]{10}$/;

/** An override form's text → the API's input; null values are left out, errors by field. */
export function parseOverrides(form: { price: string; quantity: string; handlingTime: string; condition: string }): {
  input: Partial<Overrides>;
  errors: Partial<Record<keyof Overrides, "price" | "integer" | "handlingTime">>;
} {
  const input: Partial<Overrides> = {};
  const errors: Partial<Record<keyof Overrides, "price" | "integer" | "handlingTime">> = {};
  const price = form.price.trim().replace(",", ".");
  if (price) {
    if (/^\d+(\.\d{1,2})?$/.test(price) && Number(price) > 0) input.price = price;
    else errors.price = "price";
  }
  const quantity = form.quantity.trim();
  if (quantity) {
    if (/^\d+$/.test(quantity)) input.quantity = Number(quantity);
    else errors.quantity = "integer";
  }
  const handling = form.handlingTime.trim();
  if (handling) {
    if (/^\d+$/.test(handling) && Number(handling) >= 1 && Number(handling) <= 30) input.handlingTime = Number(handling);
    else errors.handlingTime = "handlingTime";
  }
  if (form.condition) input.condition = form.condition;
  return { input, errors };
}
