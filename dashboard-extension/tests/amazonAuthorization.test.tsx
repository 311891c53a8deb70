/** The "Authorize from Amazon" screen: nothing is started until the merchant confirms a store. */
import { fireEvent, screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { AmazonAuthorizationPage } from "../src/consent/AmazonAuthorizationPage";
import { parseRoute, routeHash } from "../src/lib/router";
import { makeStore, mockClient, mockHost, renderWithServices, US } from "./helpers";

const TICKET = "signed-ticket";
const STORE = makeStore();

function request(overrides = {}) {
  return {
    amazonAuthorizationRequest: {
      sellingPartnerId: "A2DEMOSELLER01",
      stores: [{ id: STORE.id, name: STORE.name, status: "CONNECTED", marketplace: { countryCode: "US", countryName: "United States" } }],
      marketplace: null,
      errors: [],
      ...overrides,
    },
  };
}

describe("Authorize from Amazon", () => {
  it("shows the seller's stores and starts the consent only when the merchant confirms", async () => {
    const { client, calls } = mockClient({
      AmazonAuthorizationRequest: () => request(),
      AmazonStoreConnect: () => ({ amazonStoreConnect: { consentUrl: "https://saleor.test/plugins/x/oauth/start?ticket=t", amazonStore: null, errors: [] } }),
    });
    const host = mockHost();
    renderWithServices(<AmazonAuthorizationPage authorization={TICKET} onDone={() => undefined} />, { api: client, host });
    await screen.findByText("Amazon seller A2DEMOSELLER01");
    expect(calls.map((call) => call.operation)).toEqual(["AmazonAuthorizationRequest"]);
    expect(host.openInNewTab).not.toHaveBeenCalled();

    fireEvent.click(screen.getByRole("button", { name: "Confirm and continue on Amazon" }));

    await waitFor(() => expect(host.openInNewTab).toHaveBeenCalledWith("https://saleor.test/plugins/x/oauth/start?ticket=t"));
    expect(calls[1]).toEqual({ operation: "AmazonStoreConnect", variables: { id: STORE.id, amazonAuthorization: TICKET } });
    await screen.findByTestId("authorize-opened");
    // In the real Dashboard the screen then still offered only "Not now": the way back is named as such.
    expect(screen.queryByRole("button", { name: "Not now" })).toBeNull();
    expect(screen.getByRole("button", { name: "Go to Amazon stores" })).toBeTruthy();
  });

  it("explains a refusal (another seller's store) and opens nothing", async () => {
    const { client } = mockClient({
      AmazonAuthorizationRequest: () => request(),
      AmazonStoreConnect: () => ({
        amazonStoreConnect: {
          consentUrl: null,
          amazonStore: null,
          errors: [{ field: "amazonAuthorization", code: "SELLER_MISMATCH", message: "This store is connected to another Amazon seller." }],
        },
      }),
    });
    const host = mockHost();
    renderWithServices(<AmazonAuthorizationPage authorization={TICKET} onDone={() => undefined} />, { api: client, host });
    fireEvent.click(await screen.findByRole("button", { name: "Confirm and continue on Amazon" }));
    expect((await screen.findByTestId("authorize-problem")).textContent).toContain("connected to another Amazon seller");
    expect(host.openInNewTab).not.toHaveBeenCalled();
  });

  it("offers Add Amazon Store with the marketplace preselected when no store matches", async () => {
    const { client } = mockClient({ AmazonAuthorizationRequest: () => request({ stores: [], marketplace: { id: US.id, countryCode: "US", countryName: "United States" } }) });
    renderWithServices(<AmazonAuthorizationPage authorization={TICKET} onDone={() => undefined} />, { api: client });
    const add = await screen.findByRole("link", { name: "Add Amazon Store" });
    expect(add.getAttribute("href")).toBe(`#/stores/new?marketplace=${US.id}`);
    expect(parseRoute(add.getAttribute("href")!)).toEqual({ name: "create", marketplace: US.id });
    expect(routeHash({ name: "create" })).toBe("#/stores/new");
  });

  it("says so when the request is not Amazon's (or expired)", async () => {
    const { client } = mockClient({
      AmazonAuthorizationRequest: () =>
        request({ sellingPartnerId: null, stores: [], errors: [{ field: "amazonAuthorization", code: "STATE_EXPIRED", message: "Amazon's authorization request expired. Start it again from Seller Central." }] }),
    });
    renderWithServices(<AmazonAuthorizationPage authorization={TICKET} onDone={() => undefined} />, { api: client });
    expect((await screen.findByTestId("authorize-invalid")).textContent).toContain("expired");
    expect(screen.queryByRole("button", { name: "Confirm and continue on Amazon" })).toBeNull();
  });
});
