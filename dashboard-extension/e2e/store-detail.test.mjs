// Issue 5, "View Store": details, authorization, marketplace participation and audit trail;
// Check connection; a revocation in Seller Central shows on the next check, with Reconnect at hand;
// Reconnect goes through Amazon's consent again and the store is connected again.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { connectAndOpenStore, consentOnAmazon, inShell, MARKETPLACES, moreAction, notification, SELLER, shot, startDemoWithStore, stopDemo, storeCard, textContrast } from "./support.mjs";

let demo;
let browser;

before(async () => ({ demo, browser } = await startDemoWithStore("store_detail")));
after(() => stopDemo({ demo, browser }));

/** The <dd> next to a <dt> of a facts list. */
function fact(scope, term) {
  return scope.locator("dt", { hasText: new RegExp(`^${term}$`) }).locator("xpath=following-sibling::dd[1]");
}

async function eventTypes(app) {
  return app.getByTestId("events").locator("tbody tr").evaluateAll((rows) => rows.map((row) => row.dataset.eventType));
}

test("view a store, check its connection, see a revocation, reconnect", () =>
  inShell(browser, demo, "detail", async ({ context, page, app }) => {
    // Connect it first (the consent flow itself is connect.test.mjs's subject), then View Store.
    const card = await connectAndOpenStore(context, app);
    const detail = app.getByTestId("store-detail");
    await detail.waitFor();
    await app.getByRole("heading", { level: 1, name: "Amazon Store USA" }).waitFor();
    const details = app.getByRole("region", { name: "Store details" });
    assert.match(await fact(details, "Marketplace").textContent(), /United States/);
    assert.equal(await fact(details, "Amazon site").textContent(), "www.amazon.com");
    assert.equal(await fact(details, "Marketplace ID").textContent(), MARKETPLACES.US);
    assert.equal(await fact(details, "Saleor channel").textContent(), "Default Channel (default-channel)");
    assert.equal(await fact(details, "Contact email").textContent(), "merchant@example.com");
    assert.equal(await fact(details, "Product identifier").textContent(), "SKU from the variant SKU");

    const authorization = app.getByRole("region", { name: "Authorization" });
    assert.equal(await fact(authorization, "Status").textContent(), "Connected");
    assert.equal(await fact(authorization, "Seller ID").textContent(), SELLER.id);
    assert.notEqual(await fact(authorization, "Authorized").textContent(), "—");
    assert.match(await fact(authorization, "Expires").textContent(), new RegExp(String(new Date().getFullYear() + 1)));

    // The seller's marketplaces, as Amazon's getMarketplaceParticipations gave them at the connection.
    const participations = app.getByTestId("participations");
    await participations.waitFor();
    const rows = await participations.locator("tbody tr").allTextContents();
    assert.equal(rows.length, 3, rows.join("\n"));
    for (const country of ["United States", "Canada", "Mexico"]) {
      assert.ok(rows.some((row) => row.includes(country) && /Yes/.test(row)), `${country} participating: ${rows}`);
    }

    // The audit trail, newest first.
    const events = await eventTypes(app);
    assert.deepEqual(events.slice(0, 3), ["CONNECTED", "CONNECT_STARTED", "CREATED"]);
    assert.match(await app.getByTestId("events").textContent(), /admin@example\.com/);
    await shot(page, "en-detail-01-connected", { full: true });

    // Check connection: still connected, and the check is in the audit trail.
    // Extra actions live in the page's "More actions" menu (Saleor's pattern).
    await moreAction(app, "Check connection");
    assert.equal((await notification(page, "Connection checked: Connected.")).status, "success");
    await app.getByTestId("events").locator('tr[data-event-type="CHECKED"]').first().waitFor();
    assert.notEqual(await fact(authorization, "Last checked").textContent(), "—");
    await shot(page, "en-detail-02-checked");

    // The seller revokes the app in Seller Central; the next check sees it.
    const { revoked } = await demo.emulator("revoke", { selling_partner_id: SELLER.id });
    assert.equal(revoked, 1);
    await moreAction(app, "Check connection");
    const flash = app.getByTestId("flash");
    // The check answers with the AUTHORIZATION_REVOKED error, shown as such.
    await flash.filter({ hasText: "revoked" }).waitFor();
    assert.equal(await flash.getAttribute("data-tone"), "critical");
    assert.match(await flash.textContent(), /Amazon no longer accepts the authorization: it was revoked\. Reconnect the store\./);
    await detail.and(app.locator('[data-status="AUTHORIZATION_REVOKED"]')).waitFor();
    assert.equal(await fact(authorization, "Status").textContent(), "Authorization revoked");
    const hint = app.getByTestId("status-hint");
    assert.match(await hint.textContent(), /The authorization was revoked in Seller Central\. Reconnect to grant access again\./);
    await app.getByTestId("events").locator('tr[data-event-type="REVOKED"]').first().waitFor();
    const reconnect = app.getByRole("button", { name: "Reconnect" });
    await reconnect.waitFor();
    await shot(page, "en-detail-03-revoked", { full: true });

    // The status badge stays readable in both themes (AA: 4.5:1 for its small text).
    const badgeText = app.getByTestId("store-detail").locator("header").getByTestId("store-status").locator("span");
    assert.ok((await textContrast(badgeText)) >= 4.5, `light theme badge contrast ${await textContrast(badgeText)}`);
    const lightColour = await badgeText.evaluate((element) => getComputedStyle(element).color);
    await page.getByLabel("Theme").selectOption("dark");
    await badgeText.evaluate(
      (element, before) =>
        new Promise((resolve) => {
          const check = () => (getComputedStyle(element).color !== before ? resolve() : requestAnimationFrame(check));
          check();
        }),
      lightColour,
    );
    assert.ok((await textContrast(badgeText)) >= 4.5, `dark theme badge contrast ${await textContrast(badgeText)}`);
    await shot(page, "en-detail-03-revoked-dark", { full: true });
    await page.getByLabel("Theme").selectOption("light");

    // The home page says so too: the card is marked, with Reconnect on it.
    await app.getByRole("link", { name: "← Amazon Sales Channel" }).click();
    await card.and(app.locator('[data-status="AUTHORIZATION_REVOKED"]')).waitFor();
    assert.equal((await card.getByTestId("store-status").textContent()).trim(), "Authorization revoked");
    assert.equal(await card.getByTestId("store-status").getAttribute("data-tone"), "critical");
    await card.getByRole("button", { name: "Reconnect" }).waitFor();
    // A revoked authorization has no expiry any more; the card says it was revoked.
    assert.equal(await fact(card, "Authorization expires").textContent(), "Revoked");
    assert.match(await app.getByTestId("attention-banner").textContent(), /1 store needs attention: reconnect it/);
    await shot(page, "en-detail-04-home-revoked");

    // Reconnect from the card: Amazon's consent again (already signed in to Seller Central in this browser).
    const [again] = await Promise.all([context.waitForEvent("page"), card.getByRole("button", { name: "Reconnect" }).click()]);
    await consentOnAmazon(again, { prefix: "en-detail-05-reconnect-amazon" });
    assert.equal(await again.getByTestId("connect-result").getAttribute("data-outcome"), "connected");
    await again.close();
    await card.and(app.locator('[data-status="CONNECTED"]')).waitFor();
    assert.equal((await notification(page, "is connected to Amazon Seller Central")).status, "success");
    await app.getByTestId("attention-banner").waitFor({ state: "detached" });
    assert.match(await card.textContent(), new RegExp(`Seller ID${SELLER.id}`));
    await shot(page, "en-detail-06-home-reconnected");

    await card.getByRole("button", { name: "View Store" }).click();
    await detail.and(app.locator('[data-status="CONNECTED"]')).waitFor();
    // A reconnection of the same seller renews the authorization.
    assert.equal((await eventTypes(app))[0], "RENEWED");
    assert.equal(await app.getByTestId("status-hint").count(), 0);
    await shot(page, "en-detail-07-reconnected", { full: true });
  }));

