// Issue 19, "Listing rules and price rules", the Dashboard part: a merchant restricts a store to one
// category, sees the preview, saves, watches the out-of-scope offers drop to quantity 0 on the emulated
// Amazon, adds a +15% rule with a floor at cost + 10%, and sees Amazon's prices follow; the listing
// drawer says why (the price rule, the floor; the failed condition); axe on every rules screen.
// The demo (demo/seed.py): 120 variants at 20 USD; Desk Lamps in Home > Lighting, Water Bottles and
// Coffee Mugs in Home > Kitchen (40 variants); water bottles cost 22, the rest 12; DEMO-0001…0006 have 5
// in stock. The emulator's seller already sells DEMO-0001 (a desk lamp) … DEMO-0003 (a water bottle).
// So under "Kitchen" DEMO-0001 drops to 0, and DEMO-0003 goes to max(23.99, 22 × 1.1) = 24.20 (the floor).
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { axeSerious, connectAndOpenStore, EAN_ATTRIBUTE, inShell, MARKETPLACES, notification, SELLER, shot, startDemoWithStore, stopDemo, storeCard } from "./support.mjs";

const SYNC_TIMEOUT = 240_000;

let demo;
let browser;

before(async () => ({ demo, browser } = await startDemoWithStore("rules", { productIdentifier: EAN_ATTRIBUTE })));
after(() => stopDemo({ demo, browser }));

/** The emulated Amazon's offers of the demo seller, by SKU (what Amazon shows, not what the plugin thinks). */
async function amazonOffers() {
  const response = await fetch(`${demo.emulatorUrl}/_emulator/offers?selling_partner_id=${SELLER.id}&marketplace_id=${MARKETPLACES.US}`);
  assert.ok(response.ok, `emulator offers: HTTP ${response.status}`);
  const { offers } = await response.json();
  return Object.fromEntries(offers.map((offer) => [offer.sku, offer]));
}

