/**
 * Catalog match: the GraphQL operations, the fetch helpers, and the CSV export.
 */
import type { GraphQLClient } from "../lib/graphql";
import type { AmazonStoreError } from "../lib/types";

export type CatalogMatchStatus =
  | "MATCHED"
  | "MULTIPLE_MATCHES"
  | "NO_MATCH"
  | "INVALID_IDENTIFIER"
  | "NO_IDENTIFIER"
  | "ERROR"
  | "PENDING";

export const MATCH_STATUSES: CatalogMatchStatus[] = [
  "MATCHED",
  "MULTIPLE_MATCHES",
  "NO_MATCH",
  "INVALID_IDENTIFIER",
  "NO_IDENTIFIER",
  "ERROR",
  "PENDING",
];

export type CatalogCounts = {
  total: number;
  matched: number;
  multipleMatches: number;
  noMatch: number;
  invalidIdentifier: number;
  noIdentifier: number;
  error: number;
  pending: number;
};

export type CatalogRun = {
  id: string;
  status: "PENDING" | "RUNNING" | "SUCCEEDED" | "FAILED";
  total: number;
  done: number;
  progress: number;
  estimatedSecondsLeft: number | null;
  startedAt: string | null;
  finishedAt: string | null;
  lastErrorCode: string | null;
  lastError: string | null;
  counts: CatalogCounts;
};

export type CatalogMatch = {
  id: string;
  variant: { id: string; sku: string | null; name: string };
  identifierType: string;
  identifier: string | null;
  status: CatalogMatchStatus;
  reason: string | null;
  asin: string | null;
  asins: string[];
  title: string | null;
  brand: string | null;
  imageUrl: string | null;
  productUrl: string | null;
  checkedAt: string | null;
};

export type CatalogPage = {
  totalCount: number;
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  matches: CatalogMatch[];
};

export type CatalogFilter = { status?: CatalogMatchStatus[]; search?: string };

const RUN_FIELDS = `id status total done progress estimatedSecondsLeft startedAt finishedAt lastErrorCode lastError
  counts { total matched multipleMatches noMatch invalidIdentifier noIdentifier error pending }`;
const MATCH_FIELDS = `id variant { id sku name } identifierType identifier status reason asin asins title brand imageUrl
  productUrl checkedAt`;

export const CATALOG_RUN_QUERY = `query AmazonCatalogMatchRun($id: ID!) {
  amazonStore(id: $id) { id catalogMatchRun { ${RUN_FIELDS} } }
}`;

export const CATALOG_MATCHES_QUERY = `query AmazonCatalogMatches($storeId: ID!, $filter: AmazonCatalogMatchFilterInput, $first: Int, $after: String) {
  amazonCatalogMatches(storeId: $storeId, filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { ${MATCH_FIELDS} } }
  }
}`;

export const CATALOG_START = `mutation AmazonCatalogMatchStart($storeId: ID!) {
  amazonCatalogMatchStart(storeId: $storeId) {
    catalogMatchRun { ${RUN_FIELDS} }
    errors { field code message }
  }
}`;

export const CATALOG_CANCEL = `mutation AmazonCatalogMatchCancel($storeId: ID!) {
  amazonCatalogMatchCancel(storeId: $storeId) {
    catalogMatchRun { ${RUN_FIELDS} }
    errors { field code message }
  }
}`;

export const CATALOG_OPERATIONS = { CATALOG_RUN_QUERY, CATALOG_MATCHES_QUERY, CATALOG_START, CATALOG_CANCEL };

/** The code a cancelled run ends with (``storage.CANCELLED``). */
export const CANCELLED = "cancelled";

export function isRunning(run: CatalogRun | null | undefined): boolean {
  return run?.status === "PENDING" || run?.status === "RUNNING";
}

export async function fetchCatalogRun(client: GraphQLClient, storeId: string): Promise<CatalogRun | null> {
  const data = await client<{ amazonStore: { catalogMatchRun: CatalogRun | null } | null }>(CATALOG_RUN_QUERY, { id: storeId });
  return data.amazonStore?.catalogMatchRun ?? null;
}

