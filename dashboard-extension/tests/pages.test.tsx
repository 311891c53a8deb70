import { act, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { BROADCAST_CHANNEL_NAME } from "../src/consent/connectResult";
import { HomePage } from "../src/stores/HomePage";
import { StoreFormPage } from "../src/stores/StoreFormPage";
import { SetupPage } from "../src/setup/SetupPage";
import { ConnectResultPage } from "../src/consent/ConnectResultPage";
import { Frame } from "../src/App";
import { routeAt } from "../src/lib/router";
import { render } from "@testing-library/react";
import { GB, makeStore, mockClient, mockHost, renderWithServices, storesPage, US } from "./helpers";

/** In-memory BroadcastChannel shared by the "tabs" of a test. */
function installBroadcastChannel() {
  const instances = new Set<{ name: string; onmessage: ((e: MessageEvent) => void) | null }>();
  class FakeChannel {
    onmessage: ((event: MessageEvent) => void) | null = null;
    constructor(readonly name: string) {
      instances.add(this);
    }
    postMessage(data: unknown) {
      for (const other of instances) if (other !== this && other.name === this.name) other.onmessage?.({ data } as MessageEvent);
    }
    close() {
      instances.delete(this);
    }
  }
  const original = globalThis.BroadcastChannel;
  globalThis.BroadcastChannel = FakeChannel as unknown as typeof BroadcastChannel;
  return {
    instances,
    send: (data: unknown) => new FakeChannel(BROADCAST_CHANNEL_NAME).postMessage(data),
    restore: () => (globalThis.BroadcastChannel = original),
  };
}

let restoreChannel: (() => void) | null = null;
afterEach(() => {
  restoreChannel?.();
  restoreChannel = null;
});

describe("Home", () => {
  it("shows one card per store with status, channel, seller and dates", async () => {
    const expired = makeStore({
      id: "s2",
      name: "Amazon Store UK",
      marketplace: GB,
      status: "AUTHORIZATION_EXPIRED",
      sellingPartnerId: "A3SELLER",
      authorizationExpiresAt: "2026-01-01T00:00:00Z",
      isActive: false,
    });
    const { client } = mockClient({ AmazonStores: () => storesPage([makeStore(), expired]) });
    renderWithServices(<HomePage />, { api: client });

    const cards = await screen.findAllByTestId("store-card");
    expect(cards).toHaveLength(2);
    const [usa, uk] = cards;
    expect(within(usa).getByRole("heading", { name: "Amazon Store USA" })).toBeTruthy();
    expect(within(usa).getByTestId("store-status").textContent).toBe("Not connected");
    expect(within(usa).getByText("Default channel")).toBeTruthy();
    expect(within(usa).getByRole("button", { name: "Connect store" })).toBeTruthy();
    expect(within(usa).getByRole("button", { name: "Deactivate" })).toBeTruthy();

    expect(within(uk).getByTestId("store-status").textContent).toBe("Authorization expired");
    expect(within(uk).getByTestId("store-status").getAttribute("data-tone")).toBe("critical");
    expect(within(uk).getByText("A3SELLER")).toBeTruthy();
    expect(within(uk).getByText("Jan 1, 2026")).toBeTruthy();
    expect(within(uk).getByRole("button", { name: "Reconnect" })).toBeTruthy();
    expect(within(uk).getByRole("button", { name: "Activate" })).toBeTruthy();
    expect(within(uk).getByText("Inactive")).toBeTruthy();
    expect(screen.getByTestId("attention-banner").textContent).toContain("1 store needs attention: reconnect it");
  });

  it("has an empty state leading to the pre-configuration tasks, then the form", async () => {
    const { client } = mockClient({ AmazonStores: () => storesPage([]) });
    renderWithServices(<HomePage />, { api: client });
    const empty = await screen.findByTestId("empty-state");
    expect(within(empty).getByText("No Amazon store yet")).toBeTruthy();
    fireEvent.click(within(empty).getByRole("button", { name: "Add Amazon Store" }));
    expect(routeAt(window.location)).toEqual({ name: "setup", next: "new" });
  });

  it("is in French when the Dashboard is", async () => {
    const { client } = mockClient({ AmazonStores: () => storesPage([makeStore({ status: "CONNECTED" })]) });
    renderWithServices(<HomePage />, { api: client, locale: "fr" });
    const card = await screen.findByTestId("store-card");
    expect(within(card).getByTestId("store-status").textContent).toBe("Connectée");
    expect(within(card).getByRole("button", { name: "Voir la boutique" })).toBeTruthy();
    expect(screen.getByRole("button", { name: "Ajouter une boutique Amazon" })).toBeTruthy();
  });

  it("asks before deleting, says what is lost, then deletes", async () => {
    let stores = [makeStore()];
    const { client, calls } = mockClient({
      AmazonStores: () => storesPage(stores),
      AmazonStoreDelete: () => {
        stores = [];
        return { amazonStoreDelete: { amazonStore: { id: "x", name: "Amazon Store USA" }, errors: [] } };
      },
    });
    const host = mockHost();
    renderWithServices(<HomePage />, { api: client, host });
    const card = await screen.findByTestId("store-card");
    const opener = within(card).getByRole("button", { name: "Delete" });
    opener.focus();
    fireEvent.click(opener);

    const dialog = await screen.findByRole("alertdialog");
    expect(within(dialog).getByText("Delete “Amazon Store USA”?")).toBeTruthy();
    expect(dialog.textContent).toContain("audit trail");
    expect(dialog.textContent).toContain("settings");
    expect(dialog.textContent).toContain("Seller Central");
    fireEvent.click(within(dialog).getByRole("button", { name: "Delete store" }));

    await screen.findByTestId("empty-state");
    expect(calls.filter((c) => c.operation === "AmazonStoreDelete")).toEqual([
      { operation: "AmazonStoreDelete", variables: { id: "QW1hem9uU3RvcmU6MQ==" } },
    ]);
    // A success goes to the Dashboard's notifications; no banner stays on the page.
    expect(host.notify).toHaveBeenCalledWith("success", "The store “Amazon Store USA” was deleted.", undefined);
    expect(screen.queryByTestId("flash")).toBeNull();
  });

  it("deactivates a store", async () => {
    const { client, calls } = mockClient({
      AmazonStores: () => storesPage([makeStore()]),
      AmazonStoreUpdate: () => ({ amazonStoreUpdate: { amazonStore: makeStore({ isActive: false }), errors: [] } }),
    });
    const host = mockHost();
    renderWithServices(<HomePage />, { api: client, host });
    fireEvent.click(await screen.findByRole("button", { name: "Deactivate" }));
    await waitFor(() => expect(host.notify).toHaveBeenCalledWith("success", "The store “Amazon Store USA” is now inactive.", undefined));
    expect(calls.find((c) => c.operation === "AmazonStoreUpdate")?.variables).toEqual({
      id: "QW1hem9uU3RvcmU6MQ==",
      input: { isActive: false },
    });
  });

  it("connects: opens the consent URL through the host, then shows the result broadcast by the consent tab", async () => {
    const channel = installBroadcastChannel();
    restoreChannel = channel.restore;
    let status = "NOT_CONNECTED";
    const { client } = mockClient({
      AmazonStores: () => storesPage([makeStore({ status: status as never })]),
      AmazonStoreConnect: () => ({
        amazonStoreConnect: { consentUrl: "https://sellercentral.amazon.com/apps/authorize/consent?state=abc", amazonStore: makeStore(), errors: [] },
      }),
    });
    const host = mockHost();
    renderWithServices(<HomePage />, { api: client, host });
    fireEvent.click(await screen.findByRole("button", { name: "Connect store" }));

    await waitFor(() =>
      expect(host.openInNewTab).toHaveBeenCalledWith("https://sellercentral.amazon.com/apps/authorize/consent?state=abc"),
    );
    expect(screen.getByTestId("flash").textContent).toContain("Amazon Seller Central opened in a new tab");
    const fallback = screen.getByRole("link", { name: "Open Amazon Seller Central" });
    expect(fallback.getAttribute("href")).toBe("https://sellercentral.amazon.com/apps/authorize/consent?state=abc");
    // The fallback link also goes through the host (no sandboxed tab from the iframe).
    fireEvent.click(fallback);
    expect(host.openInNewTab).toHaveBeenCalledTimes(2);

    status = "CONNECTED";
    act(() =>
      channel.send({ type: "amazon-connect-result", outcome: "connected", reason: null, knownReason: false, storeId: "QW1hem9uU3RvcmU6MQ==" }),
    );
    await waitFor(() =>
      expect(host.notify).toHaveBeenCalledWith("success", "The store “Amazon Store USA” is connected to Amazon Seller Central.", undefined),
    );
    // The banner of the started connection is gone with it.
    expect(screen.queryByTestId("flash")).toBeNull();
    await waitFor(() => expect(screen.getByTestId("store-status").textContent).toBe("Connected"));
  });

  it("shows why a connection failed", async () => {
    const channel = installBroadcastChannel();
    restoreChannel = channel.restore;
    const { client } = mockClient({ AmazonStores: () => storesPage([makeStore()]) });
    renderWithServices(<HomePage />, { api: client });
    await screen.findByTestId("store-card");
    act(() => channel.send({ type: "amazon-connect-result", outcome: "error", reason: "SELLER_MISMATCH", knownReason: true, storeId: null }));
    const flash = await screen.findByTestId("flash");
    expect(flash.getAttribute("data-tone")).toBe("critical");
    expect(flash.textContent).toContain("different seller account");
  });

  it("reports a connect mutation error", async () => {
    const { client } = mockClient({
      AmazonStores: () => storesPage([makeStore()]),
      AmazonStoreConnect: () => ({ amazonStoreConnect: { consentUrl: null, amazonStore: null, errors: [{ field: null, code: "PLUGIN_NOT_CONFIGURED", message: null }] } }),
    });
    const host = mockHost();
    renderWithServices(<HomePage />, { api: client, host });
    fireEvent.click(await screen.findByRole("button", { name: "Connect store" }));
    const flash = await screen.findByTestId("flash");
    expect(flash.textContent).toContain("plugin is not configured");
    expect(host.openInNewTab).not.toHaveBeenCalled();
  });
});

describe("Add Amazon Store form", () => {
  const saleor = () =>
    mockClient({
      AmazonChannelPickerChannels: () => ({ channels: [{ id: "Q2hhbm5lbDox", name: "Default channel", slug: "default-channel", currencyCode: "USD" }] }),
      AmazonChannelPickerAttributes: () => ({ attributes: { edges: [{ node: { id: "A1", name: "EAN", slug: "ean" } }] } }),
    });

  async function fill() {
    const channel = (await screen.findByLabelText("Saleor channel")) as HTMLSelectElement;
    await waitFor(() => expect(channel.options.length).toBeGreaterThan(1));
    fireEvent.change(channel, { target: { value: "Q2hhbm5lbDox" } });
    fireEvent.change(screen.getByLabelText("Contact email"), { target: { value: "ops@example.com" } });
    fireEvent.change(screen.getByLabelText("Store name"), { target: { value: "Amazon Store USA" } });
    const marketplace = screen.getByLabelText("Amazon marketplace country") as HTMLSelectElement;
    await waitFor(() => expect(marketplace.querySelectorAll("option").length).toBeGreaterThan(1));
    fireEvent.change(marketplace, { target: { value: "ATVPDKIKX0DER" } });
    fireEvent.change(screen.getByLabelText("Product ID on the Amazon market"), { target: { value: "EAN" } });
    fireEvent.change(screen.getByLabelText("Saleor attribute"), { target: { value: "ean" } });
  }

  it("lists US, CA, MX, GB first", async () => {
    const { client } = mockClient({ AmazonMarketplaces: () => ({ amazonMarketplaces: [GB, US] }) });
    renderWithServices(<StoreFormPage storeId={null} />, { api: client, saleor: saleor().client });
    const marketplace = (await screen.findByLabelText("Amazon marketplace country")) as HTMLSelectElement;
    await waitFor(() => expect(marketplace.querySelectorAll("optgroup").length).toBe(1));
    expect([...marketplace.querySelectorAll("optgroup option")].map((o) => o.getAttribute("value"))).toEqual([US.id, GB.id]);
  });

  it("checks required fields before sending", async () => {
    const { client, calls } = mockClient({ AmazonMarketplaces: () => ({ amazonMarketplaces: [US] }) });
    renderWithServices(<StoreFormPage storeId={null} />, { api: client, saleor: saleor().client });
    fireEvent.click(await screen.findByRole("button", { name: "Add store" }));
    expect(await screen.findAllByText("This field is required.")).toHaveLength(4);
    expect(calls.some((c) => c.operation === "AmazonStoreCreate")).toBe(false);
    expect(screen.getByLabelText("Store name").getAttribute("aria-invalid")).toBe("true");
  });

  it("shows API errors next to their fields, unknown ones on top", async () => {
    const { client, calls } = mockClient({
      AmazonMarketplaces: () => ({ amazonMarketplaces: [US] }),
      AmazonStoreCreate: () => ({
        amazonStoreCreate: {
          amazonStore: null,
          errors: [
            { field: "name", code: "UNIQUE", message: "A store with this name already exists." },
            { field: "attribute", code: "NOT_FOUND", message: null },
            { field: null, code: "PLUGIN_NOT_CONFIGURED", message: null },
          ],
        },
      }),
    });
    renderWithServices(<StoreFormPage storeId={null} />, { api: client, saleor: saleor().client });
    await fill();
    fireEvent.click(screen.getByRole("button", { name: "Add store" }));

    const nameError = await screen.findByText("A store with this name already exists.");
    expect(nameError.id).toBe("field-name-error");
    expect(screen.getByLabelText("Store name").getAttribute("aria-describedby")).toContain("field-name-error");
    expect(document.getElementById("field-attribute-error")?.textContent).toBe("Not found.");
    expect(screen.getByTestId("form-errors").textContent).toContain("plugin is not configured");

    expect(calls.find((c) => c.operation === "AmazonStoreCreate")?.variables).toEqual({
      input: {
        name: "Amazon Store USA",
        contactEmail: "ops@example.com",
        channel: "Q2hhbm5lbDox",
        marketplace: "ATVPDKIKX0DER",
        productIdentifier: { type: "EAN", source: "ATTRIBUTE", attribute: "ean" },
        isActive: true,
      },
    });
  });

  it("goes home with a confirmation on success", async () => {
    const { client } = mockClient({
      AmazonMarketplaces: () => ({ amazonMarketplaces: [US] }),
      AmazonStoreCreate: () => ({ amazonStoreCreate: { amazonStore: makeStore(), errors: [] } }),
    });
    window.location.hash = "#/stores/new";
    renderWithServices(<StoreFormPage storeId={null} />, { api: client, saleor: saleor().client });
    await fill();
    fireEvent.click(screen.getByRole("button", { name: "Add store" }));
    await waitFor(() => expect(routeAt(window.location)).toEqual({ name: "home" }));
  });

  it("edits with the marketplace read-only", async () => {
    const store = makeStore({ productIdentifier: { type: "SKU", source: "VARIANT_SKU", attribute: null } });
    const { client, calls } = mockClient({
      AmazonStore: () => ({ amazonStore: store }),
      AmazonMarketplaces: () => ({ amazonMarketplaces: [US] }),
      AmazonStoreUpdate: () => ({ amazonStoreUpdate: { amazonStore: store, errors: [] } }),
    });
    renderWithServices(<StoreFormPage storeId={store.id} />, { api: client, saleor: saleor().client });
    const marketplace = (await screen.findByLabelText("Amazon marketplace country")) as HTMLSelectElement;
    expect(marketplace.disabled).toBe(true);
    await waitFor(() => expect((screen.getByLabelText("Store name") as HTMLInputElement).value).toBe("Amazon Store USA"));
    expect(screen.getByText("The marketplace cannot be changed once the store is created.")).toBeTruthy();
    // Saleor's save bar: Save waits for a change.
    const save = screen.getByRole("button", { name: "Save" }) as HTMLButtonElement;
    expect(save.disabled).toBe(true);
    fireEvent.change(screen.getByLabelText("Contact email"), { target: { value: "new@example.com" } });
    expect(save.disabled).toBe(false);
    fireEvent.click(save);
    await waitFor(() => expect(calls.some((c) => c.operation === "AmazonStoreUpdate")).toBe(true));
    const input = calls.find((c) => c.operation === "AmazonStoreUpdate")!.variables.input as Record<string, unknown>;
    expect(input.marketplace).toBeUndefined();
    expect(input.productIdentifier).toEqual({ type: "SKU", source: "VARIANT_SKU", attribute: null });
  });
});

describe("Connect result page", () => {
  it("explains the reason in French and broadcasts the result", () => {
    const channel = installBroadcastChannel();
    restoreChannel = channel.restore;
    const received = vi.fn();
    const listener = new BroadcastChannel(BROADCAST_CHANNEL_NAME);
    listener.onmessage = (event) => received(event.data);

    render(
      <Frame theme="light" locale="fr">
        <ConnectResultPage result={{ outcome: "error", reason: "STATE_EXPIRED", knownReason: true, storeId: "s1" }} />
      </Frame>,
    );
    expect(screen.getByRole("heading", { name: "La boutique n’a pas pu être connectée" })).toBeTruthy();
    expect(screen.getByRole("alert").textContent).toContain("La demande de connexion a expiré");
    expect(screen.getByTestId("reason-code").textContent).toBe("Code : STATE_EXPIRED");
    expect(screen.getByRole("button", { name: "Fermer cet onglet" })).toBeTruthy();
    expect(received).toHaveBeenCalledWith(expect.objectContaining({ type: "amazon-connect-result", outcome: "error", reason: "STATE_EXPIRED", storeId: "s1" }));
    listener.close();
  });

  it("confirms a connection", () => {
    render(
      <Frame theme="light" locale="en">
        <ConnectResultPage result={{ outcome: "connected", reason: null, knownReason: false, storeId: "s1" }} />
      </Frame>,
    );
    expect(screen.getByRole("heading", { name: "Your store is connected to Amazon" })).toBeTruthy();
    expect(screen.queryByTestId("reason-code")).toBeNull();
  });

  it("offers to close the tab and says so when the browser refuses", async () => {
    const close = vi.spyOn(window, "close").mockImplementation(() => undefined);
    render(
      <Frame theme="light" locale="en">
        <ConnectResultPage result={{ outcome: "cancelled", reason: "CANCELLED", knownReason: true, storeId: null }} />
      </Frame>,
    );
    fireEvent.click(screen.getByRole("button", { name: "Close this tab" }));
    expect(close).toHaveBeenCalled();
    await screen.findByText(/close it yourself/);
  });
});

describe("Home-page widget", () => {
  it("summarizes the stores and lists those that need attention", async () => {
    const { WidgetPage } = await import("../src/stores/WidgetPage");
    const { client } = mockClient({
      AmazonStores: () =>
        storesPage([
          makeStore({ status: "CONNECTED" }),
          makeStore({ id: "s2", name: "Amazon Store UK", marketplace: GB, status: "AUTHORIZATION_REVOKED" }),
        ]),
    });
    renderWithServices(<WidgetPage />, { api: client });
    const summary = await screen.findByTestId("widget-summary");
    expect(summary.textContent).toBe("1 store needs attention: reconnect it to keep selling on Amazon.");
    expect(screen.getByText(/Amazon Store UK/)).toBeTruthy();
    expect(screen.queryByText(/Amazon Store USA/)).toBeNull();
    expect(screen.getByTestId("store-status").textContent).toBe("Authorization revoked");
    expect(screen.getByRole("button", { name: "Open Amazon Sales Channel" })).toBeTruthy();
  });
});

describe("Pre-configuration tasks", () => {
  const setup = {
    amazonChannelSetup: { isConfigured: false, missingConfiguration: ["lwa_client_id"], redirectUri: "https://x/cb", loginUri: "https://x/login", draftApp: false },
  };

  it("links to the plugin's page in the Dashboard (Extensions › Installed), where the settings are", async () => {
    const { client } = mockClient({ AmazonChannelSetup: () => setup });
    const host = mockHost();
    renderWithServices(<SetupPage next={null} />, { api: client, host });
    const link = await screen.findByRole("button", { name: "Open the plugin “Amazon Sales Channel – settings”" });
    fireEvent.click(link);
    expect(host.openDashboardPage).toHaveBeenCalledWith("/extensions/plugin/saleor_amazon_channel");
  });

  it("offers no such link outside the Dashboard", async () => {
    const { client } = mockClient({ AmazonChannelSetup: () => setup });
    renderWithServices(<SetupPage next={null} />, { api: client, host: mockHost({ mode: "standalone" }) });
    await screen.findByTestId("missing-configuration");
    expect(screen.queryByTestId("plugin-page-link")).toBeNull();
  });
});

describe("attribute picker", () => {
  const attribute = (n: number) => ({ id: `A${n}`, name: `Size ${n}`, slug: `size-${n}` });
  const page = (from: number, to: number, hasNextPage: boolean) => ({
    attributes: {
      edges: Array.from({ length: to - from }, (_, i) => ({ node: attribute(from + i) })),
      pageInfo: { hasNextPage, endCursor: hasNextPage ? `c${to}` : null },
    },
  });

  it("searches Saleor as the merchant types, pages on demand, and keeps the choice", async () => {
    const { client: saleor, calls } = mockClient({
      AmazonChannelPickerChannels: () => ({ channels: [] }),
      AmazonChannelPickerAttributes: (variables) =>
        variables.search === "ean"
          ? { attributes: { edges: [{ node: { id: "E", name: "EAN", slug: "ean" } }], pageInfo: { hasNextPage: false, endCursor: null } } }
          : variables.after === "c25"
            ? page(25, 30, false)
            : page(0, 25, true),
    });
    const { client } = mockClient({ AmazonMarketplaces: () => ({ amazonMarketplaces: [US] }) });
    renderWithServices(<StoreFormPage storeId={null} />, { api: client, saleor });
    const select = (await screen.findByLabelText("Saleor attribute")) as HTMLSelectElement;
    await waitFor(() => expect(select.options.length).toBe(1 + 1 + 25)); // placeholder, variant SKU, a page
    expect(calls.find((c) => c.operation === "AmazonChannelPickerAttributes")!.variables).toEqual({ search: null, after: null });

    fireEvent.click(screen.getByTestId("attribute-more"));
    await waitFor(() => expect(select.options.length).toBe(1 + 1 + 30));
    expect(screen.queryByTestId("attribute-more")).toBeNull();
    fireEvent.change(select, { target: { value: "size-27" } });

    fireEvent.change(screen.getByLabelText("Search Saleor attributes"), { target: { value: "ean" } });
    await waitFor(() => expect([...select.options].map((o) => o.value)).toContain("ean"), { timeout: 2000 });
    expect(calls.at(-1)!.variables).toEqual({ search: "ean", after: null });
    // The chosen attribute stays, with its name, though the search no longer lists it.
    expect([...select.options].find((o) => o.value === "size-27")!.textContent).toBe("Size 27 (size-27)");
    expect(select.value).toBe("size-27");
  });
});
