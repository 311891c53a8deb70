// The Amazon listings section in the real Dashboard (issue 18), steps of scripts/walk-real-dashboard.mjs run on the
// connected store's page after the catalog match (10c, on the items 10b put on the emulated Amazon for Saleor's
// variants) and the orders walk. Through the extension's UI, each result checked on the emulated Amazon (its control
// routes: what Amazon holds, not what the plugin thinks) against Saleor's own values (its API):
//   10l  Listing settings (hold new offers in Ready to list), Sync now, the tabs with their counts;
//   10q  the walk's offers listed (bulk List): Active on Amazon with Saleor's price in the channel and Saleor's stock;
//   10r  a listing's drawer (Saleor's offer next to Amazon's);
//   10s  a price and a stock level changed in Saleor (its API, as the Dashboard's variant page saves them): Amazon follows;
//   10t  an offer ended (gone from Amazon) and relisted (back);
//   10u  the multiple match fixed by picking its ASIN in the drawer, then listed on that ASIN;
//   10v  the Errors tab: Amazon's issue (a restricted brand) in its words.
// axe (en, light) on the section, the settings, the drawer, the ASIN picker and the Errors tab.
// Model: dashboard-extension/e2e/listings.test.mjs (on the demo).
import { amazonFollows, amazonOffers, brief } from "./amazon.mjs";
import { available, inChannel } from "./saleor.mjs";

const SYNC_TIMEOUT = 240_000;
const SEARCH = "Search product, seller SKU or ASIN";