test("edit in place: Saleor's save bar, the unsaved-changes guard, Save", () =>
  inShell(browser, demo, "detail-edit", async ({ page, app }) => {
    const card = storeCard(app, "Amazon Store USA");
    await card.getByRole("button", { name: "View Store" }).click();
    await app.getByTestId("store-detail").waitFor();
    const savebar = app.getByTestId("savebar");
    const save = savebar.getByRole("button", { name: "Save" });
    assert.equal(await save.isDisabled(), true, "nothing to save yet");

    const email = app.getByLabel("Contact email");
    await email.fill("amazon-ops@example.com");
    assert.equal(await save.isDisabled(), false);
    await shot(page, "en-detail-08-editing", { full: true });

    // Leaving with unsaved changes asks first; "Back" stays on the page with the change.
    await app.getByRole("link", { name: "← Amazon Sales Channel" }).click();
    const leave = app.getByRole("alertdialog", { name: "Leave without saving?" });
    await leave.waitFor();
    await shot(page, "en-detail-09-leave-guard");
    await leave.getByRole("button", { name: "Back" }).click();
    await leave.waitFor({ state: "detached" });
    assert.equal(await email.inputValue(), "amazon-ops@example.com");
    // Still on the store's page (the router keeps screens in the path).
    assert.match(await page.frameLocator("#app-frame").locator("body").evaluate(() => window.location.pathname), /\/app\/stores\/[^/]+$/);

    await save.click();
    assert.equal((await notification(page, "The store “Amazon Store USA” was saved.")).status, "success");
    const details = app.getByRole("region", { name: "Store details" });
    await details.getByText("amazon-ops@example.com").waitFor();
    assert.equal(await save.isDisabled(), true);
    await app.getByTestId("events").locator('tr[data-event-type="UPDATED"]').first().waitFor();
    assert.match(await app.getByTestId("events").textContent(), /Changed: contact email\./);

    // Saved: leaving no longer asks.
    await app.getByRole("link", { name: "← Amazon Sales Channel" }).click();
    await card.waitFor();
  }));
