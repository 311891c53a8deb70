// Issue 5, a store's life on the home page: Deactivate / Activate, and Delete behind a
// confirmation dialog that says what is lost (and what stays in Seller Central).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { consentOnAmazon, createStore, launchBrowser, MARKETPLACES, notification, inShell, shot, startDemo, storeCard, textContrast } from "./support.mjs";

let demo;
let browser;

before(async () => {
  demo = await startDemo("lifecycle");
  browser = await launchBrowser();
  await createStore(demo, { name: "Amazon Store USA", marketplace: MARKETPLACES.US });
  await createStore(demo, { name: "Amazon Store Mexico", channel: "default-channel", marketplace: MARKETPLACES.MX });
});

after(async () => {
  await browser?.close();
  await demo?.stop();
});

test("deactivate, activate, then delete a connected store after the confirmation", () =>
  inShell(browser, demo, "lifecycle", async ({ context, page, app }) => {
    const card = storeCard(app, "Amazon Store USA");
    await card.waitFor();
    const active = card.getByTestId("store-active");
    assert.equal((await active.textContent()).trim(), "Active");

    // Deactivate: the badge and the button flip, with a confirmation.
    await card.getByRole("button", { name: "Deactivate" }).click();
    assert.equal((await notification(page, "The store “Amazon Store USA” is now inactive.")).status, "success");
    await active.and(app.locator('[data-active="false"]')).waitFor();
    assert.equal((await active.textContent()).trim(), "Inactive");
    await card.getByRole("button", { name: "Activate" }).waitFor();
    await shot(page, "en-lifecycle-01-deactivated");

    // It stays inactive after a reload (it was saved, not only shown).
    await page.reload();
    await card.waitFor();
    assert.equal(await card.getByTestId("store-active").getAttribute("data-active"), "false");

    await card.getByRole("button", { name: "Activate" }).click();
    assert.equal((await notification(page, "The store “Amazon Store USA” is now active.")).status, "success");
    await card.getByTestId("store-active").and(app.locator('[data-active="true"]')).waitFor();
    await card.getByRole("button", { name: "Deactivate" }).waitFor();
    await shot(page, "en-lifecycle-02-activated");

    // Connect it, so that deleting has an Amazon authorization to talk about.
    const [tab] = await Promise.all([context.waitForEvent("page"), card.getByRole("button", { name: "Connect store" }).click()]);
    await consentOnAmazon(tab, {});
    await tab.close();
    await card.and(app.locator('[data-status="CONNECTED"]')).waitFor();

    // Delete: the dialog names the store and says what is lost; Cancel keeps it.
    await card.getByRole("button", { name: "Delete" }).click();
    const dialog = app.getByRole("alertdialog", { name: "Delete “Amazon Store USA”?" });
    await dialog.waitFor();
    const text = await dialog.textContent();
    assert.match(text, /deletes the store's settings \(Saleor channel, marketplace, product identifier mapping\) and its audit trail/);
    assert.match(text, /This cannot be undone\./);
    assert.match(text, /The Amazon authorization is not removed: it stays in Seller Central until you revoke it there/);
    // The note about Seller Central is a warning, and readable as one (AA contrast).
    const note = dialog.getByText(/The Amazon authorization is not removed/);
    assert.ok((await textContrast(note)) >= 4.5, `warning note contrast ${await textContrast(note)}`);
    await shot(page, "en-lifecycle-03-delete-dialog");
    // Saleor's dialogs: "Back" closes without doing anything.
    await dialog.getByRole("button", { name: "Back" }).click();
    await dialog.waitFor({ state: "detached" });
    assert.equal(await card.count(), 1);

    await card.getByRole("button", { name: "Delete" }).click();
    await dialog.getByRole("button", { name: "Delete store" }).click();
    await notification(page, "The store “Amazon Store USA” was deleted.");
    await card.waitFor({ state: "detached" });
    assert.equal(await app.getByTestId("store-card").count(), 1);
    await shot(page, "en-lifecycle-04-deleted");

    // Gone for good: not in the API either.
    const data = await demo.graphql("{ amazonStores(first: 10) { edges { node { name } } } }");
    assert.deepEqual(
      data.amazonStores.edges.map((edge) => edge.node.name),
      ["Amazon Store Mexico"],
    );
  }));

test("delete from the store's page: back home without it", () =>
  inShell(browser, demo, "delete-from-detail", async ({ page, app }) => {
    const card = storeCard(app, "Amazon Store Mexico");
    await card.getByRole("button", { name: "View Store" }).click();
    await app.getByTestId("store-detail").waitFor();
    // Delete is in Saleor's save bar at the bottom of the store page.
    await app.getByTestId("savebar").getByRole("button", { name: "Delete" }).click();
    const dialog = app.getByRole("alertdialog", { name: "Delete “Amazon Store Mexico”?" });
    await dialog.waitFor();
    assert.match(await dialog.textContent(), /and its audit trail from Saleor\. This cannot be undone\./);
    await dialog.getByRole("button", { name: "Delete store" }).click();
    await notification(page, "The store “Amazon Store Mexico” was deleted.");
    await app.getByTestId("empty-state").waitFor();
    await shot(page, "en-lifecycle-05-deleted-last-store");
  }));