/** The section's helpers on the store page's frame (the frame of the moment: `frame()` finds it again). */
export function listingsUi(page, extensionFrame) {
  const frame = () => extensionFrame(page);
  const section = async () => (await frame()).getByTestId("listings-section");
  const ui = {
    frame,
    async heading() {
      const f = await frame();
      await f.getByRole("heading", { name: "Amazon listings" }).scrollIntoViewIfNeeded();
      return f;
    },
    async tabCounts() {
      const f = await frame();
      return Object.fromEntries(
        await f.locator('[role="tab"][data-state]').evaluateAll((tabs) => tabs.map((t) => [t.dataset.state, Number(t.dataset.count || 0)])),
      );
    },
    async openTab(state) {
      const f = await frame();
      await f.locator(`[role="tab"][data-state="${state}"]`).click();
      await f.locator(`[data-testid="listings-panel"][data-tab="${state}"]`).waitFor();
    },
    /** The sync is over (succeeded or failed); a merchant's action starts one: give it a moment to show. */
    async syncEnded() {
      await page.waitForTimeout(1500);
      const f = await frame();
      await f
        .locator('[data-testid="listings-section"][data-sync-status="SUCCEEDED"], [data-testid="listings-section"][data-sync-status="FAILED"]')
        .waitFor({ timeout: SYNC_TIMEOUT });
      const status = await (await section()).getAttribute("data-sync-status");
      if (status !== "SUCCEEDED") {
        const state = (await f.getByTestId("listings-sync-state").textContent().catch(() => "")).trim();
        // Saleor runs the plugin's tasks inline here (no broker): a sync waits for Amazon in a loop
        // (core/waits.py). A failed sync is a failure of the walk, never synced around.
        throw new Error(`the listings sync ${status}: ${state}`);
      }
      return status;
    },
    /** Syncs that failed (none: a failed sync fails the step), kept in the steps' results. */
    syncFailures: [],
    takeSyncFailures() {
      return ui.syncFailures.splice(0);
    },
    /** Sync now (after the one running, if any), until that run ends. */
    async syncNow() {
      const f = await frame();
      await f
        .locator('[data-testid="listings-section"]:not([data-sync-status="RUNNING"]):not([data-sync-status="PENDING"])')
        .waitFor({ timeout: SYNC_TIMEOUT });
      const previous = await (await section()).getAttribute("data-sync-id");
      await f.getByTestId("listings-sync").click();
      await f.locator(`[data-testid="listings-section"]:not([data-sync-id="${previous}"])`).waitFor({ timeout: 30_000 });
      return ui.syncEnded();
    },
    /** The tab `state` searched for `text`, until its rows show all of `skus` (when given) or `text` (a SKU). */
    async search(state, text, { skus = null } = {}) {
      const f = await frame();
      await ui.openTab(state);
      await f.getByLabel(SEARCH).fill(text);
      const deadline = Date.now() + 30_000;
      for (;;) {
        const shown = await f.locator('[data-testid="listings-table"] tbody tr[data-sku]').evaluateAll((rows) => rows.map((r) => r.dataset.sku));
        const ok = skus ? skus.every((sku) => shown.includes(sku)) : shown.includes(text);
        if (ok) return shown;
        if (Date.now() > deadline) throw new Error(`${state} searched for "${text}" shows ${JSON.stringify(shown)}, not ${JSON.stringify(skus || [text])}`);
        await page.waitForTimeout(300);
      }
    },
    async clearSearch() {
      await (await frame()).getByLabel(SEARCH).fill("");
    },
    /** A listing's drawer, from the tab `state` searched for its SKU. */
    async openListing(sku, state) {
      await ui.search(state, sku);
      const f = await frame();
      await f.locator(`[data-testid="listings-table"] tbody tr[data-sku="${sku}"]`).getByTestId("listing-open").click();
      const drawer = f.getByTestId("listing-drawer");
      await drawer.waitFor();
      return drawer;
    },
    async closeDrawer() {
      const drawer = (await frame()).getByTestId("listing-drawer");
      await drawer.getByTestId("dialog-close").click();
      await drawer.waitFor({ state: "hidden" });
    },
    /** The section as a step starts: no drawer open (a failed step may leave one), no search. */
    async fresh() {
      const drawer = (await frame()).getByTestId("listing-drawer");
      if (await drawer.isVisible().catch(() => false)) await ui.closeDrawer();
      await ui.clearSearch();
    },
    /** Which of `states` (tabs) shows the listing `sku`, polled while Amazon's answers come in. */
    async tabOf(sku, states, timeout = 60_000) {
      const f = await frame();
      await f.getByLabel(SEARCH).fill(sku);
      const deadline = Date.now() + timeout;
      while (Date.now() < deadline) {
        for (const state of states) {
          if (!(await f.locator(`[role="tab"][data-state="${state}"]`).count())) continue;
          // Another tab first: opening the tab again reads its page again.
          if (states.length === 1) await ui.openTab(state === "ACTIVE" ? "INCOMPLETE" : "ACTIVE");
          await ui.openTab(state);
          const row = f.locator(`[data-testid="listings-table"] tbody tr[data-sku="${sku}"]`);
          if (await row.waitFor({ timeout: 1500 }).then(() => true, () => false)) return state;
        }
      }
      return null;
    },
  };
  return ui;
}

/** What Saleor says an offer of the variant should be: its price in the channel, what it can sell. */
async function saleorOffer(saleor, sell, sku) {
  const variant = await saleor.variant(sell.variants[sku].id);
  const listing = inChannel(variant, sell.channel.id);
  return { price: Number(listing.price.amount), cost: listing.costPrice ? Number(listing.costPrice.amount) : null, quantity: available(variant, sell.warehouses), variant };
}

/** Amazon's live offer of `sku` has `want`'s price and quantity (and is buyable when the quantity is not 0). */
function matches(offer, want) {
  return (
    !!offer &&
    !offer.pending &&
    Number(offer.price) === want.price &&
    offer.quantity === want.quantity &&
    (want.quantity === 0 || offer.status.includes("BUYABLE"))
  );
}

