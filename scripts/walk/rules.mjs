// The rules screens in the real Saleor Dashboard (issue 19), a step of scripts/walk-real-dashboard.mjs:
// the store's listing rules (the category of the walk's product A, from Saleor's own catalog, in the condition
// builder; the preview with its counts; saved), then on the emulated Amazon the offers out of scope (product B)
// at quantity 0 and still listed, those in scope unchanged; a price rule (+15% rounded up to .99, floor at cost +
// 10%; one variant given a cost price through Saleor's API) in the list, then Amazon's prices: channel price + 15%
// rounded up to .99, or the floor; then every rules screen in en/fr × light/dark with axe. The walk passes its
// helpers in `walk`; `sell` is what the catalog step (scripts/walk/amazon-catalog.mjs) put on Amazon.
import { amazonFollows, brief } from "./amazon.mjs";
import { listingsUi } from "./listings.mjs";
import { available, inChannel } from "./saleor.mjs";

/** The price rule's price, in cents: +15% (half up), up to the next .99, at least cost + 10% (rounded up). */
export function ruledCents(priceCents, costCents) {
  const adjusted = Math.floor((priceCents * 115 + 50) / 100);
  const base = Math.floor((adjusted - 99) / 100) * 100 + 99;
  const rounded = base >= adjusted ? base : base + 100;
  const floor = costCents == null ? null : Math.ceil((costCents * 110) / 100);
  return floor != null && rounded < floor ? floor : rounded;
}

const cents = (amount) => Math.round(Number(amount) * 100);

