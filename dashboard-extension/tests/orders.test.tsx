import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { buildSchema, parse, validate } from "graphql";
import { act } from "react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { STORE_QUERY, STORES_QUERY } from "../src/lib/api";
import { parseAppPath, routePath } from "../src/lib/router";
import { OrdersSection, REFRESH_MS } from "../src/orders/OrdersSection";
import {
  canRetry,
  dayStart,
  localDay,
  ORDER_RETRY,
  ORDER_SETTINGS_QUERY,
  ORDER_SETTINGS_UPDATE,
  ORDER_SYNC_QUERY,
  orderSettingsInput,
  ORDERS_READ,
  ORDERS_QUERY,
  saleorOrderPath,
  shipmentSummary,
  toOrderFilter,
  valuesFromOrderSettings,
  type AmazonOrder,
  type OrderSettings,
} from "../src/orders/orders";
import { mockClient, mockHost, renderWithServices } from "./helpers";

const SDL = join(__dirname, "..", "..", "graphql", "schema.graphql");
const STORE = { id: "QW1hem9uU3RvcmU6MQ==", name: "Amazon Store USA", status: "CONNECTED" };

function makeOrder(overrides: Partial<AmazonOrder> = {}): AmazonOrder {
  return {
    id: "QW1hem9uT3JkZXI6MQ==",
    amazonOrderId: "111-0000001-0000001",
    status: "UNSHIPPED",
    fulfilledBy: "MERCHANT",
    purchasedAt: "2026-03-01T10:00:00Z",
    currency: "USD",
    total: "21.60",
    buyerCancelRequested: false,
    saleorOrder: { id: "T3JkZXI6YWJj", number: "42", status: "unfulfilled" },
    problem: null,
    problemMessage: "",
    attempts: 0,
    lines: [{ orderItemId: "1", sellerSku: "LAMP-1", title: "Lamp", quantity: 2, quantityShipped: 0 }],
    shipments: [],
    ...overrides,
  };
}

const WAITING = makeOrder({
  id: "QW1hem9uT3JkZXI6Mg==",
  amazonOrderId: "111-0000002-0000002",
  saleorOrder: null,
  problem: "UNKNOWN_SKU",
  problemMessage: "No Saleor variant has the seller SKU NOT-YET.",
  attempts: 1,
  lines: [{ orderItemId: "2", sellerSku: "NOT-YET", title: "Shade", quantity: 1, quantityShipped: 0 }],
});

const SETTINGS: OrderSettings = {
  importEnabled: true,
  importFrom: "2026-03-01T00:00:00+00:00",
  reservePending: false,
  importFba: false,
  customer: "GUEST_EMAIL",
  orderReference: "EXTERNAL_REFERENCE",
};

function page(orders: AmazonOrder[], hasNextPage = false) {
  return { amazonOrders: { totalCount: orders.length, pageInfo: { hasNextPage, endCursor: hasNextPage ? "YXJyYXljb25uZWN0aW9uOjE5" : null }, edges: orders.map((node) => ({ node })) } };
}

const SYNC = { amazonStore: { id: STORE.id, orderSync: { lastPollAt: "2026-03-01T10:05:00Z", lastSuccessAt: null, nextPollAt: null, lastErrorCode: "", lastErrorMessage: "", waitingOrders: 1, refusedShipments: 0 } } };

describe.skipIf(!existsSync(SDL))("orders operations", () => {
  it("validate against the plugin's schema, the store queries' waiting count too", () => {
    const schema = buildSchema(readFileSync(SDL, "utf8"));
    for (const document of [ORDERS_QUERY, ORDERS_READ, ORDER_SYNC_QUERY, ORDER_RETRY, ORDER_SETTINGS_QUERY, ORDER_SETTINGS_UPDATE, STORE_QUERY, STORES_QUERY]) {
      expect(validate(schema, parse(document)).map((error) => error.message)).toEqual([]);
    }
  });
});

