import type { GraphQLClient } from "./graphql";
import type {
  AmazonChannelSetup,
  AmazonMarketplace,
  AmazonStore,
  AmazonStoreDetail,
  AmazonStoreError,
  SaleorAttribute,
  SaleorChannel,
  SetupTaskKey,
  StoreCreateInput,
  StoreUpdateInput,
} from "./types";

const MARKETPLACE_FIELDS = `id countryCode countryName region sellerCentralUrl currencyCode domain`;
const STORE_FIELDS = `
  id name contactEmail isActive created updatedAt status
  sellingPartnerId authorizedAt authorizationExpiresAt lastCheckedAt lastError lastErrorCode
  connectionPendingSince lastFailure { type date reason message }
  channel { id name slug currencyCode }
  marketplace { ${MARKETPLACE_FIELDS} }
  productIdentifier { type source attribute }`;
const ERROR_FIELDS = `errors { field code message }`;

export const STORES_QUERY = `query AmazonStores($first: Int, $after: String) {
  amazonStores(first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { ${STORE_FIELDS} catalogMatchRun { status counts { matched total } } orderSync { waitingOrders } } }
  }
}`;

export const STORE_QUERY = `query AmazonStore($id: ID!, $events: Int) {
  amazonStore(id: $id) {
    ${STORE_FIELDS}
    orderSync { waitingOrders }
    participations { storeName isParticipating hasSuspendedListings marketplace { ${MARKETPLACE_FIELDS} } }
    events(first: $events) { id type date actor actorKind message data }
  }
}`;

export const MARKETPLACES_QUERY = `query AmazonMarketplaces { amazonMarketplaces { ${MARKETPLACE_FIELDS} } }`;

const SETUP_FIELDS = `isConfigured missingConfiguration redirectUri loginUri draftApp
  tasks { key done updatedAt updatedBy }`;
export const SETUP_QUERY = `query AmazonChannelSetup { amazonChannelSetup { ${SETUP_FIELDS} } }`;
export const SETUP_TASK_UPDATE = `mutation AmazonChannelSetupTaskUpdate($key: AmazonSetupTaskKey!, $done: Boolean!) {
  amazonChannelSetupTaskUpdate(key: $key, done: $done) { setup { ${SETUP_FIELDS} } ${ERROR_FIELDS} }
}`;

export const STORE_CREATE = `mutation AmazonStoreCreate($input: AmazonStoreCreateInput!) {
  amazonStoreCreate(input: $input) { amazonStore { ${STORE_FIELDS} } ${ERROR_FIELDS} }
}`;
export const STORE_UPDATE = `mutation AmazonStoreUpdate($id: ID!, $input: AmazonStoreUpdateInput!) {
  amazonStoreUpdate(id: $id, input: $input) { amazonStore { ${STORE_FIELDS} } ${ERROR_FIELDS} }
}`;
export const STORE_DELETE = `mutation AmazonStoreDelete($id: ID!) {
  amazonStoreDelete(id: $id) { amazonStore { id name } ${ERROR_FIELDS} }
}`;
export const STORE_CONNECT = `mutation AmazonStoreConnect($id: ID!, $amazonAuthorization: String) {
  amazonStoreConnect(id: $id, amazonAuthorization: $amazonAuthorization) {
    consentUrl amazonStore { ${STORE_FIELDS} } ${ERROR_FIELDS}
  }
}`;
/** What an authorization request Amazon sent through the plugin's Log-in URI is about (changes nothing). */
export const STORE_AUTHORIZATION_REQUEST = `query AmazonAuthorizationRequest($authorization: String!) {
  amazonAuthorizationRequest(authorization: $authorization) {
    sellingPartnerId stores { id name status marketplace { countryCode countryName } }
    marketplace { id countryCode countryName } ${ERROR_FIELDS}
  }
}`;
export const STORE_DISCONNECT = `mutation AmazonStoreDisconnect($id: ID!) {
  amazonStoreDisconnect(id: $id) { message amazonStore { ${STORE_FIELDS} } ${ERROR_FIELDS} }
}`;
export const STORE_CHECK = `mutation AmazonStoreCheckConnection($id: ID!) {
  amazonStoreCheckConnection(id: $id) { amazonStore { ${STORE_FIELDS} } ${ERROR_FIELDS} }
}`;

/** Every channel: Saleor's `channels` takes no filter and no paging (it lists what the user may see). */
export const SALEOR_CHANNELS_QUERY = `query AmazonChannelPickerChannels { channels { id name slug currencyCode } }`;
/** Product attributes, searched (name or slug) and paged on the server, by name. */
export const ATTRIBUTE_PAGE_SIZE = 25;
export const SALEOR_ATTRIBUTES_QUERY = `query AmazonChannelPickerAttributes($search: String, $after: String) {
  attributes(first: 25, after: $after, filter: { type: PRODUCT_TYPE, search: $search }, sortBy: { field: NAME, direction: ASC }) {
    edges { node { id name slug } }
    pageInfo { hasNextPage endCursor }
  }
}`;

export type MutationResult<T = AmazonStore> = { amazonStore: T | null; errors: AmazonStoreError[] };
export type ConnectResult = MutationResult & { consentUrl: string | null };
export type DisconnectResult = MutationResult & { message: string | null };

