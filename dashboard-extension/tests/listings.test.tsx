import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { buildSchema, parse, validate } from "graphql";
import { describe, expect, it } from "vitest";
import { ListingsSection } from "../src/listings/ListingsSection";
import { ListingSettingsPage, toInput, valuesFromSettings } from "../src/listings/ListingSettingsPage";
import {
  actionsFor,
  eligible,
  LISTING_MUTATIONS,
  LISTING_SETTINGS_QUERY,
  LISTING_SETTINGS_UPDATE,
  LISTING_SYNC_QUERY,
  LISTING_SYNC_START,
  LISTINGS_QUERY,
  MULTIPLE_MATCH_ASINS,
  parseOverrides,
  type Listing,
  type ListingSettings,
  type ListingSync,
} from "../src/listings/listings";
import { parseAppPath, routePath } from "../src/lib/router";
import { makeStore, mockClient, mockHost, renderWithServices } from "./helpers";

const SDL = join(__dirname, "..", "..", "graphql", "schema.graphql");
const STORE = { id: "QW1hem9uU3RvcmU6MQ==", name: "Amazon Store USA", status: "CONNECTED" };

function makeListing(overrides: Partial<Listing> = {}): Listing {
  return {
    id: "TDox",
    variantId: "UHJvZHVjdFZhcmlhbnQ6MQ==",
    name: "Desk lamp / Small",
    sellerSku: "LAMP-1",
    skuGenerated: false,
    asin: "B0TESTASIN",
    productType: "LAMP",
    state: "ACTIVE",
    reasonCode: null,
    reason: null,
    inProgress: false,
    desired: { price: "20.00", currency: "USD", quantity: 5, handlingTime: 2, condition: "new_new" },
    onAmazon: { price: "18.50", currency: "USD", quantity: 5, handlingTime: 2, condition: "new_new" },
    amazonStatus: ["BUYABLE", "DISCOVERABLE"],
    fulfillmentChannel: "DEFAULT",
    overrides: { price: null, quantity: null, handlingTime: null, condition: null },
    hasOverride: false,
    applied: [],
    issues: [],
    productUrl: "https://www.amazon.com/dp/B0TESTASIN",
    checkedAt: "2026-03-01T10:01:00Z",
    updatedAt: "2026-03-01T10:01:00Z",
    ...overrides,
  };
}

function makeSync(overrides: Partial<ListingSync> = {}): ListingSync {
  return {
    id: "S1",
    status: "SUCCEEDED",
    phase: "verify",
    sent: 10,
    accepted: 9,
    rejected: 1,
    progress: 1,
    createdAt: "2026-03-01T10:00:00Z",
    finishedAt: "2026-03-01T10:02:00Z",
    lastErrorCode: null,
    lastError: null,
    counts: { incomplete: 2, ineligible: 0, readyToList: 3, active: 1, inactive: 0, ended: 0, error: 1, thirdParty: 2, overrides: 0, pending: 0 },
    ...overrides,
  };
}

function listingsPage(listings: Listing[]) {
  return { amazonListings: { totalCount: listings.length, pageInfo: { hasNextPage: false, endCursor: null }, edges: listings.map((node) => ({ node })) } };
}

const SETTINGS: ListingSettings = {
  autoList: true,
  handlingTime: 2,
  condition: "new_new",
  conditionAttribute: null,
  warehouses: [],
  outOfStockThreshold: 0,
  maxQuantity: null,
  untrackedQuantity: 10,
  importThirdParty: true,
};

describe.skipIf(!existsSync(SDL))("listings operations", () => {
  it("validate against the plugin's schema", () => {
    const schema = buildSchema(readFileSync(SDL, "utf8"));
    for (const document of [LISTINGS_QUERY, LISTING_SYNC_QUERY, LISTING_SYNC_START, LISTING_SETTINGS_QUERY, LISTING_SETTINGS_UPDATE, MULTIPLE_MATCH_ASINS, ...Object.values(LISTING_MUTATIONS)]) {
      expect(validate(schema, parse(document)).map((error) => error.message)).toEqual([]);
    }
  });
});