export async function startCatalogMatch(
  client: GraphQLClient,
  storeId: string,
): Promise<{ run: CatalogRun | null; errors: AmazonStoreError[] }> {
  type Payload = { catalogMatchRun: CatalogRun | null; errors: AmazonStoreError[] | null } | null;
  const data = await client<{ amazonCatalogMatchStart: Payload }>(CATALOG_START, { storeId });
  return { run: data.amazonCatalogMatchStart?.catalogMatchRun ?? null, errors: data.amazonCatalogMatchStart?.errors ?? [] };
}

export async function cancelCatalogMatch(
  client: GraphQLClient,
  storeId: string,
): Promise<{ run: CatalogRun | null; errors: AmazonStoreError[] }> {
  type Payload = { catalogMatchRun: CatalogRun | null; errors: AmazonStoreError[] | null } | null;
  const data = await client<{ amazonCatalogMatchCancel: Payload }>(CATALOG_CANCEL, { storeId });
  return { run: data.amazonCatalogMatchCancel?.catalogMatchRun ?? null, errors: data.amazonCatalogMatchCancel?.errors ?? [] };
}

function cleanFilter(filter: CatalogFilter): CatalogFilter {
  const search = filter.search?.trim();
  return { ...(filter.status?.length ? { status: filter.status } : {}), ...(search ? { search } : {}) };
}

export async function fetchCatalogPage(
  client: GraphQLClient,
  storeId: string,
  filter: CatalogFilter,
  first = 50,
  after: string | null = null,
): Promise<CatalogPage> {
  type Connection = {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: { node: CatalogMatch }[];
  };
  const data = await client<{ amazonCatalogMatches: Connection | null }>(CATALOG_MATCHES_QUERY, {
    storeId,
    filter: cleanFilter(filter),
    first,
    after,
  });
  const connection = data.amazonCatalogMatches;
  if (!connection) return { totalCount: 0, pageInfo: { hasNextPage: false, endCursor: null }, matches: [] };
  return { totalCount: connection.totalCount, pageInfo: connection.pageInfo, matches: connection.edges.map((e) => e.node) };
}

/** Every result matching the filter, 100 a page (for the CSV export); stops at `limit`. */
export async function fetchAllCatalogMatches(
  client: GraphQLClient,
  storeId: string,
  filter: CatalogFilter,
  limit = 100_000,
): Promise<CatalogMatch[]> {
  const all: CatalogMatch[] = [];
  let after: string | null = null;
  while (all.length < limit) {
    const page: CatalogPage = await fetchCatalogPage(client, storeId, filter, 100, after);
    all.push(...page.matches);
    if (!page.pageInfo.hasNextPage || !page.pageInfo.endCursor) break;
    after = page.pageInfo.endCursor;
  }
  return all.slice(0, limit);
}

/**
 * One CSV cell: quoted when needed, and a leading = + - @ (or tab/CR) defused with a quote mark,
 * so a product name cannot become a spreadsheet formula.
 */
export function csvCell(value: string | number | null | undefined): string {
  let text = value == null ? "" : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const CSV_COLUMNS = [
  "variant_id",
  "sku",
  "name",
  "identifier_type",
  "identifier",
  "status",
  "reason",
  "asin",
  "asins",
  "title",
  "brand",
  "product_url",
  "checked_at",
] as const;

export function toCsv(matches: CatalogMatch[]): string {
  const rows = matches.map((m) =>
    [
      m.variant.id,
      m.variant.sku,
      m.variant.name,
      m.identifierType,
      m.identifier,
      m.status,
      m.reason,
      m.asin,
      m.asins.join(" "),
      m.title,
      m.brand,
      m.productUrl,
      m.checkedAt,
    ]
      .map(csvCell)
      .join(","),
  );
  return [CSV_COLUMNS.join(","), ...rows].join("\r\n") + "\r\n";
}

/** "1 h 5 min", "3 min", "40 s": the time left of a run. */
export function formatDuration(seconds: number): { h: number; min: number; s: number } {
  const total = Math.max(0, Math.round(seconds));
  return { h: Math.floor(total / 3600), min: Math.floor((total % 3600) / 60), s: total % 60 };
}
