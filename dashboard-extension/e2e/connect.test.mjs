// Issue 5, "Connect a store to Amazon Seller Central": Connect store opens Amazon in a new tab
// (the shell's window.open), sign-in, 2FA, "I understand…", Next, "You are almost done", Continue, then the
// plugin's confirmation of the seller ID and the store (issue 16: the one added click);
// the tab lands on the result page and the Dashboard tab shows the outcome. Also Cancel on
// Amazon's consent page, and a seller that does not sell on the store's marketplace.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import {
  consentOnAmazon,
  createStore,
  launchBrowser,
  notification,
  MARKETPLACES,
  NON_PARTICIPANT,
  inShell,
  SELLER,
  shot,
  startDemo,
  storeCard,
} from "./support.mjs";

let demo;
let browser;

before(async () => {
  demo = await startDemo("connect");
  browser = await launchBrowser();
  await createStore(demo, { name: "Amazon Store USA", marketplace: MARKETPLACES.US });
  await createStore(demo, { name: "Amazon Store Canada", channel: "channel-ca", marketplace: MARKETPLACES.CA });
});

after(async () => {
  await browser?.close();
  await demo?.stop();
});

/** Click the card's Connect store (or Reconnect) and return the tab the shell opened for Amazon. */
async function openConsentTab(context, card, button = "Connect store") {
  const [tab] = await Promise.all([context.waitForEvent("page"), card.getByRole("button", { name: button }).click()]);
  return tab;
}

test("connect a store: Amazon's consent in a new tab, then Connected on the card", () =>
  inShell(browser, demo, "connect", async ({ context, page, app }) => {
    const card = storeCard(app, "Amazon Store USA");
    await card.waitFor();
    assert.equal(await card.getAttribute("data-status"), "NOT_CONNECTED");
    await shot(page, "en-connect-01-home-not-connected");

    const tab = await openConsentTab(context, card);
    // The plugin's start route, which sends the tab to Seller Central. The demo's Dashboard and Saleor
    // share a host, so Saleor Dashboard 3.23 refuses the redirect (neither a Dashboard path nor another
    // host: ok false) and the app opens the tab itself; a Dashboard on its own host opens it (the real walk).
    const redirects = await page.evaluate(() => window.__shell.actions.filter((a) => a.type === "redirect").map((a) => a.payload));
    assert.equal(redirects.length, 1);
    assert.match(redirects[0].to, new RegExp(`^${demo.origin}/plugins/global/saleor_amazon_channel/oauth/start\\?ticket=`));
    assert.equal(redirects[0].newContext, true);
    assert.deepEqual(await page.evaluate(() => window.__shell.opened), []);
    await tab.waitForURL((url) => url.origin === demo.emulatorUrl);
    const flash = app.getByTestId("flash");
    assert.match(await flash.textContent(), /Amazon Seller Central opened in a new tab/);
    // While Amazon has not answered, the card says so and Connect is marked as reopening Amazon.
    await card.getByTestId("store-pending").waitFor();
    assert.equal(await card.getAttribute("data-pending"), "true");
    assert.match(await card.getByTestId("store-pending-note").textContent(), /Consent started at .+: finish it in the Amazon tab/);
    await card.getByRole("button", { name: "Open Amazon again" }).waitFor();
    await shot(page, "en-connect-02-home-waiting");

    await consentOnAmazon(tab, { prefix: "en-connect-03-amazon" });
    const result = tab.getByTestId("connect-result");
    assert.equal(await result.getAttribute("data-outcome"), "connected");
    await tab.getByRole("heading", { name: "Your store is connected to Amazon" }).waitFor();
    await shot(tab, "en-connect-04-result-connected");

    // The Dashboard tab heard it: a confirmation, and the card says Connected, with the seller and expiry.
    await card.and(app.locator('[data-status="CONNECTED"]')).waitFor();
    // The outcome is a Dashboard notification; the "opened in a new tab" banner is gone with it.
    assert.equal((await notification(page, "is connected to Amazon Seller Central")).status, "success");
    await app.getByTestId("flash").waitFor({ state: "detached" });
    assert.equal((await card.getByTestId("store-status").textContent()).trim(), "Connected");
    const facts = await card.textContent();
    assert.match(facts, new RegExp(`Seller ID${SELLER.id}`));
    const expiry = new Date(Date.now() + 365 * 86_400_000).toLocaleDateString("en-US", { month: "short", day: "numeric", year: "numeric" });
    const dayBefore = new Date(Date.now() + 364 * 86_400_000).toLocaleDateString("en-US", { month: "short", day: "numeric", year: "numeric" });
    assert.ok(facts.includes(`Authorization expires${expiry}`) || facts.includes(`Authorization expires${dayBefore}`), facts);
    assert.equal(await card.getByRole("button", { name: "Connect store" }).count(), 0);
    await shot(page, "en-connect-05-home-connected");

    // "Close this tab" works for a tab a script opened.
    // The click's own wait-after can lose the race with the closing page: the close event is what counts.
    const closed = tab.waitForEvent("close");
    await tab.getByRole("button", { name: "Close this tab" }).click().catch((error) => {
      if (!tab.isClosed() && !/has been closed/.test(String(error))) throw error;
    });
    await closed;
  }));