describe("listing helpers", () => {
  it("offers each state's actions, none on FBA or third-party offers", () => {
    expect(actionsFor({ state: "READY_TO_LIST", fulfillmentChannel: "DEFAULT" })).toEqual(["list"]);
    expect(actionsFor({ state: "ACTIVE", fulfillmentChannel: "DEFAULT" })).toEqual(["end"]);
    expect(actionsFor({ state: "ENDED", fulfillmentChannel: "DEFAULT" })).toEqual(["relist"]);
    expect(actionsFor({ state: "ACTIVE", fulfillmentChannel: "AMAZON_NA" })).toEqual([]);
    expect(actionsFor({ state: "THIRD_PARTY", fulfillmentChannel: "DEFAULT" })).toEqual([]);
    expect(eligible([makeListing(), makeListing({ id: "2", state: "ENDED" })], "relist").map((l) => l.id)).toEqual(["2"]);
  });

  it("parses overrides, field by field", () => {
    expect(parseOverrides({ price: "24,99", quantity: "", handlingTime: "5", condition: "" })).toEqual({ input: { price: "24.99", handlingTime: 5 }, errors: {} });
    expect(parseOverrides({ price: "0", quantity: "-1", handlingTime: "31", condition: "" }).errors).toEqual({ price: "price", quantity: "integer", handlingTime: "handlingTime" });
  });

  it("turns the settings form into the API's input", () => {
    const values = valuesFromSettings(SETTINGS);
    expect(toInput({ ...values, autoList: "hold", maxQuantity: "20" }).input).toMatchObject({ autoList: false, maxQuantity: 20, condition: "new_new", conditionAttribute: "" });
    expect(toInput({ ...values, handlingTime: "0" }).errors).toEqual({ handlingTime: "handlingTime" });
    expect(toInput({ ...values, conditionSource: "attribute", conditionAttribute: "" }).errors).toEqual({ conditionAttribute: "required" });
  });

  it("routes the listing settings screen", () => {
    expect(parseAppPath("/stores/QW1:1/listing-settings")).toEqual({ name: "listingSettings", id: "QW1:1" });
    expect(routePath({ name: "listingSettings", id: "S1" })).toBe("/stores/S1/listing-settings");
  });
});

describe("ListingsSection", () => {
  it("shows a tab per state with its count, the tab's listings, and ends the selected ones", async () => {
    let ended: unknown = null;
    const { client, calls } = mockClient({
      AmazonListingSync: () => ({ amazonStore: { id: STORE.id, listingSync: makeSync() } }),
      AmazonListings: (variables) => {
        const state = (variables.filter as { state: string[] }).state[0];
        return listingsPage(state === "ACTIVE" ? [makeListing()] : state === "ERROR" ? [makeListing({ id: "E1", state: "ERROR", issues: [{ code: "APPROVAL_REQUIRED", severity: "ERROR", message: "You need approval to sell this brand.", attributeNames: ["brand"] }] })] : []);
      },
      AmazonListingsEnd: (variables) => {
        ended = variables.ids;
        return { amazonListingsEnd: { listings: [makeListing({ state: "ENDED" })], errors: [] } };
      },
    });
    renderWithServices(<ListingsSection store={STORE} />, { api: client });
    const tab = await screen.findByRole("tab", { name: "Active (1)" });
    expect(tab.getAttribute("aria-selected")).toBe("true");
    expect(screen.getByRole("tab", { name: "Ready to list (3)" })).toBeTruthy();
    const table = await screen.findByTestId("listings-table");
    expect(within(table).getByText("LAMP-1")).toBeTruthy();
    fireEvent.click(screen.getByRole("checkbox", { name: "Select LAMP-1" }));
    fireEvent.click(screen.getByRole("button", { name: "End (1)" }));
    await screen.findByText("1 listing ended: Amazon removes the offer.");
    expect(ended).toEqual(["TDox"]);

    fireEvent.click(screen.getByRole("tab", { name: "Errors (1)" }));
    await screen.findByText("APPROVAL_REQUIRED: You need approval to sell this brand.");
    expect(calls.some((call) => call.operation === "AmazonListings" && (call.variables.filter as { state: string[] }).state[0] === "ERROR")).toBe(true);
  });

  it("opens a listing: desired vs on Amazon, overrides, the ASIN of a multiple match", async () => {
    const multiple = makeListing({ id: "M1", state: "INCOMPLETE", asin: null, reasonCode: "MULTIPLE_MATCHES", reason: "Several Amazon items match the variant: pick its ASIN.", onAmazon: null });
    let assigned: unknown = null;
    let overridden: unknown = null;
    const { client } = mockClient({
      AmazonListingSync: () => ({ amazonStore: { id: STORE.id, listingSync: makeSync() } }),
      AmazonListings: () => listingsPage([multiple]),
      AmazonMultipleMatchAsins: () => ({ amazonCatalogMatches: { edges: [{ node: { variant: { id: multiple.variantId }, asins: ["B0AAAAAAA1", "B0AAAAAAA2"] } }] } }),
      AmazonListingsAssignAsin: (variables) => {
        assigned = variables.asin;
        return { amazonListingsAssignAsin: { listings: [{ ...multiple, asin: "B0AAAAAAA2", reasonCode: null, state: "READY_TO_LIST" }], errors: [] } };
      },
      AmazonListingsOverrideSet: (variables) => {
        overridden = variables.input;
        return { amazonListingsOverrideSet: { listings: [{ ...multiple, hasOverride: true, overrides: { price: "24.99", quantity: null, handlingTime: null, condition: null } }], errors: [] } };
      },
    });
    renderWithServices(<ListingsSection store={STORE} />, { api: client });
    fireEvent.click(await screen.findByRole("button", { name: "Desk lamp / Small" }));
    const drawer = await screen.findByTestId("listing-drawer");
    expect(within(drawer).getByText("Saleor wants")).toBeTruthy();
    const second = await within(drawer).findByRole("radio", { name: "B0AAAAAAA2" });
    fireEvent.click(second);
    fireEvent.click(within(drawer).getByRole("button", { name: "Sell on this ASIN" }));
    await within(drawer).findByText("The listing now goes on B0AAAAAAA2.");
    expect(assigned).toBe("B0AAAAAAA2");

    fireEvent.change(within(screen.getByTestId("listing-drawer")).getByLabelText("Price"), { target: { value: "24.99" } });
    fireEvent.click(within(screen.getByTestId("listing-drawer")).getByRole("button", { name: "Save overrides" }));
    await waitFor(() => expect(overridden).toEqual({ price: "24.99" }));
  });

  it("says an adopted offer keeps Amazon's handling time instead of showing none", async () => {
    // An offer imported from Amazon keeps its own handling time: the channel sends none for it (null).
    const adopted = makeListing({ desired: { price: "20.00", currency: "USD", quantity: 5, handlingTime: null, condition: "new_new" } });
    const { client } = mockClient({
      AmazonListingSync: () => ({ amazonStore: { id: STORE.id, listingSync: makeSync() } }),
      AmazonListings: () => listingsPage([adopted]),
    });
    renderWithServices(<ListingsSection store={STORE} />, { api: client });
    fireEvent.click(await screen.findByRole("button", { name: "Desk lamp / Small" }));
    const drawer = await screen.findByTestId("listing-drawer");
    expect(within(drawer).getByText("Amazon's own (not sent)")).toBeTruthy();
    expect(within(drawer).getByText("2 days")).toBeTruthy(); // on Amazon
  });

  it("speaks French", async () => {
    const { client } = mockClient({
      AmazonListingSync: () => ({ amazonStore: { id: STORE.id, listingSync: makeSync() } }),
      AmazonListings: () => listingsPage([makeListing({ state: "INCOMPLETE", reasonCode: "NO_CATALOG_MATCH", reason: "Amazon's catalog has no item" })]),
    });
    renderWithServices(<ListingsSection store={STORE} />, { api: client, locale: "fr" });
    await screen.findByRole("tab", { name: "Incomplètes (2)" });
    await screen.findByText(/Le catalogue d’Amazon n’a aucun article/);
  });
});

