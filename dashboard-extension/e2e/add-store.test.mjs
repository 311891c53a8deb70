// Issue 5, "Add an Amazon store": home empty state → Add Amazon Store → pre-configuration tasks →
// the form; field errors next to their fields; UNIQUE name; the new card with a confirmation.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { launchBrowser, inShell, notification, shot, startDemo, storeCard } from "./support.mjs";

let demo;
let browser;

before(async () => {
  demo = await startDemo("add_store");
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await demo?.stop();
});

/** The error shown for a field: linked by aria-describedby and laid out right under it. */
async function fieldError(app, field) {
  const control = app.locator(`#field-${field}`);
  const error = app.locator(`#field-${field}-error`);
  await error.waitFor();
  assert.equal(await control.getAttribute("aria-invalid"), "true", `${field} is marked invalid`);
  assert.match(await control.getAttribute("aria-describedby"), new RegExp(`field-${field}-error`));
  const [box, errorBox] = [await control.boundingBox(), await error.boundingBox()];
  assert.ok(errorBox.y >= box.y + box.height - 1 && errorBox.y - (box.y + box.height) < 32, `${field}: error right under the field`);
  // Within the field's left edge (macaw's text inputs pad the <input> inside their frame).
  assert.ok(Math.abs(errorBox.x - box.x) <= 16, `${field}: error aligned with the field`);
  return (await error.textContent()).trim();
}

/** Choose the option whose text contains `text` (marketplace options start with a flag). */
async function choose(select, text) {
  const value = await select.evaluate(
    (el, wanted) => [...el.options].find((option) => option.textContent.includes(wanted))?.value,
    text,
  );
  assert.ok(value, `an option with “${text}”`);
  await select.selectOption(value);
}

async function fillForm(app, { channel, email, name, marketplace, productId, attribute }) {
  if (channel !== undefined) await app.getByLabel("Saleor channel", { exact: true }).selectOption({ label: channel });
  if (email !== undefined) await app.getByLabel("Contact email", { exact: true }).fill(email);
  if (name !== undefined) await app.getByLabel("Store name", { exact: true }).fill(name);
  if (marketplace !== undefined) await choose(app.getByLabel("Amazon marketplace country", { exact: true }), marketplace);
  if (productId !== undefined) await app.getByLabel("Product ID on the Amazon market", { exact: true }).selectOption(productId);
  if (attribute !== undefined) await app.getByLabel("Saleor attribute", { exact: true }).selectOption({ label: attribute });
}

