// Issue 20, "Amazon orders become Saleor orders", done when: an order placed on the emulated Amazon
// appears as a Saleor order in the store's channel with stock reserved; the merchant sees it in the
// store's Amazon orders, opens it in the Dashboard, fulfils it with a tracking number and the emulated
// Amazon shows it shipped; a cancellation on Amazon cancels the Saleor order; an order with an unknown
// SKU waits with its reason (on the card too) and imports after the fix and Retry. The demo reads each
// store's orders every DEMO_ORDER_POLL_SECONDS (Celery beat's part); the stand-in's /demo/stock and
// /demo/orders/fulfill do what the merchant does in Saleor's product and order pages.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { axeSerious, connectFromCard, inShell, MARKETPLACES, notification, SELLER, shot, startDemoWithStore, stopDemo } from "./support.mjs";

const IMPORT_TIMEOUT = 60_000;

let demo;
let browser;

before(async () => ({ demo, browser } = await startDemoWithStore("orders", { env: { DEMO_ORDER_POLL_SECONDS: "3" } })));
after(() => stopDemo({ demo, browser }));

async function standin(path, body) {
  const response = await fetch(`${demo.origin}/demo/${path}`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  const answer = await response.json();
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status} ${JSON.stringify(answer)}`);
  return answer;
}

async function amazonOrder(orderId) {
  const response = await fetch(`${demo.emulatorUrl}/_emulator/orders/${encodeURIComponent(orderId)}`);
  assert.equal(response.status, 200);
  return response.json();
}

/** An order placed on Amazon three minutes ago: past Amazon's two-minute rule, so the next poll reads it. */
async function place(sku, quantity) {
  const order = await demo.emulator("orders", {
    selling_partner_id: SELLER.id,
    marketplace_id: MARKETPLACES.US,
    status: "Unshipped",
    created_seconds_ago: 180,
    items: [{ seller_sku: sku, quantity, unit_price: "20.00", item_tax: "1.60" }],
  });
  return order.order.orderId;
}

const ORDER = `query($storeId: ID!, $search: String) {
  amazonOrders(storeId: $storeId, first: 5, filter: { search: $search }) {
    edges { node { id amazonOrderId status problem problemMessage saleorOrder { id number status } } }
  }
}`;

/** The plugin's record of an Amazon order, once `ready(node)` holds. */
async function until(storeId, orderId, ready, what) {
  const deadline = Date.now() + IMPORT_TIMEOUT;
  let last = null;
  while (Date.now() < deadline) {
    const edges = (await demo.graphql(ORDER, { storeId, search: orderId })).amazonOrders.edges;
    last = edges.map((edge) => edge.node).find((node) => node.amazonOrderId === orderId) ?? null;
    if (last && ready(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  throw new Error(`${orderId}: ${what} did not happen; last seen ${JSON.stringify(last)}`);
}

test("Amazon orders become Saleor orders: import, open, fulfil, cancel, wait and retry", () =>
  inShell(browser, demo, "orders", async ({ context, page, app }) => {
    const card = await connectFromCard(context, app);
    const storeId = await card.getAttribute("data-store-id");
    const lamp = await standin("stock", { sku: "ORDER-LAMP", quantity: 5 });
    assert.equal(lamp.allocated, 0);

    // Order settings: import orders placed from yesterday, reserve stock from Pending on.
    await card.getByRole("button", { name: "View Store" }).click();
    await app.getByRole("heading", { name: "Amazon orders" }).scrollIntoViewIfNeeded();
    await app.getByTestId("orders-settings").click();
    await app.getByRole("heading", { name: "Order settings" }).waitFor();
    const yesterday = new Date(Date.now() - 86_400_000);
    const day = `${yesterday.getFullYear()}-${String(yesterday.getMonth() + 1).padStart(2, "0")}-${String(yesterday.getDate()).padStart(2, "0")}`;
    await app.getByLabel("Import orders placed from").fill(day);
    await app.getByLabel("Reserve stock").selectOption("pending");
    await shot(page, "en-orders-1-settings", { full: true });
    assert.deepEqual(await axeSerious(page), [], "order settings");
    await app.getByTestId("savebar-save").click();
    await notification(page, "Order settings saved");
    const settings = await demo.graphql(`query($id: ID!) { amazonOrderSettings(storeId: $id) { importFrom reservePending } }`, { id: storeId });
    assert.equal(settings.amazonOrderSettings.reservePending, true);
    assert.ok(Date.parse(settings.amazonOrderSettings.importFrom) < Date.now() - 3_600_000, settings.amazonOrderSettings.importFrom);

    // An order placed on Amazon becomes a Saleor order of the store's channel, its stock allocated.
    const first = await place("ORDER-LAMP", 2);
    const imported = await until(storeId, first, (node) => node.saleorOrder, "the import");
    assert.equal(imported.saleorOrder.status, "unfulfilled");
    assert.equal((await standin("stock", { sku: "ORDER-LAMP" })).allocated, 2);

    await app.getByRole("link", { name: "Amazon Store USA" }).click();
    await app.getByRole("heading", { name: "Amazon orders" }).scrollIntoViewIfNeeded();
    const row = (orderId) => app.locator(`[data-testid="orders-table"] tbody tr[data-amazon-order-id="${orderId}"]`);
    await row(first).waitFor();
    assert.equal(await row(first).getAttribute("data-status"), "UNSHIPPED");
    assert.equal(await row(first).getAttribute("data-saleor-order"), imported.saleorOrder.id);
    await shot(page, "en-orders-2-imported");
    assert.deepEqual(await axeSerious(page), [], "orders section");

    // Fulfilled in Saleor with a tracking number: Amazon receives the shipment and ships the order.
    await standin("orders/fulfill", { order: imported.saleorOrder.id, tracking_number: "1Z999AA10123456784", carrier: "UPS" });
    let shipped = await amazonOrder(first);
    for (let attempt = 0; attempt < 30 && shipped.fulfillmentStatus !== "SHIPPED"; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      shipped = await amazonOrder(first);
    }
    assert.equal(shipped.fulfillmentStatus, "SHIPPED");
    assert.equal(shipped.shipmentConfirmations.length, 1);
    assert.equal(shipped.shipmentConfirmations[0].packageDetail.trackingNumber, "1Z999AA10123456784");
    assert.deepEqual((await standin("stock", { sku: "ORDER-LAMP" })), { ...lamp, quantity: 3, allocated: 0 });
    await page.reload();
    await app.getByRole("heading", { name: "Amazon orders" }).scrollIntoViewIfNeeded();
    await row(first).getByTestId("order-tracking").filter({ hasText: "1Z999AA10123456784" }).waitFor();
    assert.equal(await row(first).getAttribute("data-saleor-status"), "fulfilled");

    // A cancellation on Amazon cancels the Saleor order and gives its stock back.
    const second = await place("ORDER-LAMP", 1);
    await until(storeId, second, (node) => node.saleorOrder, "the import");
    assert.equal((await standin("stock", { sku: "ORDER-LAMP" })).allocated, 1);
    await demo.emulator(`orders/${second}/status`, { status: "CANCELLED", cancelled_by: "BUYER", reason: "Changed my mind" });
    await demo.emulator(`orders/${second}/last-updated`, { seconds_ago: 150 });
    const cancelled = await until(storeId, second, (node) => node.status === "CANCELLED", "the cancellation");
    assert.equal(cancelled.saleorOrder.status, "canceled");
    assert.equal((await standin("stock", { sku: "ORDER-LAMP" })).allocated, 0);

    // An unknown SKU: the order waits with its reason, first in the list and counted on the card.
    const third = await place("ORDER-SHADE", 1);
    const waiting = await until(storeId, third, (node) => node.problem, "the wait");
    assert.equal(waiting.problem, "UNKNOWN_SKU");
    assert.equal(waiting.saleorOrder, null);
    // Amazon is unreachable from now on: only the merchant's Retry can import it (no poll races it).
    await demo.emulator("orders/faults", { operation: "searchOrders", status: 503, count: 100000 });
    await page.reload();
    await app.getByRole("heading", { name: "Amazon orders" }).scrollIntoViewIfNeeded();
    const firstRow = app.locator('[data-testid="orders-table"] tbody tr').first();
    await firstRow.and(app.locator(`[data-amazon-order-id="${third}"]`)).waitFor();
    assert.equal(await firstRow.getAttribute("data-problem"), "UNKNOWN_SKU");
    await firstRow.getByText("Unknown seller SKU").waitFor();
    await firstRow.getByTestId("order-problem-message").filter({ hasText: "ORDER-SHADE" }).waitFor();
    await app.getByLabel("Show").selectOption("waiting");
    await app.locator('[data-testid="orders-table"][data-total="1"]').waitFor();
    await shot(page, "en-orders-3-waiting");
    assert.deepEqual(await axeSerious(page), [], "a waiting order");

    await app.getByRole("link", { name: "Amazon Sales Channel" }).first().click();
    await card.getByTestId("orders-waiting-count").filter({ hasText: "1 order" }).waitFor();
    await shot(page, "en-orders-4-card");
    await card.getByRole("button", { name: "View Store" }).click();
    await app.getByRole("heading", { name: "Amazon orders" }).scrollIntoViewIfNeeded();

    // Retry before the fix: it still waits, said so. Then the variant exists (with stock): Retry imports it.
    await row(third).getByRole("button", { name: `Retry Amazon order ${third}` }).click();
    await app.getByTestId("orders-message").filter({ hasText: "still waits" }).waitFor();
    await standin("stock", { sku: "ORDER-SHADE", quantity: 3 });
    await row(third).getByRole("button", { name: `Retry Amazon order ${third}` }).click();
    await app.getByTestId("orders-message").filter({ hasText: `Amazon order ${third} is Saleor order #` }).waitFor();
    const fixed = await until(storeId, third, (node) => node.saleorOrder && !node.problem, "the retry");
    assert.equal(fixed.saleorOrder.status, "unfulfilled");
    assert.equal((await standin("stock", { sku: "ORDER-SHADE" })).allocated, 1);
    await app.getByLabel("Show").selectOption("");
    await row(third).and(app.locator('[data-problem=""]')).waitFor();
    await shot(page, "en-orders-5-retried");

    // The Saleor order opens in the Dashboard (its router, not the app's frame).
    await row(third).getByRole("button", { name: `Open Saleor order #${fixed.saleorOrder.number} in the Dashboard` }).click();
    await page.waitForFunction((path) => window.__shell.navigations.includes(path), `/orders/${encodeURIComponent(fixed.saleorOrder.id)}`);
    assert.match(new URL(page.url()).pathname, new RegExp(`/dashboard/orders/${encodeURIComponent(fixed.saleorOrder.id).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`));
  }));