/** Waits until the emulator's offer of `sku` meets `check` (the live value, not a pending one). */
async function amazonFollows(sku, check, what) {
  let last = null;
  for (let attempt = 0; attempt < 120; attempt += 1) {
    last = (await amazonOffers())[sku];
    if (last && check(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  assert.fail(`${sku} on Amazon never ${what}: ${JSON.stringify(last)}`);
}

async function syncDone(app) {
  await new Promise((resolve) => setTimeout(resolve, 1500));
  await app.locator('[data-testid="listings-section"][data-sync-status="SUCCEEDED"]').waitFor({ timeout: SYNC_TIMEOUT });
}

async function syncNow(app) {
  const section = app.getByTestId("listings-section");
  // A sync a save started ends first (the button is disabled while one runs).
  await new Promise((resolve) => setTimeout(resolve, 1500));
  await app.locator('[data-testid="listings-section"]:not([data-sync-status="RUNNING"]):not([data-sync-status="PENDING"])').waitFor({ timeout: SYNC_TIMEOUT });
  const before = await section.getAttribute("data-sync-id");
  await app.getByTestId("listings-sync").click();
  await app.locator(`[data-testid="listings-section"]:not([data-sync-id="${before}"])`).waitFor({ timeout: 30_000 }).catch(() => undefined);
  await syncDone(app);
}

/** Opens a listing's drawer from the store page, found by its seller SKU. */
async function openListing(app, sku, state) {
  await app.locator(`[role="tab"][data-state="${state}"]`).click();
  await app.getByLabel("Search product, seller SKU or ASIN").fill(sku);
  const row = app.locator(`[data-testid="listings-table"] tbody tr[data-sku="${sku}"]`);
  await row.waitFor({ timeout: 30_000 });
  await row.getByTestId("listing-open").click();
  const drawer = app.getByTestId("listing-drawer");
  await drawer.waitFor();
  return drawer;
}

test("restrict a store to one category, preview, save; +15% with a floor at cost + 10%; Amazon follows", () =>
  inShell(browser, demo, "rules", async ({ context, page, app }) => {
    await connectAndOpenStore(context, app);
    await app.getByRole("button", { name: "Start catalog match" }).click();
    await app.locator('[data-testid="catalog-section"][data-run-status="SUCCEEDED"]').waitFor({ timeout: 90_000 });
    // The seller's offers are adopted and get Saleor's stock (5) and price (20).
    await syncNow(app);
    const start = await amazonFollows("DEMO-0001", (offer) => offer.quantity === 5, "got Saleor's stock of 5");
    assert.equal(Number(start.price), 20);
    await app.getByTestId("rules-section").scrollIntoViewIfNeeded();
    assert.match(await app.getByTestId("rules-listing-summary").textContent(), /every variant/);
    await shot(page, "en-rules-1-store");

    // Listing rules: the category Kitchen only (a row of the builder), previewed before saving.
    await app.getByTestId("rules-listing-open").click();
    await app.getByRole("heading", { level: 1, name: "Listing rules" }).waitFor();
    await app.getByTestId("conditions-empty").waitFor();
    await app.getByTestId("condition-add").click();
    const row = app.getByTestId("condition-row").first();
    assert.equal(await row.getByLabel("Condition", { exact: true }).inputValue(), "category");
    // Saving a row without values is refused on the spot, with the reason next to it.
    await app.getByTestId("savebar-save").click();
    await row.getByText("Pick at least one value.").waitFor();
    await row.getByRole("listbox", { name: /Values for Category/ }).selectOption({ label: "Kitchen" });
    assert.deepEqual(await row.getByRole("listbox").evaluate((select) => [...select.selectedOptions].map((o) => o.textContent.trim())), ["Kitchen"]);
    // A nested group shows Saleor's all / any nesting (then removed: it is not part of the merchant's rule).
    await app.getByTestId("condition-add-group").click();
    assert.equal(await app.locator('[data-testid="condition-group"][data-mode="any"]').count(), 1);
    // An attribute condition in it: the attribute and its values are picked by name, searched in Saleor
    // (the demo's EAN values are named by their number, their slugs are ean-<n>). With the keyboard: at
    // the bottom-left of the frame the Dashboard's announcement card lies over the nested group.
    const nested = app.locator('[data-testid="condition-group"][data-mode="any"]');
    await nested.getByTestId("condition-add").press("Enter");
    const attributeRow = nested.getByTestId("condition-row").first();
    await attributeRow.getByTestId("condition-field").selectOption("attribute");
    const attributeInput = attributeRow.getByTestId("condition-attribute").getByRole("combobox");
    await attributeInput.fill("EA");
    await app.getByRole("option", { name: "EAN", exact: true }).waitFor();
    await attributeInput.press("ArrowDown");
    await attributeInput.press("Enter");
    const valuesInput = attributeRow.getByTestId("condition-attribute-values").getByRole("combobox");
    await valuesInput.fill("40063810000");
    await app.getByRole("option", { name: /^40063810000\d{2}$/ }).first().waitFor();
    await valuesInput.press("ArrowDown");
    await valuesInput.press("Enter");
    assert.match(await attributeRow.getByTestId("condition-attribute-values").textContent(), /40063810000\d{2}/);
    assert.doesNotMatch(await attributeRow.getByTestId("condition-attribute-values").textContent(), /ean-\d/);
    await shot(page, "en-rules-2-builder", { full: true });
    assert.deepEqual(await axeSerious(page), [], "listing rules (builder with a nested group)");
    await app.getByTestId("condition-group-remove").click();

    await app.getByTestId("rules-preview").click();
    const counts = app.getByTestId("rules-preview-count");
    await app.getByTestId("rules-preview-result").waitFor();
    const count = async (list) => Number(await counts.and(app.locator(`[data-list="${list}"]`)).getAttribute("data-count"));
    assert.equal(await count("eligible"), 40);
    assert.equal(await count("ineligible"), 80);
    assert.equal(await count("newlyIneligible"), 80);
    assert.equal(await count("newlyEligible"), 0);
    // The list behind a count: the desk lamp is newly ineligible, and why.
    const lamp = app.locator('[data-testid="rules-preview-table"] tr[data-sku="DEMO-0001"]');
    await lamp.waitFor();
    assert.match(await lamp.textContent(), /Category \(with subcategories\) is any of Kitchen/);
    await counts.and(app.locator('[data-list="eligible"]')).click();
    await app.locator('[data-testid="rules-preview-table"] tr[data-sku="DEMO-0003"]').waitFor();
    await shot(page, "en-rules-3-preview", { full: true });
    assert.deepEqual(await axeSerious(page), [], "listing rules preview");

    // Nothing was written by the preview: the store still offers every variant.
    const id = await app.getByTestId("listing-rules").getAttribute("data-store-id");
    const saved = async () => (await demo.graphql(`query ($id: ID!) { amazonListingRules(storeId: $id) { conditions } }`, { id })).amazonListingRules.conditions;
    assert.deepEqual(JSON.parse(await saved()), {});
    await app.getByTestId("savebar-save").click();
    await notification(page, "Listing rules saved");
    assert.equal(JSON.parse(await saved()).AND[0].category.oneOf.length, 1);

    // On Amazon: the lamp (out of scope) drops to quantity 0 and stays listed; the bottle keeps its 5.
    await app.getByRole("link", { name: "Amazon Store USA" }).click();
    await app.getByTestId("listings-section").waitFor();
    await syncNow(app);
    const dropped = await amazonFollows("DEMO-0001", (offer) => offer.quantity === 0, "dropped to quantity 0");
    assert.ok(dropped.asin, "the offer is still on Amazon");
    assert.equal((await amazonOffers())["DEMO-0003"].quantity, 5);
    assert.match(await app.getByTestId("rules-listing-summary").textContent(), /1 condition/);
    // Why the lamp is not offered: the condition it fails, in the merchant's words.
    const drawer = await openListing(app, "DEMO-0001", "INELIGIBLE");
    const why = drawer.getByTestId("listing-why");
    await why.getByRole("heading", { name: "Why it is not offered" }).waitFor();
    await why.getByText(/Excluded by the listing rules: Category \(with subcategories\) is any of Kitchen/).waitFor();
    await shot(page, "en-rules-4-ineligible-drawer");
    assert.deepEqual(await axeSerious(page), [], "drawer: why ineligible");
    await drawer.getByTestId("dialog-close").click();
    await drawer.waitFor({ state: "hidden" });
    await app.getByLabel("Search product, seller SKU or ASIN").fill("");

    // Price rules: +15%, rounded up to .99, never below the cost price + 10%.
    await app.getByTestId("rules-price-open").click();
    await app.getByRole("heading", { level: 1, name: "Price rules" }).waitFor();
    await app.getByTestId("price-rules-empty").waitFor();
    await app.getByTestId("price-rule-add").click();
    await app.getByRole("heading", { level: 1, name: "New price rule" }).waitFor();
    await app.getByTestId("savebar-save").click();
    await app.getByText("Required.").first().waitFor();
    await app.getByLabel("Name", { exact: true }).fill("Amazon fees");
    await app.getByLabel("Adjust the channel price").selectOption("INCREASE");
    await app.getByLabel("By", { exact: true }).selectOption("PERCENTAGE");
    await app.getByLabel("Amount", { exact: true }).fill("15");
    await app.getByLabel("Rounding").selectOption("UP");
    assert.equal(await app.getByLabel("Ending").inputValue(), "0.99");
    await app.getByLabel("Floor", { exact: true }).selectOption("COST_MARGIN");
    await app.getByLabel("Margin over the cost price (%)").fill("10");
    await shot(page, "en-rules-5-price-rule", { full: true });
    assert.deepEqual(await axeSerious(page), [], "price rule form");
    await app.getByTestId("savebar-save").click();
    await notification(page, "Price rule Amazon fees saved");
    const listed = app.locator('[data-testid="price-rules-table"] tbody tr[data-name="Amazon fees"]');
    await listed.waitFor();
    assert.equal(await listed.getAttribute("data-priority"), "1");
    assert.match(await listed.textContent(), /\+15%.*In effect/);

    // A second rule, then reordered above the first (priorities 1, 2 follow the order).
    const other = await demo.graphql(
      `mutation ($id: ID!) { amazonPriceRuleCreate(storeId: $id, input: { name: "Inactive test", isActive: false, action: DECREASE, amountType: FIXED, amount: "1" }) { priceRule { id } errors { message } } }`,
      { id },
    );
    assert.deepEqual(other.amazonPriceRuleCreate.errors, []);
    await app.getByRole("link", { name: "Amazon Store USA" }).click();
    await app.getByTestId("rules-price-open").click();
    await app.locator('[data-testid="price-rules-table"] tbody tr[data-name="Inactive test"]').waitFor();
    await app.getByRole("button", { name: "Move Inactive test up" }).click();
    await app.locator('[data-testid="price-rules-table"] tbody tr[data-name="Inactive test"][data-priority="1"]').waitFor();
    await app.locator('[data-testid="price-rules-table"] tbody tr[data-name="Amazon fees"][data-priority="2"]').waitFor();
    // With a pointer: a rule dragged onto another takes its place (Amazon fees first, then back).
    const ruleRow = (name, more = "") => app.locator(`[data-testid="price-rules-table"] tbody tr[data-name="${name}"]${more}`);
    await ruleRow("Amazon fees", '[draggable="true"]').dragTo(ruleRow("Inactive test"));
    await ruleRow("Amazon fees", '[data-priority="1"][draggable="true"]').waitFor();
    await ruleRow("Inactive test", '[draggable="true"]').dragTo(ruleRow("Amazon fees"));
    await ruleRow("Inactive test", '[data-priority="1"][draggable="true"]').waitFor();
    await ruleRow("Amazon fees", '[data-priority="2"]').waitFor();
    await shot(page, "en-rules-6-price-rules");
    assert.deepEqual(await axeSerious(page), [], "price rules list");
    await app.getByRole("button", { name: "Delete Inactive test" }).click();
    await app.getByTestId("dialog-confirm").click();
    await app.locator('[data-testid="price-rules-table"] tbody tr[data-name="Inactive test"]').waitFor({ state: "detached" });
    // Deleting keeps the others' priorities (the order is what counts): Amazon fees is the only rule, first.
    assert.equal(await app.locator('[data-testid="price-rules-table"] tbody tr').count(), 1);
    assert.ok(await app.getByRole("button", { name: "Move Amazon fees up" }).isDisabled());

    // Amazon's price follows: 20 + 15% = 23 → 23.99, below the floor 22 × 1.10 = 24.20, so 24.20.
    await app.getByRole("link", { name: "Amazon Store USA" }).click();
    await app.getByTestId("listings-section").waitFor();
    await syncNow(app);
    const priced = await amazonFollows("DEMO-0003", (offer) => Number(offer.price) === 24.2, "got 24.20");
    assert.equal(priced.quantity, 5);
    const bottle = await openListing(app, "DEMO-0003", "ACTIVE");
    const reasons = bottle.getByTestId("listing-why-item");
    await bottle.getByRole("heading", { name: "Why this price" }).waitFor();
    assert.deepEqual(await reasons.evaluateAll((items) => items.map((item) => item.getAttribute("data-kind"))), ["PRICE_RULE", "FLOOR"]);
    assert.match(await reasons.nth(0).textContent(), /Price rule “Amazon fees” \(priority 2\) applied/);
    assert.match(await reasons.nth(1).textContent(), /Held at the floor of “Amazon fees”/);
    assert.match(await bottle.locator('[data-field="price"] [data-desired]').textContent(), /24\.20/);
    await shot(page, "en-rules-7-price-drawer");
    assert.deepEqual(await axeSerious(page), [], "drawer: why this price");
  }));

test("the rules screens in French", () =>
  inShell(
    browser,
    demo,
    "rules-fr",
    async ({ page, app }) => {
      const card = storeCard(app, "Amazon Store USA");
      await card.waitFor();
      await card.getByRole("button", { name: "Voir la boutique" }).click();
      await app.getByTestId("rules-listing-open").click();
      await app.getByRole("heading", { level: 1, name: "Règles de publication" }).waitFor();
      const row = app.getByTestId("condition-row").first();
      await row.waitFor();
      assert.match(await row.getByRole("listbox").evaluate((select) => [...select.selectedOptions].map((o) => o.textContent.trim()).join()), /Kitchen/);
      await app.getByRole("button", { name: "Aperçu" }).click();
      await app.getByRole("tab", { name: /Éligibles \(40\)/ }).waitFor();
      await shot(page, "fr-rules-listing", { full: true });
      assert.deepEqual(await axeSerious(page), [], "listing rules (fr)");
      await app.getByRole("link", { name: "Amazon Store USA" }).click();
      await app.getByTestId("rules-price-open").click();
      await app.getByRole("heading", { level: 1, name: "Règles de prix" }).waitFor();
      await app.getByRole("link", { name: "Amazon fees" }).click();
      await app.getByLabel("Marge sur le prix de revient (%)").waitFor();
      assert.equal(await app.getByLabel("Marge sur le prix de revient (%)").inputValue(), "10");
      await shot(page, "fr-rules-price-rule", { full: true });
      assert.deepEqual(await axeSerious(page), [], "price rule (fr)");
    },
    { locale: "fr" },
  ));
