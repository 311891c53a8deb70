/**
 * Issue 12 part B: the card and the store page show the real state (waiting for Amazon, the last
 * failure and when, no expiry once revoked, only the actions that can work), results go to the
 * Dashboard's notifications, the store page edits in place behind an unsaved-changes guard, and
 * the words come from codes and facts in the merchant's language.
 */
import { act, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { StoreCard } from "../src/stores/StoreCard";
import { FlashBanner } from "../src/ui";
import { needsBanner, needsToast, useFlash } from "../src/context";
import { createI18n, interpolate } from "../src/i18n";
import { useRoute } from "../src/lib/router";
import { storeState } from "../src/stores/status";
import type { AmazonStoreEvent } from "../src/lib/types";
import { actorText, eventText, failureReasonText, lastErrorText } from "../src/stores/wording";
import { SetupPage } from "../src/setup/SetupPage";
import { StoreDetailPage } from "../src/stores/StoreDetailPage";
import { makeStore, mockClient, mockHost, renderWithServices, US } from "./helpers";

const fr = createI18n("fr");
const en = createI18n("en");
const FAILED = { type: "CONNECT_FAILED", date: "2026-03-04T09:30:00Z", reason: "MARKETPLACE_NOT_PARTICIPATING", message: "English text" };
const CONNECTED = {
  status: "CONNECTED" as const,
  sellingPartnerId: "A2SELLER",
  authorizedAt: "2026-01-10T10:00:00Z",
  authorizationExpiresAt: "2027-01-10T10:00:00Z",
};

describe("ICU plurals (Intl.PluralRules)", () => {
  const message = "{count, plural, =0 {no store} one {# store} other {# stores}} in {place}";
  it("picks the form by count and locale, and fills the other placeholders", () => {
    expect(interpolate(message, { count: 0, place: "US" })).toBe("no store in US");
    expect(interpolate(message, { count: 1, place: "US" })).toBe("1 store in US");
    expect(interpolate(message, { count: 1200, place: "US" }, "en")).toBe("1,200 stores in US");
    // French: 0 and 1 are "one", unlike English.
    expect(interpolate("{n, plural, one {# boutique} other {# boutiques}}", { n: 0 }, "fr")).toBe("0 boutique");
    expect(interpolate("{n, plural, one {# boutique} other {# boutiques}}", { n: 2 }, "fr")).toBe("2 boutiques");
  });

  it("the catalogs' plurals read right in both languages", () => {
    expect(en.t("home.attention", { count: 1 })).toBe("1 store needs attention: reconnect it to keep selling on Amazon.");
    expect(en.t("home.attention", { count: 3 })).toMatch(/^3 stores need attention: reconnect them/);
    expect(fr.t("home.attention", { count: 1 })).toMatch(/^1 boutique demande votre attention : reconnectez-la/);
    expect(fr.t("home.attention", { count: 2 })).toMatch(/^2 boutiques demandent votre attention/);
    expect(fr.t("setup.progress", { done: 2, total: 6 })).toBe("2 tâches faites sur 6");
  });
});

describe("wording from codes and facts", () => {
  const store = { marketplace: US };
  const event = (type: string, data: Record<string, unknown>, message = "English message"): AmazonStoreEvent =>
    ({ id: "e", type, date: "2026-03-04T09:30:00Z", actor: null, message, data }) as AmazonStoreEvent;

  it("words each event in French from its type and data, never the stored English", () => {
    expect(eventText(fr, event("CREATED", {}), store)).toBe("Boutique créée pour Amazon États-Unis.");
    expect(eventText(fr, event("CONNECTED", { sellerId: "A2SELLER", region: "NA" }), store)).toBe("Connectée au vendeur Amazon A2SELLER (NA).");
    expect(eventText(fr, event("UPDATED", { fields: ["contactEmail", "name"] }), store)).toBe("Modifié : e-mail de contact, nom.");
    expect(eventText(fr, event("CONNECT_FAILED", { reason: "CANCELLED" }), store)).toBe(
      "La boutique n’a pas été connectée : L’autorisation a été annulée sur Amazon.",
    );
    expect(eventText(fr, event("CHECK_FAILED", { errorCode: "invalid_client" }), store)).toMatch(/^Échec de la vérification de la connexion : Amazon n’a pas accepté/);
    expect(eventText(fr, event("RENEWED", { viaStore: "Amazon CA" }), store)).toBe("Autorisation renouvelée par la boutique « Amazon CA ».");
    expect(eventText(fr, event("REMINDER_SENT", { recipients: 2 }), store)).toBe("Rappel de renouvellement envoyé par e-mail à 2 destinataires.");
    expect(eventText(fr, event("CHANNEL_DELETED", { channelSlug: "usd" }), store)).toMatch(/^Le canal Saleor « usd » a été supprimé/);
    // A type this release does not know: the server's sentence is all there is.
    expect(eventText(fr, event("SOMETHING_NEW", {}, "Something new happened."), store)).toBe("Something new happened.");
  });

  it("names the plugin and Amazon in the merchant's language, people and apps as they are", () => {
    expect(actorText(fr, { actor: "system", actorKind: "SYSTEM" })).toBe("Système");
    expect(actorText(fr, { actor: "Amazon", actorKind: "AMAZON" })).toBe("Amazon");
    expect(actorText(fr, { actor: "admin@example.com", actorKind: "STAFF" })).toBe("admin@example.com");
  });

  it("translates the last error by its code; an unknown code keeps the server's text", () => {
    expect(lastErrorText(fr, { lastError: "Amazon no longer accepts…", lastErrorCode: "authorization_revoked" })).toMatch(/^Amazon n’accepte plus/);
    expect(lastErrorText(fr, { lastError: "A brand new problem.", lastErrorCode: "brand_new" })).toBe("A brand new problem.");
    expect(lastErrorText(fr, { lastError: null, lastErrorCode: null })).toBeNull();
    expect(failureReasonText(fr, FAILED)).toMatch(/^Le compte vendeur ne vend pas/);
    expect(failureReasonText(fr, { reason: "??", message: "English" })).toBe(fr.t("reason.UNKNOWN"));
    expect(failureReasonText(en, { reason: "??", message: "English" })).toBe("English");
  });
});

describe("store state", () => {
  it("offers only what can work and shows no expiry once revoked", () => {
    const never = storeState(makeStore());
    expect(never).toMatchObject({ canCheck: false, canDisconnect: false, showsExpiry: false, activeTone: "neutral", pending: false });
    expect(storeState(makeStore({ ...CONNECTED }))).toMatchObject({ canCheck: true, showsExpiry: true, activeTone: "success" });
    const revoked = storeState(makeStore({ ...CONNECTED, status: "AUTHORIZATION_REVOKED" }));
    expect(revoked).toMatchObject({ canCheck: true, showsExpiry: false, activeTone: "neutral" });
    expect(storeState(makeStore({ connectionPendingSince: "2026-03-04T09:30:00Z" })).pending).toBe(true);
    expect(storeState(makeStore(), true).pending).toBe(true);
  });

  it("keeps success out of the page inside the Dashboard, keeps what needs acting on", () => {
    expect(needsBanner({ tone: "success" }, "dashboard")).toBe(false);
    // With a save bar on screen nothing goes to the Dashboard's toasts (they would cover it).
    expect(needsBanner({ tone: "success" }, "dashboard", true)).toBe(true);
    expect(needsToast({ tone: "success" }, true)).toBe(false);
    expect(needsToast({ tone: "critical" }, false)).toBe(true);
    expect(needsToast({ tone: "info", link: { href: "https://x", label: "x" } }, false)).toBe(false);
    expect(needsBanner({ tone: "critical" }, "dashboard")).toBe(true);
    expect(needsBanner({ tone: "info", link: { href: "https://x", label: "x" } }, "dashboard")).toBe(true);
    expect(needsBanner({ tone: "success" }, "standalone")).toBe(true);
  });
});

describe("the store card", () => {
  const render = (store = makeStore(), pending = false) =>
    renderWithServices(<StoreCard store={store} busy={null} pending={pending} onAction={() => undefined} />, {
      api: mockClient({}).client,
      locale: "fr",
    });

  it("says it waits for Amazon while the consent is open, and marks Connect", () => {
    render(makeStore({ connectionPendingSince: "2026-03-04T09:30:00Z" }));
    expect(screen.getByTestId("store-pending").textContent).toBe("En attente d’Amazon");
    expect(screen.getByTestId("store-pending-note").textContent).toMatch(/^Autorisation lancée à .+ : terminez-la dans l’onglet Amazon/);
    const connect = screen.getByRole("button", { name: "Rouvrir Amazon" });
    expect(connect.getAttribute("data-action")).toBe("connect");
  });

  it("keeps the last failure and its date on a store left Not connected", () => {
    render(makeStore({ lastFailure: FAILED }));
    const failure = screen.getByTestId("store-last-failure");
    expect(failure.textContent).toMatch(/^Échec de la dernière tentative le 4 mars 2026.* : Le compte vendeur ne vend pas sur la place de marché/);
    expect(screen.getByTestId("store-card").getAttribute("data-status")).toBe("NOT_CONNECTED");
    expect(screen.getByTestId("store-card").style.borderLeftWidth).toBe("6px"); // marked for attention
  });

  it("says a cancellation on Amazon plainly, without marking the card", () => {
    render(makeStore({ lastFailure: { ...FAILED, reason: "CANCELLED" } }));
    expect(screen.getByTestId("store-last-failure").textContent).toMatch(/^Dernière tentative annulée sur Amazon le 4 mars 2026/);
    expect(screen.getByTestId("store-card").style.borderLeftWidth).toBe("");
  });

  it("shows no expiry once revoked, and Active is not green beside a broken connection", () => {
    render(makeStore({ ...CONNECTED, status: "AUTHORIZATION_REVOKED", lastError: "x", lastErrorCode: "authorization_revoked" }));
    const card = screen.getByTestId("store-card");
    expect(card.textContent).not.toMatch(/2027/);
    expect(card.textContent).toMatch(/L’autorisation expire.*Révoquée/);
    expect(screen.getByTestId("store-active").getAttribute("data-tone")).toBe("neutral");
    expect(card.textContent).toMatch(/Amazon n’accepte plus l’autorisation/);
  });

  it("Active is green only beside a working connection", () => {
    render(makeStore({ ...CONNECTED }));
    expect(screen.getByTestId("store-active").getAttribute("data-tone")).toBe("success");
  });
});

/** The store page under the app's router, as App renders it. */
function Routed() {
  const route = useRoute();
  return (
    <>
      <span data-testid="route">{route.name}</span>
      {route.name === "detail" ? <StoreDetailPage storeId="s1" /> : null}
    </>
  );
}

describe("the store page", () => {
  const detailClient = (store = makeStore(), extra = {}) =>
    mockClient({
      AmazonStore: () => ({ amazonStore: store }),
      AmazonMarketplaces: () => ({ amazonMarketplaces: [US] }),
      ...extra,
    });
  const saleor = () =>
    mockClient({
      AmazonChannelPickerChannels: () => ({ channels: [{ id: "Q2hhbm5lbDox", name: "Default channel", slug: "default-channel", currencyCode: "USD" }] }),
      AmazonChannelPickerAttributes: () => ({ attributes: { edges: [{ node: { id: "a", name: "UPC", slug: "upc" } }] } }),
    }).client;

  it("offers Check connection and Disconnect only on a store that has an authorization", async () => {
    renderWithServices(<StoreDetailPage storeId="s1" />, { api: detailClient().client, saleor: saleor() });
    fireEvent.click(await screen.findByRole("button", { name: "More actions" }));
    expect(document.querySelector('[data-action="check"]')).toBeNull();
    expect(document.querySelector('[data-action="disconnect"]')).toBeNull();
    expect(document.querySelector('[data-action="deactivate"]')).not.toBeNull();
  });

  it("a connected store has them in its More actions menu", async () => {
    renderWithServices(<StoreDetailPage storeId="s1" />, { api: detailClient(makeStore({ ...CONNECTED })).client, saleor: saleor() });
    fireEvent.click(await screen.findByRole("button", { name: "More actions" }));
    expect(document.querySelector('[data-action="check"]')).not.toBeNull();
    expect(document.querySelector('[data-action="disconnect"]')).not.toBeNull();
  });

  // In the real Dashboard the toast read "The store was disconnected. The store was disconnected.":
  // a notification's title and text were the same sentence. The store page has a save bar: the
  // message is the page's banner (a Dashboard toast would cover the bar), saying it once.
  it("disconnects after the dialog, with one message that says it once, in the page", async () => {
    const host = mockHost();
    const { client } = detailClient(makeStore({ ...CONNECTED }), {
      AmazonStoreDisconnect: () => ({ amazonStoreDisconnect: { amazonStore: makeStore(), errors: [] } }),
    });
    renderWithServices(<StoreDetailPage storeId="s1" />, { api: client, saleor: saleor(), host });
    fireEvent.click(await screen.findByRole("button", { name: "More actions" }));
    fireEvent.click(document.querySelector('[data-action="disconnect"]')!);
    fireEvent.click(within(await screen.findByRole("alertdialog")).getByRole("button", { name: "Disconnect" }));
    const flash = await screen.findByTestId("flash");
    expect(flash.textContent?.split("The store was disconnected.").length).toBe(2);
    expect(flash.getAttribute("data-tone")).toBe("success");
    expect(host.notify).not.toHaveBeenCalled();
  });

  it("edits in place: Save in the save bar, a message in the page, and a guard against leaving unsaved", async () => {
    const host = mockHost();
    const { client, calls } = detailClient(makeStore(), {
      AmazonStoreUpdate: () => ({ amazonStoreUpdate: { amazonStore: makeStore({ contactEmail: "new@example.com" }), errors: [] } }),
    });
    window.location.hash = "#/stores/s1";
    renderWithServices(<Routed />, { api: client, saleor: saleor(), host });
    const email = (await screen.findByLabelText("Contact email")) as HTMLInputElement;
    await waitFor(() => expect(email.value).toBe("ops@example.com"));
    const savebar = screen.getByTestId("savebar");
    const save = within(savebar).getByRole("button", { name: "Save" }) as HTMLButtonElement;
    expect(save.disabled).toBe(true);

    fireEvent.change(email, { target: { value: "new@example.com" } });
    expect(save.disabled).toBe(false);
    // Leaving now asks first; "Back" stays, on the same address, with the change.
    act(() => {
      window.location.hash = "#/";
      window.dispatchEvent(new HashChangeEvent("hashchange"));
    });
    const leave = await screen.findByRole("alertdialog", { name: "Leave without saving?" });
    expect(screen.getByTestId("route").textContent).toBe("detail");
    expect(window.location.pathname + window.location.hash).toBe("/stores/s1"); // the router keeps screens in the path
    fireEvent.click(within(leave).getByRole("button", { name: "Back" }));
    await waitFor(() => expect(screen.queryByRole("alertdialog")).toBeNull());
    expect(email.value).toBe("new@example.com");

    fireEvent.click(save);
    expect((await screen.findByTestId("flash")).textContent).toContain("The store “Amazon Store USA” was saved.");
    expect(host.notify).not.toHaveBeenCalled();
    expect(calls.find((c) => c.operation === "AmazonStoreUpdate")?.variables).toMatchObject({ input: { contactEmail: "new@example.com" } });
  });

  it("Delete sits in the save bar; its dialog is Saleor's (Back, close control) and gives the focus back", async () => {
    renderWithServices(<StoreDetailPage storeId="s1" />, { api: detailClient().client, saleor: saleor() });
    const del = await screen.findByTestId("savebar-delete");
    del.focus();
    fireEvent.click(del);
    const dialog = await screen.findByRole("alertdialog");
    expect(within(dialog).getByRole("button", { name: "Back" })).toBeTruthy();
    expect(within(dialog).getByRole("button", { name: "Close" })).toBeTruthy();
    fireEvent.click(within(dialog).getByRole("button", { name: "Close" }));
    await waitFor(() => expect(screen.queryByRole("alertdialog")).toBeNull());
    await waitFor(() => expect(document.activeElement).toBe(del));
  });
});

describe("pre-configuration tasks", () => {
  const setup = (tasks: Array<{ key: string; done: boolean }>, configured = true) => ({
    isConfigured: configured,
    missingConfiguration: configured ? [] : ["lwaClientSecret"],
    redirectUri: "https://shop.test/cb",
    loginUri: "https://shop.test/login",
    draftApp: false,
    tasks: tasks.map((task) => ({ ...task, updatedAt: task.done ? "2026-03-04T09:30:00Z" : null, updatedBy: task.done ? "admin@example.com" : null })),
  });
  const NONE = ["SELLER_ACCOUNT", "PRIMARY_USER", "ATTRIBUTES", "SP_API_APP", "SELLER_SETTINGS"].map((key) => ({ key, done: false }));

  it("the merchant ticks a task; it is saved on the server and shown done, with who ticked it", async () => {
    const { client, calls } = mockClient({
      AmazonChannelSetup: () => ({ amazonChannelSetup: setup(NONE) }),
      AmazonChannelSetupTaskUpdate: ({ key, done }) => ({
        amazonChannelSetupTaskUpdate: { setup: setup(NONE.map((t) => (t.key === key ? { key, done: Boolean(done) } : t))), errors: [] },
      }),
    });
    renderWithServices(<SetupPage next={null} />, { api: client });
    await screen.findByTestId("setup-progress"); // the server's answer is in
    const task = screen.getByTestId("task-seller-account");
    expect(task.getAttribute("data-state")).toBe("todo");
    // The plugin checks what it can: configured, so the SP-API application (its credentials) is done too.
    expect(screen.getByTestId("task-sp-api").getAttribute("data-state")).toBe("done");
    expect(screen.getByTestId("task-plugin").getAttribute("data-state")).toBe("done");
    expect(screen.getByTestId("setup-progress").textContent).toBe("2 of 6 tasks done");
    // Opened by the Dashboard (the mock host's mode): the app is installed.
    expect(screen.getByTestId("app-installed")).toBeTruthy();

    fireEvent.click(within(task).getByRole("checkbox", { name: /Mark as done: A Professional seller account/ }));
    await waitFor(() => expect(task.getAttribute("data-state")).toBe("done"));
    expect(calls.find((c) => c.operation === "AmazonChannelSetupTaskUpdate")?.variables).toEqual({ key: "SELLER_ACCOUNT", done: true });
    await waitFor(() => expect(task.textContent).toMatch(/Ticked by admin@example\.com/));
    expect(screen.getByTestId("setup-progress").textContent).toBe("3 of 6 tasks done");
  });

  it("a tick the server refuses is undone, with the reason", async () => {
    const { client } = mockClient({
      AmazonChannelSetup: () => ({ amazonChannelSetup: setup(NONE, false) }),
      AmazonChannelSetupTaskUpdate: () => {
        throw new Error("To access this path, you need one of the following permissions: MANAGE_CHANNELS");
      },
    });
    renderWithServices(<SetupPage next={null} />, { api: client });
    await screen.findByTestId("setup-progress");
    const task = screen.getByTestId("task-attributes");
    expect(screen.getByTestId("task-sp-api").getAttribute("data-state")).toBe("todo");
    fireEvent.click(within(task).getByRole("checkbox"));
    const flash = await screen.findByTestId("flash");
    expect(flash.textContent).toMatch(/The task could not be saved: .*MANAGE_CHANNELS/);
    expect(task.getAttribute("data-state")).toBe("todo");
  });
});

it("leaving with unsaved changes, once confirmed, goes to the next screen", async () => {
  const { client } = mockClient({
    AmazonStore: () => ({ amazonStore: makeStore() }),
    AmazonMarketplaces: () => ({ amazonMarketplaces: [US] }),
  });
  window.location.hash = "#/stores/s1";
  renderWithServices(<Routed />, { api: client, saleor: mockClient({ AmazonChannelPickerChannels: () => ({ channels: [] }), AmazonChannelPickerAttributes: () => ({ attributes: { edges: [] } }) }).client });
  const name = (await screen.findByLabelText("Store name")) as HTMLInputElement;
  await waitFor(() => expect(name.value).toBe("Amazon Store USA"));
  fireEvent.change(name, { target: { value: "Renamed" } });
  act(() => {
    window.location.hash = "#/";
    window.dispatchEvent(new HashChangeEvent("hashchange"));
  });
  const leave = await screen.findByRole("alertdialog", { name: "Leave without saving?" });
  fireEvent.click(within(leave).getByRole("button", { name: "Leave without saving" }));
  await waitFor(() => expect(screen.getByTestId("route").textContent).toBe("home"));
  expect(window.location.pathname + window.location.hash).toBe("/");
});

describe("banners", () => {
  function Probe() {
    const { showFlash, screenChanged } = useFlash();
    return (
      <>
        <button onClick={() => showFlash({ tone: "critical", text: "It failed." })}>fail</button>
        <button onClick={() => showFlash({ tone: "critical", text: "Carried.", carry: true })}>carry</button>
        <button onClick={() => showFlash({ tone: "success", text: "It worked." })}>succeed</button>
        <button onClick={screenChanged}>move on</button>
        <FlashBanner />
      </>
    );
  }

  it("are cleared when the merchant moves on; one carried to the next screen lives there once", () => {
    const host = mockHost();
    renderWithServices(<Probe />, { api: mockClient({}).client, host });
    fireEvent.click(screen.getByText("fail"));
    expect(screen.getByTestId("flash").textContent).toContain("It failed.");
    expect(host.notify).toHaveBeenCalledWith("error", "It failed.", undefined);
    fireEvent.click(screen.getByText("move on"));
    expect(screen.queryByTestId("flash")).toBeNull();

    fireEvent.click(screen.getByText("carry"));
    fireEvent.click(screen.getByText("move on"));
    expect(screen.getByTestId("flash").textContent).toContain("Carried.");
    fireEvent.click(screen.getByText("move on"));
    expect(screen.queryByTestId("flash")).toBeNull();
  });

  it("a success replaces the red banner (one banner at most) and goes to the Dashboard", () => {
    const host = mockHost();
    renderWithServices(<Probe />, { api: mockClient({}).client, host });
    fireEvent.click(screen.getByText("fail"));
    fireEvent.click(screen.getByText("fail"));
    expect(screen.getAllByTestId("flash")).toHaveLength(1);
    fireEvent.click(screen.getByText("succeed"));
    expect(screen.queryByTestId("flash")).toBeNull();
    expect(host.notify).toHaveBeenLastCalledWith("success", "It worked.", undefined);
  });
});