describe("order helpers", () => {
  it("turns the filter select and the search into the API's filter", () => {
    expect(toOrderFilter("", "  ")).toEqual({});
    expect(toOrderFilter("waiting", "")).toEqual({ hasProblem: true });
    expect(toOrderFilter("status:SHIPPED", " 111-2 ")).toEqual({ status: ["SHIPPED"], search: "111-2" });
    expect(toOrderFilter("problem:UNKNOWN_SKU", "")).toEqual({ problem: ["UNKNOWN_SKU"] });
  });

  it("builds the Dashboard's order path from the global ID, encoded", () => {
    expect(saleorOrderPath("T3JkZXI6YWJj")).toBe("/orders/T3JkZXI6YWJj");
    expect(saleorOrderPath("T3Jk/ZX+I=")).toBe("/orders/T3Jk%2FZX%2BI%3D");
  });

  it("offers Retry only to an order waiting for a fix Saleor can act on", () => {
    expect(canRetry(WAITING)).toBe(true);
    expect(canRetry(makeOrder())).toBe(false);
    expect(canRetry(makeOrder({ problem: "CANCELLED_IN_SALEOR" }))).toBe(false);
  });

  it("sums up the shipments sent to Amazon", () => {
    const shipments = [
      { id: "1", status: "CONFIRMED", trackingNumber: "1Z999", errorCode: "", errorMessage: "" },
      { id: "2", status: "REFUSED", trackingNumber: "", errorCode: "InvalidInput", errorMessage: "Bad carrier" },
    ];
    expect(shipmentSummary(makeOrder({ shipments }))).toEqual({ tracking: ["1Z999"], refused: true });
    expect(shipmentSummary(makeOrder())).toEqual({ tracking: [], refused: false });
  });

  it("reads and writes the import date as the merchant's day", () => {
    const start = dayStart("2026-02-28");
    expect(start).not.toBeNull();
    expect(localDay(start!)).toBe("2026-02-28");
    expect(dayStart("2026-02-30")).toBeNull();
    expect(dayStart("28/02/2026")).toBeNull();
    expect(localDay("not a date")).toBe("");
  });

  it("turns the settings form into the API's input; the date only when changed", () => {
    const initial = valuesFromOrderSettings(SETTINGS);
    expect(initial.reserve).toBe("unshipped");
    const same = orderSettingsInput({ ...initial, reserve: "pending", importFba: true }, initial);
    expect(same.errors).toEqual({});
    expect(same.input).toEqual({ importEnabled: true, reservePending: true, importFba: true, customer: "GUEST_EMAIL", orderReference: "EXTERNAL_REFERENCE" });
    const moved = orderSettingsInput({ ...initial, importFrom: "2026-01-15" }, initial);
    expect(moved.input.importFrom).toBe(dayStart("2026-01-15"));
    expect(orderSettingsInput({ ...initial, importFrom: "" }, initial).errors).toEqual({ importFrom: "date" });
  });

  it("routes the order settings screen", () => {
    expect(parseAppPath("/stores/QW1:1/order-settings")).toEqual({ name: "orderSettings", id: "QW1:1" });
    expect(routePath({ name: "orderSettings", id: "S1" })).toBe("/stores/S1/order-settings");
  });
});