describe("ListingSettingsPage", () => {
  it("saves the settings from the save bar", async () => {
    let input: unknown = null;
    const { client } = mockClient({
      AmazonStore: () => ({ amazonStore: { ...makeStore({ status: "CONNECTED" }), participations: [], events: [] } }),
      AmazonListingSettings: () => ({ amazonListingSettings: SETTINGS }),
      AmazonListingSettingsUpdate: (variables) => {
        input = variables.input;
        return { amazonListingSettingsUpdate: { listingSettings: { ...SETTINGS, autoList: false, handlingTime: 3 }, errors: [] } };
      },
    });
    const saleor = mockClient({ AmazonChannelWarehouses: () => ({ channel: { id: "Q2hhbm5lbDox", warehouses: [{ id: "W1", name: "Main warehouse" }] } }) });
    renderWithServices(<ListingSettingsPage storeId={STORE.id} />, { api: client, saleor: saleor.client });
    const select = await screen.findByLabelText("When a product can be listed");
    fireEvent.change(select, { target: { value: "hold" } });
    fireEvent.change(screen.getByLabelText("Handling time (days)"), { target: { value: "3" } });
    await screen.findByText("Main warehouse");
    fireEvent.click(screen.getByTestId("savebar-save"));
    await waitFor(() => expect(input).toMatchObject({ autoList: false, handlingTime: 3, warehouses: [] }));
    // The form shows what the save answered (not the settings loaded before it), with nothing to save.
    await waitFor(() => expect((screen.getByTestId("savebar-save") as HTMLButtonElement).disabled).toBe(true));
    expect((screen.getByLabelText("Handling time (days)") as HTMLInputElement).value).toBe("3");
    expect((screen.getByLabelText("When a product can be listed") as HTMLSelectElement).value).toBe("hold");
  });

  // In the real Dashboard the toast of a save ("Listing settings saved…") lay over Discard changes and
  // Save: the Dashboard lifts its toasts above its own save bar only. With a save bar on screen the
  // message is the page's banner, in the flow.
  it("says it saved in the page, not in a Dashboard toast over the save bar", async () => {
    const host = mockHost();
    const { client } = mockClient({
      AmazonStore: () => ({ amazonStore: { ...makeStore({ status: "CONNECTED" }), participations: [], events: [] } }),
      AmazonListingSettings: () => ({ amazonListingSettings: SETTINGS }),
      AmazonListingSettingsUpdate: () => ({ amazonListingSettingsUpdate: { listingSettings: { ...SETTINGS, handlingTime: 3 }, errors: [] } }),
    });
    renderWithServices(<ListingSettingsPage storeId={STORE.id} />, { api: client, host });
    fireEvent.change(await screen.findByLabelText("Handling time (days)"), { target: { value: "3" } });
    fireEvent.click(screen.getByTestId("savebar-save"));
    expect(await screen.findByTestId("flash")).toHaveProperty("textContent", expect.stringContaining("Listing settings saved."));
    expect(host.notify).not.toHaveBeenCalled();
  });
});