test("add a store: empty state, pre-configuration tasks, field errors, UNIQUE name, the new card", () =>
  inShell(browser, demo, "add-store", async ({ page, app }) => {

    // Home, no store yet.
    const empty = app.getByTestId("empty-state");
    await empty.waitFor();
    assert.match(await empty.textContent(), /No Amazon store yet/);
    assert.equal(await app.getByTestId("store-card").count(), 0);
    await shot(page, "en-add-01-home-empty");

    // The first Add Amazon Store goes through the pre-configuration tasks.
    await empty.getByRole("button", { name: "Add Amazon Store" }).click();
    const checklist = app.getByTestId("setup-checklist");
    await checklist.waitFor();
    await app.getByTestId("task-plugin").and(app.locator("[data-state=done]")).waitFor();
    const redirectUri = await app.getByTestId("redirect-uri").getByRole("textbox").inputValue();
    assert.equal(redirectUri, `${demo.origin}/plugins/global/saleor_amazon_channel/oauth/callback`);
    assert.equal(
      await app.getByTestId("login-uri").getByRole("textbox").inputValue(),
      `${demo.origin}/plugins/global/saleor_amazon_channel/oauth/login`,
    );
    assert.equal(await checklist.locator("li").count(), 6);
    await shot(page, "en-add-02-preconfiguration-tasks");

    await app.getByRole("button", { name: "Continue to add a store" }).click();
    const form = app.getByTestId("store-form");
    await form.waitFor();
    await app.getByRole("heading", { name: "Add Amazon Store" }).waitFor();
    // The pickers are filled from Saleor's API and the plugin's marketplaces.
    await app.locator("#field-channel option", { hasText: "Default Channel (USD)" }).waitFor({ state: "attached" });
    await app.locator("#field-marketplace option", { hasText: "United States" }).waitFor({ state: "attached" });
    await shot(page, "en-add-03-form");

    // Nothing filled in: every required field says so, under itself; the focus goes to the first.
    await app.getByRole("button", { name: "Add store" }).click();
    assert.equal(await fieldError(app, "channel"), "This field is required.");
    assert.equal(await fieldError(app, "contactEmail"), "This field is required.");
    assert.equal(await fieldError(app, "name"), "This field is required.");
    assert.equal(await fieldError(app, "marketplace"), "This field is required.");
    assert.equal(await app.locator("#field-channel").evaluate((el) => el === document.activeElement), true);
    await shot(page, "en-add-04-form-required");

    // Empty name and a malformed email (caught before sending).
    await fillForm(app, { channel: "Default Channel (USD)", email: "not-an-email", marketplace: "United States (www.amazon.com)" });
    await app.getByRole("button", { name: "Add store" }).click();
    assert.equal(await fieldError(app, "contactEmail"), "Enter a valid email address.");
    assert.equal(await fieldError(app, "name"), "This field is required.");
    assert.equal(await app.locator("#field-channel-error").count(), 0);
    assert.equal(await app.locator("#field-marketplace-error").count(), 0);
    await shot(page, "en-add-05-form-bad-email-empty-name");

    // An address only the server refuses: its INVALID error lands next to the field too.
    await fillForm(app, { email: "seller@example..com", name: "Amazon Store USA" });
    await app.getByRole("button", { name: "Add store" }).click();
    assert.match(await fieldError(app, "contactEmail"), /valid email address/i);
    assert.equal(await app.locator("#field-name-error").count(), 0);
    await shot(page, "en-add-06-form-server-email-error");

    // Good input: back home, with the card and a confirmation.
    await fillForm(app, { email: "amazon@example.com", productId: "ISBN", attribute: "ISBN (isbn)" });
    await app.getByRole("button", { name: "Add store" }).click();
    const added = await notification(page, "The store “Amazon Store USA” was added.");
    assert.equal(added.status, "success");
    assert.match(added.title, /The store “Amazon Store USA” was added\. Use Connect store/);
    const card = storeCard(app, "Amazon Store USA");
    await card.waitFor();
    assert.equal(await card.getAttribute("data-status"), "NOT_CONNECTED");
    assert.equal((await card.getByTestId("store-status").textContent()).trim(), "Not connected");
    assert.match(await card.getByTestId("store-marketplace").textContent(), /United States · www\.amazon\.com/);
    assert.match(await card.textContent(), /Default Channel/);
    await card.getByRole("button", { name: "Connect store" }).waitFor();
    assert.equal(await app.getByTestId("empty-state").count(), 0);
    await shot(page, "en-add-07-home-new-card");

    // A second store: no pre-configuration detour now; the same name is refused next to the name.
    await app.getByRole("button", { name: "Add Amazon Store" }).click();
    await form.waitFor();
    await app.locator("#field-channel option", { hasText: "Canada (CAD)" }).waitFor({ state: "attached" });
    await fillForm(app, {
      channel: "Canada (CAD)",
      email: "amazon@example.com",
      name: "Amazon Store USA",
      marketplace: "Canada (www.amazon.ca)",
    });
    await app.getByRole("button", { name: "Add store" }).click();
    assert.equal(await fieldError(app, "name"), "A store named “Amazon Store USA” already exists.");
    assert.equal(await app.locator("#field-name").evaluate((el) => el === document.activeElement), true);
    await shot(page, "en-add-08-form-unique-name");

    await fillForm(app, { name: "Amazon Store Canada" });
    await app.getByRole("button", { name: "Add store" }).click();
    await storeCard(app, "Amazon Store Canada").waitFor();
    assert.equal(await app.getByTestId("store-card").count(), 2);
  }));