describe("OrdersSection", () => {
  it("shows waiting orders with their reason, retries one, and opens a Saleor order in the Dashboard", async () => {
    let waiting = true;
    const { client, calls } = mockClient({
      AmazonOrderSync: () => SYNC,
      AmazonOrders: () => page(waiting ? [WAITING, makeOrder()] : [makeOrder({ ...WAITING, problem: null, problemMessage: "", saleorOrder: { id: "T3JkZXI6ZGVm", number: "43", status: "unfulfilled" } }), makeOrder()]),
      AmazonOrderRetry: () => {
        waiting = false;
        return { amazonOrderRetry: { amazonOrder: makeOrder({ ...WAITING, problem: null, saleorOrder: { id: "T3JkZXI6ZGVm", number: "43", status: "unfulfilled" } }), errors: [] } };
      },
    });
    const openDashboardPage = vi.fn(async () => true);
    renderWithServices(<OrdersSection store={STORE} />, { api: client, host: mockHost({ openDashboardPage }) });

    const table = await screen.findByTestId("orders-table");
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows[0].getAttribute("data-problem")).toBe("UNKNOWN_SKU");
    expect(within(rows[0]).getByText("Unknown seller SKU")).toBeTruthy();
    expect(within(rows[0]).getByText(/NOT-YET/, { selector: "[data-testid=order-problem-message]" })).toBeTruthy();
    expect(within(rows[1]).queryByTestId("order-retry")).toBeNull();

    fireEvent.click(within(rows[1]).getByRole("button", { name: "Open Saleor order #42 in the Dashboard" }));
    expect(openDashboardPage).toHaveBeenCalledWith("/orders/T3JkZXI6YWJj");

    fireEvent.click(within(rows[0]).getByRole("button", { name: "Retry Amazon order 111-0000002-0000002" }));
    expect((await screen.findByTestId("orders-message")).textContent).toContain("Saleor order #43");
    await waitFor(() => expect(screen.queryAllByTestId("order-retry")).toHaveLength(0));
    expect(calls.find((call) => call.operation === "AmazonOrderRetry")?.variables).toEqual({ id: WAITING.id, refresh: false });
  });

  it("filters by problem and status, searches, and pages", async () => {
    const { client, calls } = mockClient({
      AmazonOrderSync: () => SYNC,
      AmazonOrders: (variables) => page(variables.after ? [makeOrder({ id: "p2", amazonOrderId: "111-9" })] : [makeOrder()], !variables.after),
    });
    renderWithServices(<OrdersSection store={STORE} />, { api: client });
    await screen.findByTestId("orders-table");

    fireEvent.click(screen.getByRole("button", { name: "Next page" }));
    await screen.findByText("111-9");
    expect(calls.filter((call) => call.operation === "AmazonOrders").at(-1)?.variables.after).toBe("YXJyYXljb25uZWN0aW9uOjE5");

    fireEvent.change(screen.getByLabelText("Show"), { target: { value: "waiting" } });
    await waitFor(() => expect(calls.filter((call) => call.operation === "AmazonOrders").at(-1)?.variables).toMatchObject({ filter: { hasProblem: true }, after: null }));
    fireEvent.change(screen.getByLabelText("Show"), { target: { value: "status:SHIPPED" } });
    fireEvent.change(screen.getByLabelText("Search Amazon order ID, seller SKU or buyer"), { target: { value: "LAMP" } });
    await waitFor(() => expect(calls.filter((call) => call.operation === "AmazonOrders").at(-1)?.variables.filter).toEqual({ status: ["SHIPPED"], search: "LAMP" }));
  });

  it("reads orders from Amazon now, then shows the new page", async () => {
    let read = false;
    const { client, calls } = mockClient({
      AmazonOrderSync: () => SYNC,
      AmazonOrders: () => page(read ? [makeOrder()] : []),
      AmazonOrdersRead: () => {
        read = true;
        return { amazonOrdersRead: { amazonStore: { orderSync: { ...SYNC.amazonStore.orderSync, waitingOrders: 0 } }, errors: [] } };
      },
    });
    renderWithServices(<OrdersSection store={STORE} />, { api: client });
    await screen.findByTestId("orders-empty");
    fireEvent.click(screen.getByRole("button", { name: "Read orders from Amazon" }));
    await screen.findByTestId("orders-table");
    expect(calls.find((call) => call.operation === "AmazonOrdersRead")?.variables).toEqual({ storeId: STORE.id });
  });

  it("cannot read orders of a store not connected", async () => {
    const { client } = mockClient({ AmazonOrderSync: () => SYNC, AmazonOrders: () => page([]) });
    renderWithServices(<OrdersSection store={{ ...STORE, status: "NOT_CONNECTED" }} />, { api: client });
    await screen.findByTestId("orders-empty");
    expect((screen.getByRole("button", { name: "Read orders from Amazon" }) as HTMLButtonElement).disabled).toBe(true);
  });

  it("says the permission is missing rather than failing", async () => {
    const { GraphQLRequestError } = await import("../src/lib/graphql");
    const { client } = mockClient({
      AmazonOrderSync: () => SYNC,
      AmazonOrders: () => {
        throw new GraphQLRequestError("forbidden", "You need MANAGE_ORDERS.");
      },
    });
    renderWithServices(<OrdersSection store={STORE} />, { api: client });
    expect((await screen.findByTestId("orders-forbidden")).textContent).toContain("Manage orders");
  });
});

