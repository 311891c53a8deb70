// Issue 10, "Catalog on Amazon": a merchant connects a store whose identifier is the EAN attribute,
// starts a catalog match, watches it progress, and sees matched, unmatched and invalid products with
// their reasons; filters, searches, follows an ASIN to Amazon, exports a CSV; the home card shows
// matched / total; the section in French.
// The demo seeds 120 variants in the default channel: every 17th without an EAN (7), every 13th
// with a wrong check digit (9), the other 104 valid (the emulator's seeded catalog decides).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, test } from "node:test";
import { connectAndOpenStore, EAN_ATTRIBUTE, inShell, shot, startDemoWithStore, stopDemo, storeCard } from "./support.mjs";

let demo;
let browser;

before(async () => ({ demo, browser } = await startDemoWithStore("catalog", { productIdentifier: EAN_ATTRIBUTE })));
after(() => stopDemo({ demo, browser }));

async function count(section, status) {
  const text = await section.locator(`[data-count="${status}"]`).textContent();
  return Number(text.split(":").pop().trim());
}

test("match the catalog, watch it progress, read the results, export them", () =>
  inShell(browser, demo, "catalog", async ({ context, page, app }) => {
    const card = await connectAndOpenStore(context, app);
    const section = app.getByTestId("catalog-section");
    await section.waitFor();
    assert.equal(await section.getAttribute("data-run-status"), "NONE");
    await app.getByRole("heading", { name: "Catalog on Amazon" }).scrollIntoViewIfNeeded();
    await shot(page, "en-catalog-1-before");

    await app.getByRole("button", { name: "Start catalog match" }).click();
    await app.getByRole("progressbar").waitFor();
    // Planning takes a moment; then the batches go at Amazon's pace (about 40 products a second).
    await app.getByText(/products checked/).waitFor({ timeout: 5000 }).catch(() => undefined);
    await shot(page, "en-catalog-2-running");

    await app.locator('[data-testid="catalog-section"][data-run-status="SUCCEEDED"]').waitFor({ timeout: 60_000 });
    const table = app.getByTestId("catalog-table");
    await table.waitFor();
    assert.equal(await table.getAttribute("data-total"), "120");
    const [matched, multiple, none, invalid, missing, errors] = await Promise.all(
      ["MATCHED", "MULTIPLE_MATCHES", "NO_MATCH", "INVALID_IDENTIFIER", "NO_IDENTIFIER", "ERROR"].map((s) => count(section, s)),
    );
    assert.equal(invalid, 9);
    assert.equal(missing, 7);
    assert.equal(errors, 0);
    assert.equal(matched + multiple + none, 104);
    assert.ok(matched > 50, `matched: ${matched}`);
    assert.match(await app.getByTestId("catalog-last-run").textContent(), new RegExp(`${matched} of 120 products found on Amazon`));
    await shot(page, "en-catalog-3-results", { full: true });

    // The ASIN opens the item's page on the store's marketplace, in a new tab.
    const asin = table.getByTestId("catalog-asin").first();
    assert.match(await asin.getAttribute("href"), /^https:\/\/www\.amazon\.com\/dp\/B0[A-Z0-9]{8}$/);
    assert.equal(await asin.getAttribute("target"), "_blank");

    // Invalid identifiers, with their reason.
    await app.getByLabel("Result").selectOption("INVALID_IDENTIFIER");
    await app.locator('[data-testid="catalog-table"][data-total="9"]').waitFor();
    const reasons = await table.locator("tbody tr").allTextContents();
    assert.equal(reasons.length, 9);
    assert.ok(reasons.every((row) => /check digit/.test(row)), reasons.join("\n"));
    await shot(page, "en-catalog-4-invalid", { full: true });

    // The CSV of what the filter shows.
    const [download] = await Promise.all([page.waitForEvent("download"), app.getByRole("button", { name: "Export CSV" }).click()]);
    const csv = readFileSync(await download.path(), "utf8").trimEnd().split("\r\n");
    assert.equal(csv.length, 10);
    assert.match(csv[0], /^variant_id,sku,name,identifier_type,identifier,status,reason,asin/);
    assert.ok(csv.slice(1).every((line) => line.includes("INVALID_IDENTIFIER")));
    assert.match(download.suggestedFilename(), /^amazon-catalog-amazon-store-usa\.csv$/);

    // Search by SKU, across every result.
    await app.getByLabel("Result").selectOption("");
    await app.getByLabel("Search product, SKU, identifier or ASIN").fill("DEMO-0017");
    await app.locator('[data-testid="catalog-table"][data-total="1"]').waitFor();
    assert.match(await table.locator("tbody tr").first().textContent(), /No identifier/);
    await shot(page, "en-catalog-5-search");

    // Back home: the card counts the matches.
    await app.getByRole("link", { name: "Amazon Sales Channel" }).first().click();
    await card.waitFor();
    assert.match(await card.textContent(), new RegExp(`${matched} / 120 matched`));
    await shot(page, "en-catalog-6-home");
  }));

test("the section in French", () =>
  inShell(
    browser,
    demo,
    "catalog-fr",
    async ({ page, app }) => {
      const card = storeCard(app, "Amazon Store USA");
      await card.waitFor();
      assert.match(await card.textContent(), /\d+ \/ 120 trouvés/);
      await card.getByRole("button", { name: "Voir la boutique" }).click();
      await app.getByRole("heading", { name: "Catalogue sur Amazon" }).waitFor();
      await app.getByRole("button", { name: "Actualiser la correspondance du catalogue" }).waitFor();
      await app.getByLabel("Résultat").selectOption("NO_IDENTIFIER");
      await app.locator('[data-testid="catalog-table"][data-total="7"]').waitFor();
      assert.match(await app.getByTestId("catalog-table").textContent(), /Le produit n’a pas de valeur/);
      await shot(page, "fr-catalog-results", { full: true });
    },
    { locale: "fr" },
  ));
