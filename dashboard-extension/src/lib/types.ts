/** Types of the plugin's GraphQL API (see contract/schema-contract.graphql). */

export const STORE_STATUSES = [
  "NOT_CONNECTED",
  "CONNECTED",
  "AUTHORIZATION_EXPIRING",
  "AUTHORIZATION_EXPIRED",
  "AUTHORIZATION_REVOKED",
  "ERROR",
] as const;
export type StoreStatus = (typeof STORE_STATUSES)[number];

export const PRODUCT_ID_TYPES = ["ASIN", "EAN", "GTIN", "ISBN", "JAN", "UPC", "SKU"] as const;
export type ProductIdType = (typeof PRODUCT_ID_TYPES)[number];
export type ProductIdSource = "ATTRIBUTE" | "VARIANT_SKU";
export type AmazonRegion = "NA" | "EU" | "FE";

// Generated from the plugin's outcomes module: the GraphQL AmazonStoreErrorCode values.
export { ERROR_CODES as STORE_ERROR_CODES } from "./outcomes.generated";
import { ERROR_CODES as STORE_ERROR_CODES } from "./outcomes.generated";
export type StoreErrorCode = (typeof STORE_ERROR_CODES)[number];

export const STORE_EVENT_TYPES = [
  "CREATED",
  "UPDATED",
  "DELETED",
  "ACTIVATED",
  "DEACTIVATED",
  "CONNECT_STARTED",
  "CONNECTED",
  "CONNECT_FAILED",
  "RENEWED",
  "DISCONNECTED",
  "REVOKED",
  "EXPIRED",
  "CHECKED",
  "CHECK_FAILED",
  "CHANNEL_DELETED",
  "REMINDER_SENT",
] as const;
export type StoreEventType = (typeof STORE_EVENT_TYPES)[number];

export type AmazonMarketplace = {
  id: string;
  countryCode: string;
  countryName: string;
  region: AmazonRegion;
  sellerCentralUrl: string;
  currencyCode: string;
  domain: string;
};

export type AmazonStoreChannel = { id: string; name: string; slug: string; currencyCode: string };

export type AmazonProductIdentifier = {
  type: ProductIdType;
  source: ProductIdSource;
  attribute: string | null;
};

export type AmazonStore = {
  id: string;
  name: string;
  contactEmail: string;
  channel: AmazonStoreChannel | null;
  marketplace: AmazonMarketplace;
  productIdentifier: AmazonProductIdentifier;
  isActive: boolean;
  created: string;
  updatedAt: string;
  status: StoreStatus;
  sellingPartnerId: string | null;
  authorizedAt: string | null;
  authorizationExpiresAt: string | null;
  lastCheckedAt: string | null;
  lastError: string | null;
  /** The code of lastError (worded per locale by the client; lastError is English). */
  lastErrorCode?: string | null;
  /** How the last connection attempt or check failed, while that is the latest outcome. */
  lastFailure?: AmazonStoreFailure | null;
  /** A consent was started and Amazon has not answered yet. */
  connectionPendingSince?: string | null;
  /** The latest catalog match (the store list asks for it; other queries leave it out). */
  catalogMatchRun?: { status: string; counts: { matched: number; total: number } } | null;
  /** The Amazon orders waiting for a fix (the store list and the store page ask for it). */
  orderSync?: { waitingOrders: number } | null;
};

export type AmazonStoreFailure = {
  type: "CONNECT_FAILED" | "CHECK_FAILED" | string;
  date: string;
  reason: string | null;
  message: string | null;
};

export type AmazonMarketplaceParticipation = {
  marketplace: AmazonMarketplace;
  storeName: string | null;
  isParticipating: boolean;
  hasSuspendedListings: boolean;
};

export type AmazonStoreEvent = {
  id: string;
  type: StoreEventType;
  date: string;
  actor: string | null;
  actorKind?: "STAFF" | "APP" | "AMAZON" | "SYSTEM";
  message: string | null;
  /** The event's facts (reason, fields, sellerId…), worded per locale by the client. */
  data?: Record<string, unknown> | null;
};

export type AmazonStoreDetail = AmazonStore & {
  participations: AmazonMarketplaceParticipation[];
  events: AmazonStoreEvent[];
};

export type AmazonChannelSetup = {
  isConfigured: boolean;
  missingConfiguration: string[];
  redirectUri: string;
  loginUri: string;
  draftApp: boolean;
  tasks?: AmazonSetupTask[];
};

export const SETUP_TASK_KEYS = ["SELLER_ACCOUNT", "PRIMARY_USER", "ATTRIBUTES", "SP_API_APP", "SELLER_SETTINGS"] as const;
export type SetupTaskKey = (typeof SETUP_TASK_KEYS)[number];
export type AmazonSetupTask = { key: SetupTaskKey; done: boolean; updatedAt: string | null; updatedBy: string | null };

export type AmazonStoreError = { field: string | null; message: string | null; code: StoreErrorCode | string };

export type ProductIdentifierInput = { type: ProductIdType; source: ProductIdSource; attribute?: string | null };

export type StoreCreateInput = {
  name: string;
  contactEmail: string;
  channel: string;
  marketplace: string;
  productIdentifier: ProductIdentifierInput;
  isActive?: boolean;
};

export type StoreUpdateInput = Partial<Omit<StoreCreateInput, "marketplace">> & { marketplace?: string };

/** Saleor's own API (for the pickers). */
export type SaleorChannel = { id: string; name: string; slug: string; currencyCode: string };
export type SaleorAttribute = { id: string; name: string; slug: string };