describe("OrdersSection refreshes itself", () => {
  let hidden = false;
  beforeEach(() => {
    hidden = false;
    Object.defineProperty(document, "hidden", { configurable: true, get: () => hidden });
    vi.useFakeTimers({ shouldAdvanceTime: true });
  });
  afterEach(() => {
    vi.useRealTimers();
    Reflect.deleteProperty(document, "hidden");
  });

  type Call = { operation: string; variables: Record<string, unknown> };
  const ordersCalls = (calls: Call[]) => calls.filter((call) => call.operation === "AmazonOrders");
  const syncCalls = (calls: Call[]) => calls.filter((call) => call.operation === "AmazonOrderSync");

  function deferred<T>() {
    let resolve!: (value: T) => void;
    const promise = new Promise<T>((done) => (resolve = done));
    return { promise, resolve };
  }

  it("every 30 s while shown, keeping the filter and the page, the list staying on screen meanwhile", async () => {
    let answer: Promise<unknown> | null = null;
    const { client, calls } = mockClient({
      AmazonOrderSync: () => SYNC,
      AmazonOrders: (variables) => answer ?? page(variables.after ? [makeOrder({ id: "p2", amazonOrderId: "111-9" })] : [makeOrder()], !variables.after),
    });
    renderWithServices(<OrdersSection store={STORE} />, { api: client });
    await screen.findByTestId("orders-table");
    fireEvent.change(screen.getByLabelText("Show"), { target: { value: "status:UNSHIPPED" } });
    await waitFor(() => expect(ordersCalls(calls).at(-1)?.variables.filter).toEqual({ status: ["UNSHIPPED"] }));
    await screen.findByRole("button", { name: "Next page" });
    await waitFor(() => expect((screen.getByRole("button", { name: "Next page" }) as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(screen.getByRole("button", { name: "Next page" }));
    await screen.findByText("111-9");
    const before = ordersCalls(calls).length;
    const syncBefore = syncCalls(calls).length;

    const next = deferred<unknown>();
    answer = next.promise;
    await act(async () => {
      await vi.advanceTimersByTimeAsync(REFRESH_MS);
    });

    expect(ordersCalls(calls)).toHaveLength(before + 1);
    expect(ordersCalls(calls).at(-1)?.variables).toMatchObject({ filter: { status: ["UNSHIPPED"] }, after: "YXJyYXljb25uZWN0aW9uOjE5" });
    expect(syncCalls(calls).length).toBe(syncBefore + 1);
    expect(screen.getByText("111-9")).toBeTruthy(); // no flicker: the shown page stays until the new one comes
    expect((screen.getByLabelText("Show") as HTMLSelectElement).value).toBe("status:UNSHIPPED");

    await act(async () => {
      next.resolve(page([makeOrder({ id: "p2", amazonOrderId: "111-9", status: "SHIPPED" }), makeOrder({ id: "p3", amazonOrderId: "111-10" })]));
      await next.promise;
    });
    expect(await screen.findByText("111-10")).toBeTruthy();
    expect(screen.getByText("111-9")).toBeTruthy();
    expect((screen.getByLabelText("Show") as HTMLSelectElement).value).toBe("status:UNSHIPPED");
  });

  it("never sends a refresh while the last one is unanswered", async () => {
    let answer: Promise<unknown> | null = null;
    const { client, calls } = mockClient({ AmazonOrderSync: () => SYNC, AmazonOrders: () => answer ?? page([makeOrder()]) });
    renderWithServices(<OrdersSection store={STORE} />, { api: client });
    await screen.findByTestId("orders-table");
    const before = ordersCalls(calls).length;
    const slow = deferred<unknown>();
    answer = slow.promise;

    await act(async () => {
      await vi.advanceTimersByTimeAsync(REFRESH_MS);
    });
    expect(ordersCalls(calls)).toHaveLength(before + 1);
    await act(async () => {
      await vi.advanceTimersByTimeAsync(3 * REFRESH_MS);
    });
    expect(ordersCalls(calls)).toHaveLength(before + 1);

    answer = null;
    await act(async () => {
      slow.resolve(page([makeOrder()]));
      await slow.promise;
    });
    await act(async () => {
      await vi.advanceTimersByTimeAsync(REFRESH_MS);
    });
    expect(ordersCalls(calls)).toHaveLength(before + 2);
  });

  it("pauses while the page is hidden and catches up when it is shown again", async () => {
    const { client, calls } = mockClient({ AmazonOrderSync: () => SYNC, AmazonOrders: () => page([makeOrder()]) });
    renderWithServices(<OrdersSection store={STORE} />, { api: client });
    await screen.findByTestId("orders-table");
    const before = ordersCalls(calls).length;

    hidden = true;
    document.dispatchEvent(new Event("visibilitychange"));
    await act(async () => {
      await vi.advanceTimersByTimeAsync(3 * REFRESH_MS);
    });
    expect(ordersCalls(calls)).toHaveLength(before);

    hidden = false;
    await act(async () => {
      document.dispatchEvent(new Event("visibilitychange"));
      await vi.advanceTimersByTimeAsync(0);
    });
    expect(ordersCalls(calls)).toHaveLength(before + 1);
  });

  it("does not ask again without the permission", async () => {
    const { GraphQLRequestError } = await import("../src/lib/graphql");
    const { client, calls } = mockClient({
      AmazonOrderSync: () => SYNC,
      AmazonOrders: () => {
        throw new GraphQLRequestError("forbidden", "You need MANAGE_ORDERS.");
      },
    });
    renderWithServices(<OrdersSection store={STORE} />, { api: client });
    await screen.findByTestId("orders-forbidden");
    const before = calls.length;
    await act(async () => {
      await vi.advanceTimersByTimeAsync(3 * REFRESH_MS);
    });
    expect(calls).toHaveLength(before);
  });

  it("stops when the section is gone", async () => {
    const { client, calls } = mockClient({ AmazonOrderSync: () => SYNC, AmazonOrders: () => page([makeOrder()]) });
    const view = renderWithServices(<OrdersSection store={STORE} />, { api: client });
    await screen.findByTestId("orders-table");
    const before = calls.length;
    view.unmount();
    await act(async () => {
      await vi.advanceTimersByTimeAsync(3 * REFRESH_MS);
    });
    expect(calls).toHaveLength(before);
  });
});