test("cancel on Amazon's consent page: a 'cancelled' message, the store stays not connected", () =>
  inShell(browser, demo, "cancel", async ({ context, page, app }) => {
    const card = storeCard(app, "Amazon Store Canada");
    await card.waitFor();

    const tab = await openConsentTab(context, card);
    await consentOnAmazon(tab, { action: "cancel", prefix: "en-cancel-01-amazon" });
    assert.equal(await tab.getByTestId("connect-result").getAttribute("data-outcome"), "cancelled");
    await tab.getByRole("heading", { name: "Authorization cancelled" }).waitFor();
    await shot(tab, "en-cancel-02-result-cancelled");

    const flash = app.getByTestId("flash").filter({ hasText: "was cancelled on Amazon" });
    await flash.waitFor();
    assert.equal(await flash.getAttribute("data-tone"), "warning");
    assert.match(await flash.textContent(), /The authorization of “Amazon Store Canada” was cancelled on Amazon; nothing was changed\./);
    assert.equal(await card.getAttribute("data-status"), "NOT_CONNECTED");
    await card.getByRole("button", { name: "Connect store" }).waitFor();
    await shot(page, "en-cancel-03-home-still-not-connected");
  }));

test("a seller that does not sell on the store's marketplace: the reason is shown, nothing connected", () =>
  inShell(browser, demo, "nonparticipant", async ({ context, page, app }) => {
    const card = storeCard(app, "Amazon Store Canada");
    await card.waitFor();

    const tab = await openConsentTab(context, card);
    await consentOnAmazon(tab, { seller: NON_PARTICIPANT, prefix: "en-nonparticipant-01-amazon" });
    const result = tab.getByTestId("connect-result");
    assert.equal(await result.getAttribute("data-outcome"), "error");
    assert.equal(await result.getAttribute("data-reason"), "MARKETPLACE_NOT_PARTICIPATING");
    await tab.getByRole("heading", { name: "The store could not be connected" }).waitFor();
    assert.match(await result.textContent(), /The seller account does not sell on this store's marketplace/);
    await shot(tab, "en-nonparticipant-02-result-error");

    const flash = app.getByTestId("flash").filter({ hasText: "could not be connected" });
    await flash.waitFor();
    assert.equal(await flash.getAttribute("data-tone"), "critical");
    assert.match(
      await flash.textContent(),
      /The store “Amazon Store Canada” could not be connected: The seller account does not sell on this store's marketplace/,
    );
    await app.locator('[data-testid="store-card"][data-status]').first().waitFor();
    assert.notEqual(await card.getAttribute("data-status"), "CONNECTED");
    // The card keeps what happened, with its date, after the banner is gone.
    const failure = card.getByTestId("store-last-failure");
    await failure.waitFor();
    assert.equal(await failure.getAttribute("data-reason"), "MARKETPLACE_NOT_PARTICIPATING");
    assert.match(await failure.textContent(), /^Last attempt failed on .+\d{4}.+: The seller account does not sell on this store's marketplace/);
    assert.equal(await card.getAttribute("data-pending"), "false");
    await card.getByRole("button", { name: "Connect store" }).waitFor();
    await shot(page, "en-nonparticipant-03-home-failed");
  }));