/** Every page of `amazonStores` (100 at a time; a merchant has a handful). */
export async function fetchStores(client: GraphQLClient): Promise<AmazonStore[]> {
  const stores: AmazonStore[] = [];
  let after: string | null = null;
  for (let page = 0; page < 50; page++) {
    type Page = {
      amazonStores: {
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
        edges: { node: AmazonStore }[];
      } | null;
    };
    const data: Page = await client<Page>(STORES_QUERY, { first: 100, after });
    const connection = data.amazonStores;
    if (!connection) break;
    stores.push(...connection.edges.map((edge) => edge.node));
    if (!connection.pageInfo.hasNextPage || !connection.pageInfo.endCursor) break;
    after = connection.pageInfo.endCursor;
  }
  return stores;
}

export async function fetchStore(client: GraphQLClient, id: string): Promise<AmazonStoreDetail | null> {
  const data = await client<{ amazonStore: AmazonStoreDetail | null }>(STORE_QUERY, { id, events: 50 });
  return data.amazonStore;
}

export async function fetchMarketplaces(client: GraphQLClient): Promise<AmazonMarketplace[]> {
  return (await client<{ amazonMarketplaces: AmazonMarketplace[] }>(MARKETPLACES_QUERY)).amazonMarketplaces;
}

export async function fetchSetup(client: GraphQLClient): Promise<AmazonChannelSetup> {
  return (await client<{ amazonChannelSetup: AmazonChannelSetup }>(SETUP_QUERY)).amazonChannelSetup;
}

export async function updateSetupTask(client: GraphQLClient, key: SetupTaskKey, done: boolean): Promise<AmazonChannelSetup> {
  const data = await client<{ amazonChannelSetupTaskUpdate: { setup: AmazonChannelSetup; errors: AmazonStoreError[] } }>(
    SETUP_TASK_UPDATE,
    { key, done },
  );
  const payload = data.amazonChannelSetupTaskUpdate;
  if (payload.errors.length > 0) throw new Error(payload.errors.map((error) => error.message).join(" "));
  return payload.setup;
}

const orEmpty = <T extends { errors?: AmazonStoreError[] | null }>(payload: T | null | undefined) =>
  ({ ...(payload ?? {}), errors: payload?.errors ?? [] }) as T & { errors: AmazonStoreError[] };

export async function createStore(client: GraphQLClient, input: StoreCreateInput): Promise<MutationResult> {
  const data = await client<{ amazonStoreCreate: MutationResult | null }>(STORE_CREATE, { input });
  return orEmpty(data.amazonStoreCreate);
}

export async function updateStore(client: GraphQLClient, id: string, input: StoreUpdateInput): Promise<MutationResult> {
  const data = await client<{ amazonStoreUpdate: MutationResult | null }>(STORE_UPDATE, { id, input });
  return orEmpty(data.amazonStoreUpdate);
}

export async function deleteStore(client: GraphQLClient, id: string): Promise<MutationResult<{ id: string; name: string }>> {
  const data = await client<{ amazonStoreDelete: MutationResult<{ id: string; name: string }> | null }>(STORE_DELETE, { id });
  return orEmpty(data.amazonStoreDelete);
}

export type AuthorizationRequest = {
  sellingPartnerId: string | null;
  stores: Array<{ id: string; name: string; status: string; marketplace: { countryCode: string; countryName: string } }>;
  marketplace: { id: string; countryCode: string; countryName: string } | null;
  errors: AmazonStoreError[];
};

export async function fetchAuthorizationRequest(client: GraphQLClient, authorization: string): Promise<AuthorizationRequest> {
  const data = await client<{ amazonAuthorizationRequest: AuthorizationRequest }>(STORE_AUTHORIZATION_REQUEST, {
    authorization,
  });
  return data.amazonAuthorizationRequest;
}

export async function connectStore(client: GraphQLClient, id: string, amazonAuthorization?: string): Promise<ConnectResult> {
  const variables = amazonAuthorization ? { id, amazonAuthorization } : { id };
  const data = await client<{ amazonStoreConnect: ConnectResult | null }>(STORE_CONNECT, variables);
  return orEmpty(data.amazonStoreConnect);
}

export async function disconnectStore(client: GraphQLClient, id: string): Promise<DisconnectResult> {
  const data = await client<{ amazonStoreDisconnect: DisconnectResult | null }>(STORE_DISCONNECT, { id });
  return orEmpty(data.amazonStoreDisconnect);
}

export async function checkStoreConnection(client: GraphQLClient, id: string): Promise<MutationResult> {
  const data = await client<{ amazonStoreCheckConnection: MutationResult | null }>(STORE_CHECK, { id });
  return orEmpty(data.amazonStoreCheckConnection);
}

export async function fetchSaleorChannels(client: GraphQLClient): Promise<SaleorChannel[]> {
  const data = await client<{ channels: SaleorChannel[] | null }>(SALEOR_CHANNELS_QUERY);
  return [...(data.channels ?? [])].sort((a, b) => a.name.localeCompare(b.name));
}

export type AttributePage = { attributes: SaleorAttribute[]; hasNextPage: boolean; endCursor: string | null };

/** One page of product attributes matching `search` (all when empty), after `after`. */
export async function searchSaleorAttributes(client: GraphQLClient, search: string, after: string | null = null): Promise<AttributePage> {
  type Data = { attributes: { edges: { node: SaleorAttribute }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } | null };
  const data = await client<Data>(SALEOR_ATTRIBUTES_QUERY, { search: search.trim() || null, after });
  return {
    attributes: (data.attributes?.edges ?? []).map((edge) => edge.node),
    hasNextPage: Boolean(data.attributes?.pageInfo?.hasNextPage),
    endCursor: data.attributes?.pageInfo?.endCursor ?? null,
  };
}
