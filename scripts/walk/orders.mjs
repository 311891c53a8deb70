// The Amazon orders screens in the real Dashboard (issue 20), one step of scripts/walk-real-dashboard.mjs, run on
// the connected store's page (after the catalog match, before Disconnect): the store page's Amazon orders section
// (empty), the order settings screen (import from yesterday, saved with the save bar), two orders placed on the
// Amazon emulator (a SKU of a Saleor variant the catalog match listed, and an unknown one), "Read orders from
// Amazon", the section with the imported order and the waiting one (its reason), and the Saleor order's link, which
// must open Saleor's own order page in the Dashboard (not the app's frame). axe (en, light) on each screen.

/** The emulator's demo seller, whom the walk signs in as (seller@example.com). */
const SELLER_ID = "A2DEMOSELLER01";
const US = "ATVPDKIKX0DER";
const UNKNOWN_SKU = "WALK-UNKNOWN-SKU";

async function placeOrder(emulator, sku) {
  const response = await fetch(`${emulator.replace(/\/$/, "")}/_emulator/orders`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    // Placed five minutes ago: past Amazon's two-minute rule, so one poll reads it.
    body: JSON.stringify({
      selling_partner_id: SELLER_ID,
      marketplace_id: US,
      status: "Unshipped",
      created_seconds_ago: 300,
      items: [{ seller_sku: sku, quantity: 1, unit_price: "20.00", item_tax: "1.60" }],
    }),
  });
  if (!response.ok) throw new Error(`emulator: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()).order.orderId;
}

function localDay(date) {
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, "0")}-${String(date.getDate()).padStart(2, "0")}`;
}

export async function walkOrders({ page, step, extensionFrame, shot, axe, toasts, opt }) {
  await step("10o Amazon orders: order settings, read from Amazon, a waiting order, the Saleor order's page", async () => {
    let frame = await extensionFrame(page);
    const section = frame.getByTestId("orders-section");
    await frame.getByRole("heading", { name: "Amazon orders" }).scrollIntoViewIfNeeded();
    await page.waitForTimeout(300);
    await shot(page, "10o-orders-empty");
    await axe(frame, "orders section (empty)", "en-light");

    await frame.getByTestId("orders-settings").click();
    await frame.getByTestId("order-settings").waitFor();
    await frame.getByLabel("Import orders placed from").fill(localDay(new Date(Date.now() - 86_400_000)));
    await page.waitForTimeout(300);
    await shot(page, "10p-order-settings");
    await axe(frame, "order settings", "en-light");
    await frame.getByTestId("savebar-save").click();
    await frame.getByTestId("savebar-save").waitFor({ state: "detached", timeout: 15_000 }).catch(() => undefined);
    const saved = await toasts(page);
    await frame.getByRole("link", { name: opt["store-name"] }).first().click();
    await frame.getByTestId("store-detail").waitFor();

    // A SKU of a Saleor variant (the catalog match lists the channel's variants with theirs).
    const sku = await frame.locator('[data-testid="catalog-table"] tbody tr[data-sku]:not([data-sku=""])').first().getAttribute("data-sku");
    if (!sku) throw new Error("the catalog section lists no variant SKU to order");
    const known = await placeOrder(opt.emulator, sku);
    const unknown = await placeOrder(opt.emulator, UNKNOWN_SKU);

    await frame.getByRole("heading", { name: "Amazon orders" }).scrollIntoViewIfNeeded();
    await frame.getByTestId("orders-read").click();
    const row = (id) => frame.locator(`[data-testid="orders-table"] tbody tr[data-amazon-order-id="${id}"]`);
    await row(known).waitFor({ timeout: 120_000 });
    await row(unknown).waitFor({ timeout: 30_000 });
    await frame.getByRole("heading", { name: "Amazon orders" }).scrollIntoViewIfNeeded();
    await page.waitForTimeout(500);
    await shot(page, "10h-orders");
    await axe(frame, "orders section (an imported and a waiting order)", "en-light");

    const waiting = { problem: await row(unknown).getAttribute("data-problem"), reason: (await row(unknown).getByTestId("order-problem-message").textContent()).trim() };
    if (waiting.problem !== "UNKNOWN_SKU") throw new Error(`the unknown SKU's order: ${JSON.stringify(waiting)}`);
    const saleorOrder = await row(known).getAttribute("data-saleor-order");
    if (!saleorOrder) {
      const why = await row(known).getByTestId("order-problem-message").textContent().catch(() => "");
      throw new Error(`the order of ${sku} has no Saleor order: ${await row(known).getAttribute("data-problem")} ${why}`);
    }

    // The link opens Saleor's order page: the Dashboard's own route, the app's frame gone.
    const link = row(known).getByTestId("saleor-order-link");
    const number = ((await link.textContent()).match(/#(\d+)/) || [])[1];
    await link.click();
    await page.waitForURL((url) => url.pathname.endsWith(`/orders/${encodeURIComponent(saleorOrder)}`), { timeout: 30_000 });
    // Saleor's order page titles the order "#<number>" (its TopNav); read the page's text, not one element.
    const shown = await page
      .waitForFunction((text) => document.body.innerText.includes(text), `#${number}`, { timeout: 30_000 })
      .then(() => true, () => false);
    await page.waitForTimeout(1000);
    const orderPage = page.url();
    await shot(page, "10i-saleor-order-page");
    const framesLeft = page.frames().filter((f) => /saleor_amazon_channel\/app/.test(f.url())).length;
    const heading = (await page.locator("main, body").first().innerText()).slice(0, 200).replace(/\s+/g, " ");
    await page.goBack();
    frame = await extensionFrame(page);
    await frame.getByTestId("store-detail").waitFor({ timeout: 30_000 });
    if (!shown) throw new Error(`Saleor's order page did not show #${number}: ${heading}`);
    return { sku, known, unknown, waiting, saleorOrder, number, orderPage, appFramesOnOrderPage: framesLeft, settingsToasts: saved, sectionWaiting: await section.getAttribute("data-waiting").catch(() => null) };
  });
}
