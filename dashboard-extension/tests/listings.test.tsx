import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { buildSchema, parse, validate } from "graphql";
import { describe, expect, it } from "vitest";
import { ListingsSection } from "../src/listings/ListingsSection";
import { LISTING_OPERATIONS, type Listing, type ListingSync } from "../src/listings/listings";
import { en } from "../src/i18n/en";
import { fr } from "../src/i18n/fr";
import { LISTING_REASONS } from "../src/lib/outcomes.generated";
import { mockClient, renderWithServices } from "./helpers";

const SDL = join(__dirname, "..", "..", "graphql", "schema.graphql");
const STORE = { id: "QW1hem9uU3RvcmU6MQ==", name: "Amazon Store USA", status: "CONNECTED" };

function makeSync(overrides: Partial<ListingSync> = {}): ListingSync {
  return {
    id: "s1",
    status: "SUCCEEDED",
    phase: "verify",
    progress: 1,
    sent: 3,
    accepted: 2,
    rejected: 1,
    finishedAt: "2026-03-01T10:02:00Z",
    lastErrorCode: null,
    lastError: null,
    counts: { incomplete: 1, readyToList: 0, active: 2, inactive: 0, ended: 0, error: 1, thirdParty: 1, overrides: 0, pending: 0 },
    ...overrides,
  };
}

function makeListing(overrides: Partial<Listing> = {}): Listing {
  return {
    id: "l1",
    variantId: "UHJvZHVjdFZhcmlhbnQ6MQ==",
    name: "Desk lamp",
    sellerSku: "LAMP-1",
    asin: "B0TESTASIN",
    productUrl: "https://www.amazon.com/dp/B0TESTASIN",
    state: "ACTIVE",
    reasonCode: null,
    reason: null,
    inProgress: false,
    fulfillmentChannel: "DEFAULT",
    desired: { price: "19.99", currency: "USD", quantity: 4 },
    onAmazon: { price: "18.50", currency: "USD", quantity: 5 },
    hasOverride: false,
    issues: [],
    ...overrides,
  };
}

function page(listings: Listing[]) {
  return {
    amazonListings: {
      totalCount: listings.length,
      pageInfo: { hasNextPage: false, endCursor: null },
      edges: listings.map((node) => ({ node })),
    },
  };
}

describe.skipIf(!existsSync(SDL))("listings operations", () => {
  it("are valid against the plugin's schema", () => {
    const schema = buildSchema(readFileSync(SDL, "utf8"));
    for (const document of Object.values(LISTING_OPERATIONS)) {
      expect(validate(schema, parse(document)).map((error) => error.message)).toEqual([]);
    }
  });
});

describe("listing reasons", () => {
  it("has words in every language for every reason the plugin stores", () => {
    for (const code of LISTING_REASONS) {
      expect(Object.keys(en)).toContain(`listings.reason.${code}`);
      expect(Object.keys(fr)).toContain(`listings.reason.${code}`);
    }
  });
});

describe("Amazon listings section", () => {
  it("shows a tab per state with counts, desired next to Amazon's values, and Amazon's issues", async () => {
    const { client, calls } = mockClient({
      AmazonListingSync: () => ({ amazonStore: { id: STORE.id, listingSync: makeSync() } }),
      AmazonListings: (variables) =>
        (variables.filter as { state: string[] }).state[0] === "ERROR"
          ? page([makeListing({ id: "l2", sellerSku: "FREE-2", state: "ERROR",
              issues: [{ code: "90244", severity: "ERROR", message: "The price must be greater than 0." }] })])
          : page([makeListing()]),
    });
    renderWithServices(<ListingsSection store={STORE} />, { api: client });

    const table = await screen.findByTestId("listings-table");
    expect(within(table).getByText("19.99 USD")).toBeTruthy();
    expect(within(table).getByText("On Amazon: 18.50 USD")).toBeTruthy();
    expect(within(table).getByRole("link", { name: "B0TESTASIN" }).getAttribute("rel")).toContain("noopener");
    const tabs = screen.getByRole("tablist");
    expect(within(tabs).getByRole("tab", { name: "Active (2)" }).getAttribute("aria-selected")).toBe("true");
    expect(screen.getByTestId("listings-last-sync").textContent).toContain("2 accepted, 1 refused by Amazon");

    fireEvent.click(within(tabs).getByRole("tab", { name: "Errors (1)" }));
    await waitFor(() => expect(screen.getByTestId("listing-issues").textContent).toBe("90244: The price must be greater than 0."));
    expect(calls.at(-1)?.variables.filter).toEqual({ state: ["ERROR"] });
  });

  it("ends the selected listings and says so", async () => {
    const { client, calls } = mockClient({
      AmazonListingSync: () => ({ amazonStore: { id: STORE.id, listingSync: makeSync() } }),
      AmazonListings: () => page([makeListing(), makeListing({ id: "l3", sellerSku: "MUG-3" })]),
      AmazonListingsEnd: () => ({ amazonListingsEnd: { listings: [makeListing({ state: "ENDED" })], errors: [] } }),
    });
    renderWithServices(<ListingsSection store={STORE} />, { api: client });
    await screen.findByTestId("listings-table");

    const end = screen.getByTestId("listings-end");
    expect((end as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByLabelText("Select LAMP-1"));
    expect(end.textContent).toBe("End listing (1)");
    fireEvent.click(end);
    await screen.findByTestId("listings-message");
    expect(calls.find((call) => call.operation === "AmazonListingsEnd")?.variables).toEqual({ storeId: STORE.id, ids: ["l1"] });
    expect(screen.getByTestId("listings-message").textContent).toContain("1 listings will be ended on Amazon.");
  });

  it("explains why a listing is incomplete in the merchant's language and starts a sync", async () => {
    const { client, calls } = mockClient({
      AmazonListingSync: () => ({ amazonStore: { id: STORE.id, listingSync: null } }),
      AmazonListings: () => page([makeListing({ state: "INCOMPLETE", reasonCode: "MULTIPLE_MATCHES", asin: null, productUrl: null, onAmazon: null })]),
      AmazonListingSyncStart: () => ({ amazonListingSyncStart: { listingSync: makeSync({ status: "RUNNING", phase: "send" }), errors: [] } }),
    });
    renderWithServices(<ListingsSection store={STORE} />, { api: client });
    await screen.findByTestId("listings-table");
    expect(screen.getByText("Several Amazon items match: pick its ASIN.")).toBeTruthy();
    fireEvent.click(screen.getByTestId("listings-sync"));
    await screen.findByTestId("listings-progress");
    expect(calls.some((call) => call.operation === "AmazonListingSyncStart")).toBe(true);
  });
});
