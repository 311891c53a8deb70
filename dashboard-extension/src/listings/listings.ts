/**
 * Amazon listings: the GraphQL operations and fetch helpers of the store page's listings section.
 */
import type { GraphQLClient } from "../lib/graphql";
import type { AmazonStoreError } from "../lib/types";

export type ListingState = "INCOMPLETE" | "READY_TO_LIST" | "ACTIVE" | "INACTIVE" | "ENDED" | "ERROR" | "THIRD_PARTY";

/** The tabs, in Amazon Sales Channel's order. */
export const LISTING_STATES: ListingState[] = ["ACTIVE", "INACTIVE", "READY_TO_LIST", "INCOMPLETE", "ERROR", "ENDED", "THIRD_PARTY"];

export type ListingCounts = {
  incomplete: number;
  readyToList: number;
  active: number;
  inactive: number;
  ended: number;
  error: number;
  thirdParty: number;
  overrides: number;
  pending: number;
};

export const COUNT_OF: Record<ListingState, keyof ListingCounts> = {
  INCOMPLETE: "incomplete",
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
  progress: number;
  sent: number;
  accepted: number;
  rejected: number;
  finishedAt: string | null;
  lastErrorCode: string | null;
  lastError: string | null;
  counts: ListingCounts;
};

export type Offer = { price: string | null; currency: string | null; quantity: number | null };

export type Listing = {
  id: string;
  variantId: string | null;
  name: string;
  sellerSku: string;
  asin: string | null;
  productUrl: string | null;
  state: ListingState;
  reasonCode: string | null;
  reason: string | null;
  inProgress: boolean;
  fulfillmentChannel: string;
  desired: Offer;
  onAmazon: Offer | null;
  hasOverride: boolean;
  issues: Array<{ code: string; severity: string; message: string }>;
};

export type ListingPage = {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  listings: Listing[];
};

export type ListingFilter = { state?: ListingState[]; search?: string; hasOverride?: boolean };
export type BulkAction = "list" | "end" | "relist";

const SYNC_FIELDS = `id status phase progress sent accepted rejected finishedAt lastErrorCode lastError
  counts { incomplete readyToList active inactive ended error thirdParty overrides pending }`;
const LISTING_FIELDS = `id variantId name sellerSku asin productUrl state reasonCode reason inProgress fulfillmentChannel
  desired { price currency quantity } onAmazon { price currency quantity } hasOverride issues { code severity message }`;

export const LISTING_SYNC_QUERY = `query AmazonListingSync($id: ID!) {
  amazonStore(id: $id) { id listingSync { ${SYNC_FIELDS} } }
}`;

export const LISTINGS_QUERY = `query AmazonListings($storeId: ID!, $filter: AmazonListingFilterInput, $first: Int, $after: String) {
  amazonListings(storeId: $storeId, filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { ${LISTING_FIELDS} } }
  }
}`;

export const LISTING_SYNC_START = `mutation AmazonListingSyncStart($storeId: ID!) {
  amazonListingSyncStart(storeId: $storeId) {
    listingSync { ${SYNC_FIELDS} }
    errors { field code message }
  }
}`;

const bulk = (name: string, field: string) => `mutation ${name}($storeId: ID!, $ids: [ID!]!) {
  ${field}(storeId: $storeId, ids: $ids) {
    listings { ${LISTING_FIELDS} }
    errors { field code message }
  }
}`;

export const LISTINGS_LIST = bulk("AmazonListingsList", "amazonListingsList");
export const LISTINGS_END = bulk("AmazonListingsEnd", "amazonListingsEnd");
export const LISTINGS_RELIST = bulk("AmazonListingsRelist", "amazonListingsRelist");

export const LISTING_OPERATIONS = { LISTING_SYNC_QUERY, LISTINGS_QUERY, LISTING_SYNC_START, LISTINGS_LIST, LISTINGS_END, LISTINGS_RELIST };

const BULK: Record<BulkAction, [string, string]> = {
  list: [LISTINGS_LIST, "amazonListingsList"],
  end: [LISTINGS_END, "amazonListingsEnd"],
  relist: [LISTINGS_RELIST, "amazonListingsRelist"],
};

/** Which bulk actions a tab offers (Adobe's: publish from Ready to list, end live ones, relist ended ones). */
export const ACTIONS_OF: Record<ListingState, BulkAction[]> = {
  READY_TO_LIST: ["list"],
  ACTIVE: ["end"],
  INACTIVE: ["end"],
  ERROR: ["end"],
  ENDED: ["relist"],
  INCOMPLETE: [],
  THIRD_PARTY: [],
};

export function isSyncing(sync: ListingSync | null | undefined): boolean {
  return sync?.status === "PENDING" || sync?.status === "RUNNING";
}

export async function fetchListingSync(client: GraphQLClient, storeId: string): Promise<ListingSync | null> {
  const data = await client<{ amazonStore: { listingSync: ListingSync | null } | null }>(LISTING_SYNC_QUERY, { id: storeId });
  return data.amazonStore?.listingSync ?? null;
}

export async function fetchListingPage(
  client: GraphQLClient,
  storeId: string,
  filter: ListingFilter,
  first: number,
  after?: string | null,
): Promise<ListingPage> {
  const search = filter.search?.trim();
  const cleaned = {
    ...(filter.state?.length ? { state: filter.state } : {}),
    ...(search ? { search } : {}),
    ...(filter.hasOverride != null ? { hasOverride: filter.hasOverride } : {}),
  };
  type Data = { amazonListings: { totalCount: number; pageInfo: ListingPage["pageInfo"]; edges: Array<{ node: Listing }> } | null };
  const data = await client<Data>(LISTINGS_QUERY, { storeId, filter: cleaned, first, after: after ?? null });
  const connection = data.amazonListings;
  return {
    totalCount: connection?.totalCount ?? 0,
    pageInfo: connection?.pageInfo ?? { hasNextPage: false, endCursor: null },
    listings: connection?.edges.map((edge) => edge.node) ?? [],
  };
}

export async function startListingSync(
  client: GraphQLClient,
  storeId: string,
): Promise<{ sync: ListingSync | null; errors: AmazonStoreError[] }> {
  type Payload = { listingSync: ListingSync | null; errors: AmazonStoreError[] | null } | null;
  const data = await client<{ amazonListingSyncStart: Payload }>(LISTING_SYNC_START, { storeId });
  return { sync: data.amazonListingSyncStart?.listingSync ?? null, errors: data.amazonListingSyncStart?.errors ?? [] };
}

export async function runBulkAction(
  client: GraphQLClient,
  action: BulkAction,
  storeId: string,
  ids: string[],
): Promise<{ listings: Listing[]; errors: AmazonStoreError[] }> {
  const [document, field] = BULK[action];
  type Payload = { listings: Listing[] | null; errors: AmazonStoreError[] | null } | null;
  const data = await client<Record<string, Payload>>(document, { storeId, ids });
  return { listings: data[field]?.listings ?? [], errors: data[field]?.errors ?? [] };
}

/** "12.50 USD", or null when there is no price. */
export function formatOffer(offer: Offer | null): { price: string | null; quantity: number | null } {
  if (!offer) return { price: null, quantity: null };
  return { price: offer.price != null ? `${offer.price} ${offer.currency ?? ""}`.trim() : null, quantity: offer.quantity };
}
