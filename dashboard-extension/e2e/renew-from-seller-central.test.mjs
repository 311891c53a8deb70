// Issue 8: a renewal Amazon starts (Seller Central > Manage Your Apps > Re-Authorize) goes through the
// plugin's Log-in URI, which mints nothing for an anonymous visitor: it sends the browser to the Dashboard
// (here the demo shell at DASHBOARD_URL/extensions/app/<id>), where the signed-in merchant confirms the
// store in the extension; a new tab then returns to Amazon and back, and the card ends Connected.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { consentOnAmazon, createStore, inShell, launchBrowser, shot, startDemo, storeCard } from "./support.mjs";

let demo;
let browser;

before(async () => {
  demo = await startDemo("renew");
  browser = await launchBrowser();
  await createStore(demo, { name: "Amazon Store USA" });
});

after(async () => {
  await browser?.close();
  await demo?.stop();
});

const EVENTS = `query ($id: ID!) { amazonStore(id: $id) { authorizedAt events(first: 5) { type actor } } }`;

test("renew from Seller Central: Re-Authorize, confirm in the Dashboard, Connected", () =>
  inShell(browser, demo, "renew", async ({ context, page, app }) => {
    // First the merchant connects the store the usual way.
    const card = storeCard(app, "Amazon Store USA");
    await card.waitFor();
    const [consentTab] = await Promise.all([
      context.waitForEvent("page"),
      card.getByRole("button", { name: "Connect store" }).click(),
    ]);
    await consentOnAmazon(consentTab, {});
    await card.and(app.locator('[data-status="CONNECTED"]')).waitFor();
    await consentTab.close();
    const storeId = await card.getAttribute("data-store-id").catch(() => null);
    const { amazonStores } = await demo.graphql(`{ amazonStores(first: 5) { edges { node { id name } } } }`);
    const id = storeId || amazonStores.edges.find((edge) => edge.node.name === "Amazon Store USA").node.id;
    const before = (await demo.graphql(EVENTS, { id })).amazonStore;

    // Later, in Seller Central: Manage Your Apps > Re-Authorize (Amazon starts it, no state of ours).
    const amazon = await context.newPage();
    await amazon.goto(`${demo.emulatorUrl}/apps/manage`);
    await amazon.getByRole("heading", { name: "Manage Your Apps" }).waitFor();
    await shot(amazon, "en-renew-01-manage-your-apps");
    await amazon.getByRole("button", { name: "Re-Authorize" }).first().click();

    // The Log-in URI sent this tab to the Dashboard's app page, carrying Amazon's request.
    await amazon.waitForURL((url) => url.pathname.includes("/dashboard/extensions/app/"));
    const landed = new URL(amazon.url());
    assert.ok(landed.searchParams.get("amazonAuthorization"));
    assert.equal(landed.searchParams.get("state"), null);
    const extension = amazon.frameLocator("#app-frame");
    const screen = extension.getByTestId("amazon-authorization");
    await screen.waitFor();
    const row = extension.getByTestId("authorize-store").filter({ hasText: "Amazon Store USA" });
    await row.waitFor();
    await shot(amazon, "en-renew-02-confirm-in-dashboard");

    // The merchant confirms: a new tab goes through the start route back to Amazon, then our callback.
    const [resultTab] = await Promise.all([
      context.waitForEvent("page"),
      row.getByRole("button", { name: "Confirm and continue on Amazon" }).click(),
    ]);
    await resultTab.waitForURL(/connectResult=/, { timeout: 30_000 });
    const result = resultTab.getByTestId("connect-result");
    await result.waitFor();
    assert.equal(await result.getAttribute("data-outcome"), "connected");
    await shot(resultTab, "en-renew-03-result-connected");
    await extension.getByTestId("authorize-opened").waitFor();

    // Renewed, attributed to the merchant (not "Amazon"), and the card is Connected.
    const after = (await demo.graphql(EVENTS, { id })).amazonStore;
    assert.ok(new Date(after.authorizedAt) > new Date(before.authorizedAt));
    assert.equal(after.events[0].type, "RENEWED");
    assert.equal(after.events[0].actor, "admin@example.com");
    await page.reload();
    const refreshed = storeCard(page.frameLocator("#app-frame"), "Amazon Store USA");
    await refreshed.and(page.frameLocator("#app-frame").locator('[data-status="CONNECTED"]')).waitFor();
    await shot(page, "en-renew-04-home-connected");
  }));
