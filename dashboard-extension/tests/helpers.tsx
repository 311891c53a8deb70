import { render } from "@testing-library/react";
import type { ReactNode } from "react";
import { vi } from "vitest";
import { Frame } from "../src/App";
import { ConnectProvider } from "../src/consent/connect";
import { AppServicesProvider, type AppServices } from "../src/context";
import type { Locale } from "../src/i18n";
import type { GraphQLClient } from "../src/lib/graphql";
import type { Host } from "../src/lib/host";
import type { AmazonMarketplace, AmazonStore, AmazonStoreDetail } from "../src/lib/types";

export const US: AmazonMarketplace = {
  id: "ATVPDKIKX0DER",
  countryCode: "US",
  countryName: "United States",
  region: "NA",
  sellerCentralUrl: "https://sellercentral.amazon.com",
  currencyCode: "USD",
  domain: "www.amazon.com",
};
export const GB: AmazonMarketplace = { ...US, id: "A1F83G8C2ARO7P", countryCode: "GB", countryName: "United Kingdom", region: "EU", domain: "www.amazon.co.uk", currencyCode: "GBP" };

export function makeStore(overrides: Partial<AmazonStoreDetail> = {}): AmazonStoreDetail {
  return {
    id: "QW1hem9uU3RvcmU6MQ==",
    name: "Amazon Store USA",
    contactEmail: "ops@example.com",
    channel: { id: "Q2hhbm5lbDox", name: "Default channel", slug: "default-channel", currencyCode: "USD" },
    marketplace: US,
    productIdentifier: { type: "UPC", source: "ATTRIBUTE", attribute: "upc" },
    isActive: true,
    created: "2026-01-10T10:00:00Z",
    updatedAt: "2026-02-01T10:00:00Z",
    status: "NOT_CONNECTED",
    sellingPartnerId: null,
    authorizedAt: null,
    authorizationExpiresAt: null,
    lastCheckedAt: null,
    lastError: null,
    participations: [],
    events: [],
    ...overrides,
  };
}

export type Handler = (variables: Record<string, unknown>) => unknown;

/** A GraphQL client answering by operation name; records the calls. */
export function mockClient(handlers: Record<string, Handler>) {
  const calls: Array<{ operation: string; variables: Record<string, unknown> }> = [];
  const client = vi.fn(async (query: string, variables?: object) => {
    const operation = (query.match(/\b(?:query|mutation)\s+(\w+)/) || [])[1] ?? "?";
    calls.push({ operation, variables: (variables ?? {}) as Record<string, unknown> });
    const handler = handlers[operation];
    if (!handler) throw new Error(`no mock for ${operation}`);
    return handler((variables ?? {}) as Record<string, unknown>);
  }) as unknown as GraphQLClient;
  return { client, calls };
}

export function storesPage(stores: AmazonStore[]) {
  return {
    amazonStores: {
      totalCount: stores.length,
      pageInfo: { hasNextPage: false, endCursor: null },
      edges: stores.map((node) => ({ node, cursor: node.id })),
    },
  };
}

export function mockHost(overrides: Partial<Host> = {}): Host {
  const snapshot = { mode: "dashboard" as const, ready: true, hasToken: true, theme: "light" as const, dashboardLocale: null };
  return {
    mode: "dashboard",
    appBridge: null,
    getToken: () => "token",
    getSaleorApiUrl: () => "https://shop.test/graphql/",
    snapshot: () => snapshot,
    subscribe: () => () => undefined,
    openInNewTab: vi.fn(async () => undefined),
    notify: vi.fn(),
    updateRoute: vi.fn(),
    openDashboardPage: vi.fn(async () => true),
    ...overrides,
  };
}

export function renderWithServices(
  ui: ReactNode,
  { api, saleor, host = mockHost(), locale = "en" }: { api: GraphQLClient; saleor?: GraphQLClient; host?: Host; locale?: Locale },
) {
  const services: AppServices = { host, api, saleor: saleor ?? mockClient({}).client };
  return render(
    <Frame theme="light" locale={locale}>
      <AppServicesProvider services={services}>
        <ConnectProvider>{ui}</ConnectProvider>
      </AppServicesProvider>
    </Frame>,
  );
}
