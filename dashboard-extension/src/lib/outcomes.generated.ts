// Generated from saleor_amazon_channel/outcomes.py by `python -m saleor_amazon_channel.outcomes`.
// Do not edit: tests on both sides compare it with the Python module.

/** Reasons the consent's return page can show (`?reason=`). */
export const REASON_CODES = [
  "STATE_INVALID",
  "STATE_EXPIRED",
  "STATE_USED",
  "STATE_BROWSER_MISMATCH",
  "CANCELLED",
  "AMAZON_MD1000",
  "AMAZON_MD5101",
  "AMAZON_MD5110",
  "AMAZON_ERROR",
  "INVALID_GRANT",
  "INVALID_CLIENT",
  "UNAUTHORIZED_CLIENT",
  "AMAZON_UNAVAILABLE",
  "SP_API_FORBIDDEN",
  "SP_API_THROTTLED",
  "MARKETPLACE_NOT_PARTICIPATING",
  "SELLER_MISMATCH",
  "SELLER_ALREADY_CONNECTED",
  "STORE_NOT_FOUND",
  "PLUGIN_NOT_CONFIGURED",
  "INTERNAL_ERROR"
] as const;

/** AmazonStoreErrorCode values of the GraphQL API. */
export const ERROR_CODES = [
  "INVALID",
  "NOT_FOUND",
  "REQUIRED",
  "UNIQUE",
  "IMMUTABLE",
  "NOT_CONNECTED",
  "CONNECT_LIMIT_REACHED",
  "STATE_INVALID",
  "STATE_EXPIRED",
  "AMAZON_UNAVAILABLE",
  "AUTHORIZATION_REVOKED",
  "MARKETPLACE_NOT_PARTICIPATING",
  "SELLER_MISMATCH",
  "SELLER_ALREADY_CONNECTED",
  "PLUGIN_NOT_CONFIGURED"
] as const;

/** Why a listing cannot be offered (`AmazonListing.reasonCode`). */
export const LISTING_REASONS = [
  "CURRENCY_MISMATCH",
  "NO_PRICE",
  "MISSING_CONDITION",
  "NO_CATALOG_MATCH",
  "MULTIPLE_MATCHES",
  "NO_IDENTIFIER",
  "NO_PRODUCT_TYPE",
  "MISSING_REQUIRED_ATTRIBUTE",
  "NOT_IN_CHANNEL",
  "EXCLUDED_BY_RULES"
] as const;
