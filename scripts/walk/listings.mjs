// The Amazon listings section in the real Dashboard (issue 18), one step of scripts/walk-real-dashboard.mjs, run on
// the connected store's page after the catalog match (10c) and the orders walk: the section, Listing settings (hold
// new offers in Ready to list, saved with the save bar), "Sync now" until the sync ends, the tabs with their counts,
// one offer listed from Ready to list (bulk List) and read back on the Amazon emulator, a listing's drawer. axe (en,
// light) on the section, the settings and the drawer. Real Saleor's populatedb catalog may give the match no ASIN at
// all: then nothing can be listed, and the step walks the section, the settings and a sync and says so in its result.
// Model: dashboard-extension/e2e/listings.test.mjs (on the demo).

/** The emulator's demo seller, whom the walk signs in as (seller@example.com). */
const SELLER_ID = "A2DEMOSELLER01";
const US = "ATVPDKIKX0DER";
const SYNC_TIMEOUT = 240_000;

/** The seller's offers on the emulated Amazon (its control API, not SP-API: what Amazon holds, not what we think). */
async function amazonOffers(emulator) {
  const url = `${emulator.replace(/\/$/, "")}/_emulator/offers?selling_partner_id=${SELLER_ID}&marketplace_id=${US}`;
  const response = await fetch(url);
  if (!response.ok) throw new Error(`emulator: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()).offers;
}

export async function walkListings({ page, step, extensionFrame, shot, axe, toasts, opt }) {
  await step("10l Amazon listings: settings, sync, tabs, list one, read it on Amazon, the drawer", async () => {
    let frame = await extensionFrame(page);
    const heading = () => frame.getByRole("heading", { name: "Amazon listings" });
    const section = () => frame.getByTestId("listings-section");
    const tabCounts = async () =>
      Object.fromEntries(
        await frame.locator('[role="tab"][data-state]').evaluateAll((tabs) => tabs.map((t) => [t.dataset.state, Number(t.dataset.count || 0)])),
      );
    const openTab = async (state) => {
      await frame.locator(`[role="tab"][data-state="${state}"]`).click();
      await frame.locator(`[data-testid="listings-panel"][data-tab="${state}"]`).waitFor();
    };
    // The sync is over (succeeded or failed) and its result shown; a merchant's action starts one: give it a moment.
    const syncEnded = async () => {
      await page.waitForTimeout(1500);
      await frame
        .locator('[data-testid="listings-section"][data-sync-status="SUCCEEDED"], [data-testid="listings-section"][data-sync-status="FAILED"]')
        .waitFor({ timeout: SYNC_TIMEOUT });
      return section().getAttribute("data-sync-status");
    };

    await heading().scrollIntoViewIfNeeded();
    await page.waitForTimeout(300);
    const before = await section().getAttribute("data-sync-status");
    await shot(page, "10l-listings-before");
    await axe(frame, "listings section (before a sync)", "en-light");

    // Listing settings: hold new offers in Ready to list (the merchant lists them), saved with the save bar.
    await frame.getByTestId("listings-settings").click();
    await frame.getByRole("heading", { name: "Listing settings" }).waitFor();
    await frame.getByLabel("When a product can be listed").selectOption("hold");
    await page.waitForTimeout(300);
    await shot(page, "10m-listing-settings");
    await axe(frame, "listing settings", "en-light");
    const save = frame.getByTestId("savebar-save");
    // The save bar is always there; its Save is enabled once a field changed (already "hold" on a rerun: nothing to save).
    const dirty = await save.isEnabled();
    if (dirty) {
      await save.click();
      // Saved: Save is disabled again (the form is no longer dirty); a failed save keeps it enabled, with the error.
      const done = await frame.locator('[data-testid="savebar-save"]:disabled').waitFor({ timeout: 15_000 }).then(() => true, () => false);
      await page.waitForTimeout(500);
      if (!done || (await save.isEnabled())) throw new Error(`listing settings not saved: ${JSON.stringify(await toasts(page))}`);
    }
    const settingsToasts = await toasts(page);
    await frame.getByRole("link", { name: opt["store-name"] }).first().click();
    await frame.getByTestId("store-detail").waitFor();

    // Sync now, until the run after the current one ends.
    await heading().scrollIntoViewIfNeeded();
    const previous = await section().getAttribute("data-sync-id");
    await frame.getByTestId("listings-sync").click();
    await frame.locator(`[data-testid="listings-section"]:not([data-sync-id="${previous}"])`).waitFor({ timeout: 30_000 });
    const syncStatus = await syncEnded();
    const syncState = (await frame.getByTestId("listings-sync-state").textContent().catch(() => "")).trim();
    if (syncStatus !== "SUCCEEDED") throw new Error(`the listings sync ${syncStatus}: ${syncState}`);
    const counts = await tabCounts();
    await heading().scrollIntoViewIfNeeded();
    await page.waitForTimeout(500);
    await shot(page, "10n-listings-synced");
    await axe(frame, "listings section (after a sync, tabs with counts)", "en-light");

    // List one offer from Ready to list (bulk List), if the match gave any variant an ASIN.
    let listed = null;
    if ((counts.READY_TO_LIST || 0) > 0) {
      await openTab("READY_TO_LIST");
      const rows = frame.locator('[data-testid="listings-table"] tbody tr');
      await rows.first().waitFor();
      // A row whose checkbox is enabled (the seller's FBA offers are shown, never changed).
      const row = rows.filter({ has: frame.locator('input[type="checkbox"]:not([disabled])') }).first();
      const sku = await row.getAttribute("data-sku");
      await row.getByRole("checkbox").check();
      await frame.getByTestId("listings-bulk").getByRole("button", { name: "List (1)" }).click();
      await frame.getByText(/go(es)? to Amazon/).first().waitFor({ timeout: 30_000 });
      const afterList = await syncEnded();
      // On Amazon: the emulator's seller now has an offer with that SKU (Amazon takes a moment to make it live).
      let offer = null;
      for (let attempt = 0; attempt < 60 && !offer; attempt += 1) {
        offer = (await amazonOffers(opt.emulator)).find((o) => o.sku === sku) || null;
        if (!offer) await page.waitForTimeout(2000);
      }
      if (!offer) throw new Error(`${sku} was listed but the emulated Amazon has no offer with that SKU (sync ${afterList})`);
      // The section: the offer leaves Ready to list for Active (or Inactive while Amazon makes it buyable; Error with Amazon's issue).
      await frame.getByLabel("Search product, seller SKU or ASIN").fill(sku);
      let state = null;
      for (let attempt = 0; attempt < 20 && !state; attempt += 1) {
        for (const candidate of ["ACTIVE", "INACTIVE", "ERROR"]) {
          if (!(await frame.locator(`[role="tab"][data-state="${candidate}"]`).count())) continue;
          await openTab(candidate);
          const found = frame.locator(`[data-testid="listings-table"] tbody tr[data-sku="${sku}"]`);
          if (await found.waitFor({ timeout: 1500 }).then(() => true, () => false)) {
            state = candidate;
            break;
          }
        }
      }
      await heading().scrollIntoViewIfNeeded();
      await page.waitForTimeout(300);
      await shot(page, "10q-listings-listed");
      listed = {
        sku,
        asin: offer.asin,
        onAmazon: { price: offer.price, currency: offer.currency, quantity: offer.quantity, status: offer.status, pending: offer.pending },
        tab: state,
      };
      if (!state) throw new Error(`${sku} is on Amazon (${JSON.stringify(listed.onAmazon)}) but in no tab of the section`);
    }

    // A listing's drawer: the listed one, else the first row of any tab that has one.
    let drawerOf = null;
    const nonEmpty = Object.entries(await tabCounts()).filter(([, n]) => n > 0).map(([s]) => s);
    if (listed) {
      drawerOf = { sku: listed.sku, tab: listed.tab };
    } else if (nonEmpty.length) {
      await openTab(nonEmpty[0]);
      const first = frame.locator('[data-testid="listings-table"] tbody tr').first();
      await first.waitFor();
      drawerOf = { sku: await first.getAttribute("data-sku"), tab: nonEmpty[0] };
    }
    let drawerText = null;
    if (drawerOf) {
      await frame.locator(`[data-testid="listings-table"] tbody tr[data-sku="${drawerOf.sku}"]`).first().getByTestId("listing-open").click();
      const drawer = frame.getByTestId("listing-drawer");
      await drawer.waitFor();
      await page.waitForTimeout(500);
      drawerText = (await drawer.getByTestId("listing-offer").textContent().catch(() => "")).replace(/\s+/g, " ").slice(0, 160);
      await shot(page, "10r-listing-drawer");
      await axe(frame, "listing drawer", "en-light");
      await drawer.getByTestId("dialog-close").click();
      await drawer.waitFor({ state: "hidden" });
    }
    await frame.getByLabel("Search product, seller SKU or ASIN").fill("").catch(() => undefined);
    frame = await extensionFrame(page);
    await frame.getByTestId("store-detail").waitFor();

    const note = listed
      ? undefined
      : (counts.READY_TO_LIST || 0) === 0
        ? "the catalog match gave no variant an ASIN (populatedb's catalog): nothing in Ready to list, nothing listed"
        : undefined;
    return { before, settingsSaved: dirty, settingsToasts, syncStatus, syncState, counts, listed, drawer: drawerOf && { ...drawerOf, offer: drawerText }, note };
  });
}