export async function walkListings({ page, step, extensionFrame, shot, axe, toasts, opt, saleor, sell }) {
  const ui = listingsUi(page, extensionFrame);
  const skus = (role) => Object.values(sell.variants || {}).filter((v) => role(v.role)).map((v) => v.sku);
  // Offered at once on Amazon: every variant of the walk's products but the multiple match and the restricted brand.
  const offered = () => skus((role) => !["multiple", "restricted"].includes(role));
  let counts = {};

  await step("10l Amazon listings: settings (hold in Ready to list), Sync now, the tabs with their counts", async () => {
    let frame = await ui.heading();
    await page.waitForTimeout(300);
    const before = await frame.getByTestId("listings-section").getAttribute("data-sync-status");
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
    await frame.getByRole("link", { name: opt["store-name"] }).first().click();
    await frame.getByTestId("store-detail").waitFor();

    await ui.heading();
    await ui.syncNow();
    counts = await ui.tabCounts();
    frame = await ui.heading();
    await page.waitForTimeout(500);
    await shot(page, "10n-listings-synced");
    await axe(frame, "listings section (after a sync, tabs with counts)", "en-light");
    if (!(counts.READY_TO_LIST > 0)) throw new Error(`nothing in Ready to list after the catalog match: ${JSON.stringify(counts)}`);
    return { before, settingsSaved: dirty, counts, syncFailures: ui.takeSyncFailures() };
  });

  await step("10q List the walk's offers (bulk List): Active on Amazon with Saleor's price and stock", async () => {
    await ui.fresh();
    const frame = await ui.frame();
    const listed = {};
    // A page of Ready to list per product (its name searched), every row selected, listed at once.
    for (const key of ["a", "b"]) try {
      const product = sell.products[key];
      const ready = product.skus.filter((sku) => sell.variants[sku].role !== "multiple");
      // The page may show more of the product's variants (the emulator's own catalog knows some SKUs): listed too.
      const shown = await ui.search("READY_TO_LIST", product.name, { skus: ready });
      // At the top of the frame: the Dashboard's announcement card covers its bottom left corner.
      await frame.getByTestId("listings-bulk").evaluate((bar) => bar.scrollIntoView({ block: "start" }));
      const list = frame.locator('[data-testid="listings-bulk"] button[data-action="list"]');
      // The section reads its page again while a sync runs (the previous List started one), which may clear a
      // selection made just before: selected again until List takes it.
      let label = null;
      for (let attempt = 0; attempt < 5 && !label; attempt += 1) {
        await frame.getByLabel("Select all on this page").check();
        const text = (await list.textContent()).trim();
        label = await list.click({ timeout: 3_000 }).then(() => text, () => null);
      }
      if (!label) {
        const selected = await frame.getByTestId("listings-selected").textContent().catch(() => "?");
        throw new Error(`${product.name}: List stays disabled (${(await list.textContent().catch(() => "?")).trim()}; ${selected}; rows ${shown.join(",")})`);
      }
      await frame.getByText(/go(es)? to Amazon/).first().waitFor({ timeout: 30_000 });
      // Done: the selection is cleared (List disabled again), or the rows left the page.
      await frame
        .locator('[data-testid="listings-bulk"] button[data-action="list"][disabled]')
        .or(frame.getByTestId("listings-empty"))
        .first()
        .waitFor({ timeout: 30_000 });
      listed[product.name] = `${label} of ${shown.length} rows`;
      await ui.syncEnded();
    } catch (error) {
      // What Playwright waited for (its call log: not enabled, covered by another element...), and the screen.
      await shot(page, `10q-failed-${key}`);
      throw new Error(`product ${key}: ${String(error.message).split("\n").filter(Boolean).slice(0, 8).join(" | ")}`);
    }
    await ui.clearSearch();
    // On Amazon: each offer live with Saleor's price in the channel and what Saleor can sell.
    const want = Object.fromEntries(await Promise.all(offered().map(async (sku) => [sku, await saleorOffer(saleor, sell, sku)])));
    const offers = await amazonFollows(opt.emulator, (o) => offered().every((sku) => matches(o[sku], want[sku])), "showed Saleor's prices and stock", { skus: offered() });
    // In the section: Active.
    const sku = sell.roles.price;
    const tab = await ui.tabOf(sku, ["ACTIVE", "INACTIVE", "ERROR"]);
    if (tab !== "ACTIVE") throw new Error(`${sku} is live on Amazon but in the ${tab} tab`);
    counts = await ui.tabCounts();
    await ui.heading();
    await page.waitForTimeout(300);
    await shot(page, "10q-listings-active");
    await axe(frame, "listings section (Active)", "en-light");
    await ui.clearSearch();
    return {
      listed,
      counts,
      syncFailures: ui.takeSyncFailures(),
      onAmazon: Object.fromEntries(offered().map((s) => [s, { saleor: { price: want[s].price, quantity: want[s].quantity }, amazon: brief(offers[s]) }])),
    };
  });

  await step("10r A listing's drawer: Saleor's offer next to Amazon's", async () => {
    await ui.fresh();
    const drawer = await ui.openListing(sell.roles.price, "ACTIVE");
    await page.waitForTimeout(500);
    const text = (await drawer.getByTestId("listing-offer").textContent()).replace(/\s+/g, " ");
    if (!/Saleor wants.*On Amazon/.test(text)) throw new Error(`the drawer's offer: ${text.slice(0, 200)}`);
    await shot(page, "10r-listing-drawer");
    await axe(await ui.frame(), "listing drawer", "en-light");
    await ui.closeDrawer();
    await ui.clearSearch();
    return { sku: sell.roles.price, offer: text.slice(0, 200) };
  });

  await step("10s Saleor: a new price and a lower stock level (its API, as the variant page saves them); Sync; Amazon follows", async () => {
    await ui.fresh();
    const priced = await saleorOffer(saleor, sell, sell.roles.price);
    const newPrice = Math.round((priced.price + 4.5) * 100) / 100;
    await saleor.setChannelPrice(priced.variant.id, sell.channel.id, newPrice);
    // 7 left to sell: in the first warehouse counted for the US, none in the others counted.
    const stocked = await saleorOffer(saleor, sell, sell.roles.stock);
    const counted = stocked.variant.stocks.filter((stock) => sell.warehouses.has(stock.warehouse.id));
    await saleor.setStocks(
      stocked.variant.id,
      counted.map((stock, index) => ({ warehouse: stock.warehouse.id, quantity: stock.quantityAllocated + (index === 0 ? 7 : 0) })),
    );
    const want = {
      [sell.roles.price]: await saleorOffer(saleor, sell, sell.roles.price),
      [sell.roles.stock]: await saleorOffer(saleor, sell, sell.roles.stock),
    };
    if (want[sell.roles.price].price !== newPrice || want[sell.roles.stock].quantity !== 7) {
      throw new Error(`Saleor did not take the changes: ${JSON.stringify(Object.values(want).map((w) => [w.price, w.quantity]))}`);
    }
    await ui.heading();
    await ui.syncNow();
    const offers = await amazonFollows(opt.emulator, (o) => Object.entries(want).every(([sku, w]) => matches(o[sku], w)), "followed Saleor's new price and stock", { skus: Object.keys(want) });
    await shot(page, "10s-after-saleor-changes");
    return {
      syncFailures: ui.takeSyncFailures(),
      price: { sku: sell.roles.price, before: priced.price, saleor: newPrice, amazon: brief(offers[sell.roles.price]) },
      stock: { sku: sell.roles.stock, before: stocked.quantity, saleor: want[sell.roles.stock].quantity, amazon: brief(offers[sell.roles.stock]) },
    };
  });

  await step("10t End an offer (Amazon removes it) and relist it (back on Amazon)", async () => {
    await ui.fresh();
    const sku = sell.roles.end;
    const frame = await ui.frame();
    const drawer = await ui.openListing(sku, "ACTIVE");
    await drawer.getByRole("button", { name: "End listing" }).click();
    await drawer.getByText("1 listing ended").waitFor({ timeout: 30_000 });
    await frame.locator('[data-testid="listing-drawer"][data-state="ENDED"]').waitFor({ timeout: 30_000 });
    await shot(page, "10t-listing-ended");
    await amazonFollows(opt.emulator, (o) => !o[sku], `removed ${sku}`, { skus: [sku] });
    await drawer.getByRole("button", { name: "Relist" }).click();
    await drawer.getByText("1 listing relisted.").waitFor({ timeout: 30_000 });
    const want = await saleorOffer(saleor, sell, sku);
    const offers = await amazonFollows(opt.emulator, (o) => matches(o[sku], want), `put ${sku} back`, { skus: [sku] });
    await shot(page, "10t-listing-relisted");
    await ui.closeDrawer();
    await ui.clearSearch();
    return { sku, endedThenRelisted: brief(offers[sku]) };
  });

  await step("10u Incomplete: a multiple match fixed by picking its ASIN in the drawer, then listed on it", async () => {
    await ui.fresh();
    const sku = sell.roles.multiple;
    const frame = await ui.frame();
    const drawer = await ui.openListing(sku, "INCOMPLETE");
    const reason = (await frame.locator(`[data-testid="listings-table"] tbody tr[data-sku="${sku}"]`).textContent()).replace(/\s+/g, " ");
    const picker = drawer.getByTestId("listing-asin-picker");
    await picker.getByRole("radio").nth(1).waitFor({ timeout: 30_000 });
    const candidates = await picker.getByRole("radio").evaluateAll((radios) => radios.map((r) => r.value));
    const asin = candidates[1];
    await picker.getByRole("radio").nth(1).check();
    await page.waitForTimeout(300);
    await shot(page, "10u-pick-asin");
    await axe(frame, "listing drawer (pick the ASIN)", "en-light");
    await drawer.getByTestId("listing-assign-asin").click();
    await drawer.getByText(`The listing now goes on ${asin}.`).waitFor({ timeout: 30_000 });
    // Ready to list (new offers are held): listed from the drawer.
    await frame.locator('[data-testid="listing-drawer"][data-state="READY_TO_LIST"]').waitFor({ timeout: 30_000 });
    await drawer.getByRole("button", { name: "List on Amazon" }).click();
    await drawer.getByText("1 listing goes to Amazon.").waitFor({ timeout: 30_000 });
    const want = await saleorOffer(saleor, sell, sku);
    const offers = await amazonFollows(opt.emulator, (o) => matches(o[sku], want) && o[sku].asin === asin, `listed ${sku} on ${asin}`, { skus: [sku] });
    await ui.closeDrawer();
    await ui.clearSearch();
    return { sku, reason: reason.slice(0, 120), candidates, picked: asin, amazon: brief(offers[sku]) };
  });

  await step("10v Errors tab: Amazon's issue in its words (a brand the seller is not approved for)", async () => {
    await ui.fresh();
    const sku = sell.roles.restricted;
    const tab = await ui.tabOf(sku, ["ERROR"]);
    if (tab !== "ERROR") throw new Error(`${sku} (a restricted brand) is not in the Errors tab`);
    const frame = await ui.frame();
    await frame.locator(`[data-testid="listings-table"] tbody tr[data-sku="${sku}"]`).getByTestId("listing-open").click();
    const drawer = frame.getByTestId("listing-drawer");
    const issue = drawer.getByTestId("listing-issue").first();
    await issue.waitFor({ timeout: 30_000 });
    const text = (await issue.textContent()).replace(/\s+/g, " ").trim();
    const code = await issue.getAttribute("data-code");
    if (text.length < 20) throw new Error(`Amazon's issue: "${text}"`);
    await page.waitForTimeout(300);
    await shot(page, "10v-errors-issue");
    await axe(frame, "listing drawer (Errors tab: Amazon's issue)", "en-light");
    await ui.closeDrawer();
    await ui.clearSearch();
    counts = await ui.tabCounts();
    return { sku, code, issue: text.slice(0, 200), onAmazon: (await amazonOffers(opt.emulator))[sku] ? "an offer" : "no offer", counts };
  });
}