export async function walkRules(walk) {
  const { step, page, extensionFrame, axe, shot, setDashboardPrefs, appPageUrl, storeId, saleor, sell, opt } = walk;
  if (!storeId) return;
  const store = `${appPageUrl}/stores/${encodeURIComponent(storeId)}`;
  const ui = listingsUi(page, extensionFrame);
  const inScope = () => sell.products.a.skus.filter((sku) => !["restricted"].includes(sell.variants[sku].role));
  const outOfScope = () => sell.products.b.skus;
  /** Saleor's variant as the rules read it: price and cost price in the channel, what it can sell. */
  const saleorOf = async (sku) => {
    const variant = await saleor.variant(sell.variants[sku].id);
    const listing = inChannel(variant, sell.channel.id);
    return { variant, price: listing.price.amount, cost: listing.costPrice?.amount ?? null, quantity: available(variant, sell.warehouses) };
  };
  let ruleId = null;

  await step("10f Listing rules: one category of Saleor's catalog, the preview, save", async () => {
    await page.goto(store);
    let frame = await extensionFrame(page);
    await frame.getByTestId("rules-section").scrollIntoViewIfNeeded();
    await page.waitForTimeout(500);
    await shot(page, "10f-rules-section");
    await frame.getByTestId("rules-listing-open").click();
    frame = await extensionFrame(page);
    await frame.getByTestId("listing-rules").waitFor();
    await frame.getByTestId("condition-add").click();
    const values = frame.getByTestId("condition-row").first().getByTestId("condition-values");
    // Saleor's categories (populatedb's), read by the extension from Saleor's API: the walk's product A's.
    const wanted = sell.products.a.category;
    await values.locator(`option[value="${wanted.id}"]`).waitFor({ state: "attached", timeout: 30_000 });
    await values.selectOption(wanted.id);
    const category = { value: wanted.id, name: wanted.name };
    await frame.getByTestId("rules-preview").click();
    await frame.getByTestId("rules-preview-result").waitFor({ timeout: 60_000 });
    const counts = Object.fromEntries(
      await frame.getByTestId("rules-preview-count").evaluateAll((buttons) => buttons.map((b) => [b.dataset.list, Number(b.dataset.count)])),
    );
    await page.waitForTimeout(500);
    await shot(page, "10g-listing-rules-preview");
    await axe(frame, "listing rules (preview)", "en-light");
    await frame.getByTestId("savebar-save").click();
    // Saved: the draft is the saved rule (the save bar has nothing left to save).
    await frame.locator('[data-testid="savebar-save"][disabled]').waitFor({ timeout: 30_000 });
    await shot(page, "10h-listing-rules-saved");
    return { category: category.name, counts, url: page.url() };
  });

  await step("10g On Amazon: the offers out of scope at quantity 0, still listed; those in scope unchanged", async () => {
    await page.goto(store);
    await (await extensionFrame(page)).getByTestId("store-detail").waitFor();
    await ui.heading();
    await ui.syncNow();
    const want = Object.fromEntries(await Promise.all(inScope().map(async (sku) => [sku, (await saleorOf(sku)).quantity])));
    const offers = await amazonFollows(
      opt.emulator,
      (o) => outOfScope().every((sku) => o[sku]?.asin && !o[sku].pending && o[sku].quantity === 0)
        && inScope().every((sku) => o[sku] && !o[sku].pending && o[sku].quantity === want[sku]),
      "dropped the out-of-scope offers to 0 and kept the others",
      { skus: [...outOfScope(), ...inScope()] },
    );
    const tab = await ui.tabOf(outOfScope()[0], ["INELIGIBLE"]);
    if (tab !== "INELIGIBLE") throw new Error(`${outOfScope()[0]} (out of scope) is not in the Ineligible tab`);
    await ui.heading();
    await page.waitForTimeout(300);
    await shot(page, "10g-rules-out-of-scope");
    await ui.clearSearch();
    return {
      syncFailures: ui.takeSyncFailures(),
      outOfScope: Object.fromEntries(outOfScope().map((sku) => [sku, brief(offers[sku])])),
      inScope: Object.fromEntries(inScope().slice(0, 3).map((sku) => [sku, brief(offers[sku])])),
    };
  });

  let costGiven = null;
  await step("10i Price rule: +15% up to .99, floor at cost + 10%; the list", async () => {
    // populatedb's variants have no cost price: one gets one (Saleor's API), high enough for its floor to win.
    const costly = await saleorOf(sell.roles.cost);
    const cost = (cents(costly.price) * 1.1 / 100).toFixed(2);
    await saleor.setChannelPrice(costly.variant.id, sell.channel.id, costly.price, cost);
    costGiven = { sku: sell.roles.cost, price: costly.price, cost };
    await page.goto(`${store}/price-rules/new`);
    const frame = await extensionFrame(page);
    await frame.getByTestId("price-rule-form").waitFor({ timeout: 30_000 });
    await frame.getByLabel("Name", { exact: true }).fill("Amazon fees (walk)");
    await frame.getByLabel("Amount", { exact: true }).fill("15");
    await frame.getByLabel("Rounding").selectOption("UP");
    await frame.getByLabel("Floor", { exact: true }).selectOption("COST_MARGIN");
    await frame.getByLabel("Margin over the cost price (%)").fill("10");
    await page.waitForTimeout(300);
    await shot(page, "10i-price-rule-form");
    await axe(frame, "price rule form", "en-light");
    await frame.getByTestId("savebar-save").click();
    const row = frame.locator('[data-testid="price-rules-table"] tbody tr[data-name="Amazon fees (walk)"]');
    await row.waitFor({ timeout: 30_000 });
    ruleId = await row.getAttribute("data-rule-id");
    await page.waitForTimeout(500);
    await shot(page, "10j-price-rules");
    await axe(frame, "price rules", "en-light");
    return { priority: await row.getAttribute("data-priority"), text: (await row.textContent()).trim(), costGiven };
  });

  await step("10j On Amazon: prices follow the rule (+15% up to .99, or the floor at cost + 10%)", async () => {
    await page.goto(store);
    await (await extensionFrame(page)).getByTestId("store-detail").waitFor();
    await ui.heading();
    await ui.syncNow();
    const priced = inScope();
    const want = {};
    for (const sku of priced) {
      const variant = await saleorOf(sku);
      want[sku] = { price: variant.price, cost: variant.cost, ruled: ruledCents(cents(variant.price), variant.cost == null ? null : cents(variant.cost)) };
    }
    const offers = await amazonFollows(opt.emulator, (o) => priced.every((sku) => o[sku] && !o[sku].pending && cents(o[sku].price) === want[sku].ruled), "followed the price rule", { skus: priced });
    const floor = want[sell.roles.cost];
    if (floor.cost == null || floor.ruled !== Math.ceil((cents(floor.cost) * 110) / 100)) {
      throw new Error(`${sell.roles.cost}'s price is not its floor: ${JSON.stringify(floor)}`);
    }
    await shot(page, "10j-prices-followed");
    const show = (sku) => ({ saleor: want[sku].price, cost: want[sku].cost, amazon: offers[sku].price });
    return { ruled: show(sell.roles.price), floor: show(sell.roles.cost), others: priced.length - 2, syncFailures: ui.takeSyncFailures() };
  });

  for (const [locale, theme] of [["en", "dark"], ["fr", "light"], ["fr", "dark"]]) {
    const combo = `${locale}-${theme}`;
    await step(`10k ${combo}: the rules screens`, async () => {
      await setDashboardPrefs(page, { locale, theme });
      const screens = [
        ["listing rules (preview)", "/listing-rules", async (f) => {
          await f.getByTestId("condition-row").first().waitFor();
          await f.getByTestId("rules-preview").click();
          await f.getByTestId("rules-preview-result").waitFor({ timeout: 60_000 });
        }],
        ["price rules", "/price-rules", async (f) => f.getByTestId("price-rules-table").waitFor()],
        ...(ruleId ? [["price rule form", `/price-rules/${encodeURIComponent(ruleId)}`, async (f) => f.getByTestId("price-rule-form").waitFor()]] : []),
      ];
      for (const [screen, sub, ready] of screens) {
        await page.goto(`${store}${sub}`);
        const frame = await extensionFrame(page);
        await ready(frame);
        await page.waitForTimeout(800);
        await shot(page, `${combo}-${screen.replace(/\W+/g, "-")}`);
        await axe(frame, screen, combo);
      }
    });
  }
  await setDashboardPrefs(page, { locale: "en", theme: "light" });
}
