import { fireEvent, screen, waitFor, within } from "@testing-library/react";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { buildSchema, parse, validate } from "graphql";
import { describe, expect, it } from "vitest";
import { CatalogSection } from "../src/catalog/CatalogSection";
import { CATALOG_OPERATIONS, csvCell, toCsv, type CatalogMatch, type CatalogRun } from "../src/catalog/catalog";
import { STORES_QUERY } from "../src/lib/api";
import { HomePage } from "../src/stores/HomePage";
import { makeStore, mockClient, renderWithServices, storesPage } from "./helpers";

const SDL = join(__dirname, "..", "..", "graphql", "schema.graphql");

function makeRun(overrides: Partial<CatalogRun> = {}): CatalogRun {
  return {
    id: "run1",
    status: "SUCCEEDED",
    total: 4,
    done: 4,
    progress: 1,
    estimatedSecondsLeft: null,
    startedAt: "2026-03-01T10:00:00Z",
    finishedAt: "2026-03-01T10:02:00Z",
    lastErrorCode: null,
    lastError: null,
    counts: { total: 4, matched: 2, multipleMatches: 0, noMatch: 1, invalidIdentifier: 1, noIdentifier: 0, error: 0, pending: 0 },
    ...overrides,
  };
}

function makeMatch(overrides: Partial<CatalogMatch> = {}): CatalogMatch {
  return {
    id: "m1",
    variant: { id: "UHJvZHVjdFZhcmlhbnQ6MQ==", sku: "LAMP-1", name: "Desk lamp / Small" },
    identifierType: "EAN",
    identifier: "4006381333931",
    status: "MATCHED",
    reason: null,
    asin: "B0TESTASIN",
    asins: ["B0TESTASIN"],
    title: "Acme Desk Lamp",
    brand: "Acme",
    imageUrl: null,
    productUrl: "https://www.amazon.com/dp/B0TESTASIN",
    checkedAt: "2026-03-01T10:01:00Z",
    ...overrides,
  };
}

function page(matches: CatalogMatch[], hasNextPage = false) {
  return {
    amazonCatalogMatches: {
      totalCount: matches.length + (hasNextPage ? 1 : 0),
      pageInfo: { hasNextPage, endCursor: hasNextPage ? "c1" : null },
      edges: matches.map((node) => ({ node })),
    },
  };
}

const STORE = { id: "QW1hem9uU3RvcmU6MQ==", name: "Amazon Store USA", status: "CONNECTED" };

describe("CSV export", () => {
  it("quotes cells and defuses spreadsheet formulas", () => {
    expect(csvCell('Lamp, "large"')).toBe('"Lamp, ""large"""');
    expect(csvCell("=HYPERLINK(\"http://evil\")")).toBe('"\'=HYPERLINK(""http://evil"")"');
    expect(csvCell("+1")).toBe("'+1");
    expect(csvCell("-2")).toBe("'-2");
    expect(csvCell("@cmd")).toBe("'@cmd");
    expect(csvCell(null)).toBe("");
    expect(csvCell("line\nbreak")).toBe('"line\nbreak"');
  });

  it("has a header and one line per result", () => {
    const csv = toCsv([makeMatch(), makeMatch({ id: "m2", status: "MULTIPLE_MATCHES", asin: null, asins: ["B01", "B02"] })]);
    const lines = csv.trimEnd().split("\r\n");
    expect(lines[0]).toBe("variant_id,sku,name,identifier_type,identifier,status,reason,asin,asins,title,brand,product_url,checked_at");
    expect(lines).toHaveLength(3);
    expect(lines[2]).toContain("MULTIPLE_MATCHES,,,B01 B02");
  });
});

describe.skipIf(!existsSync(SDL))("catalog operations", () => {
  it("are valid against the plugin's schema", () => {
    const schema = buildSchema(readFileSync(SDL, "utf8"));
    for (const document of [...Object.values(CATALOG_OPERATIONS), STORES_QUERY]) {
      expect(validate(schema, parse(document)).map((error) => error.message)).toEqual([]);
    }
  });
});

describe("Catalog on Amazon section", () => {
  it("shows counts, the results with reasons, and ASINs linking to the marketplace", async () => {
    const { client } = mockClient({
      AmazonCatalogMatchRun: () => ({ amazonStore: { id: STORE.id, catalogMatchRun: makeRun() } }),
      AmazonCatalogMatches: () =>
        page([
          makeMatch(),
          makeMatch({ id: "m2", variant: { id: "v2", sku: "PEN-1", name: "Pen" }, status: "INVALID_IDENTIFIER", asin: null, asins: [],
            productUrl: null, title: null, brand: null, reason: "The check digit of this EAN is wrong." }),
        ]),
    });
    renderWithServices(<CatalogSection store={STORE} />, { api: client });

    const table = await screen.findByTestId("catalog-table");
    const link = within(table).getByRole("link", { name: "B0TESTASIN" });
    expect(link.getAttribute("href")).toBe("https://www.amazon.com/dp/B0TESTASIN");
    expect(link.getAttribute("target")).toBe("_blank");
    expect(link.getAttribute("rel")).toContain("noopener");
    expect(within(table).getByText("The check digit of this EAN is wrong.")).toBeTruthy();
    const counts = screen.getByTestId("catalog-counts");
    expect(within(counts).getByText("Matched: 2")).toBeTruthy();
    expect(within(counts).getByText("Invalid identifier: 1")).toBeTruthy();
    expect(screen.getByTestId("catalog-last-run").textContent).toContain("2 of 4 products found on Amazon");
    expect(screen.getByRole("button", { name: "Refresh catalog match" })).toBeTruthy();
  });

  it("filters by result and searches", async () => {
    const { client, calls } = mockClient({
      AmazonCatalogMatchRun: () => ({ amazonStore: { id: STORE.id, catalogMatchRun: makeRun() } }),
      AmazonCatalogMatches: () => page([makeMatch()]),
    });
    renderWithServices(<CatalogSection store={STORE} />, { api: client });
    await screen.findByTestId("catalog-table");

    fireEvent.change(screen.getByLabelText("Result"), { target: { value: "NO_MATCH" } });
    await waitFor(() => expect(calls.at(-1)?.variables.filter).toEqual({ status: ["NO_MATCH"] }));
    fireEvent.change(screen.getByLabelText("Search product, SKU, identifier or ASIN"), { target: { value: " lamp " } });
    await waitFor(() => expect(calls.at(-1)?.variables.filter).toEqual({ status: ["NO_MATCH"], search: "lamp" }));
  });

  // Inside the real Dashboard axe reported macaw's Input here: role="input" is an abstract ARIA role (critical).
  it("gives its search field a real role, never the abstract role=input", async () => {
    const { client } = mockClient({
      AmazonCatalogMatchRun: () => ({ amazonStore: { id: STORE.id, catalogMatchRun: makeRun() } }),
      AmazonCatalogMatches: () => page([makeMatch()]),
    });
    const { container } = renderWithServices(<CatalogSection store={STORE} />, { api: client });
    await screen.findByTestId("catalog-table");
    expect(screen.getByRole("searchbox", { name: "Search product, SKU, identifier or ASIN" })).toBeTruthy();
    expect(container.querySelectorAll('[role="input"]').length).toBe(0);
  });

  it("starts a match and follows its progress until it is done", async () => {
    let polls = 0;
    const running = makeRun({ status: "RUNNING", total: 100, done: 40, progress: 0.4, estimatedSecondsLeft: 75, finishedAt: null });
    const { client, calls } = mockClient({
      AmazonCatalogMatchRun: () => ({
        amazonStore: { id: STORE.id, catalogMatchRun: polls++ === 0 ? null : polls < 3 ? running : makeRun({ total: 100, done: 100 }) },
      }),
      AmazonCatalogMatches: () => page([]),
      AmazonCatalogMatchStart: () => ({ amazonCatalogMatchStart: { catalogMatchRun: running, errors: [] } }),
    });
    renderWithServices(<CatalogSection store={STORE} />, { api: client });

    fireEvent.click(await screen.findByRole("button", { name: "Start catalog match" }));
    const bar = await screen.findByRole("progressbar");
    expect(bar.getAttribute("aria-valuenow")).toBe("40");
    expect(screen.getByTestId("catalog-progress").textContent).toContain("40 of 100 products checked (40%) · about 1 min 15 s left");
    expect(calls.find((call) => call.operation === "AmazonCatalogMatchStart")?.variables).toEqual({ storeId: STORE.id });
    await waitFor(() => expect(screen.getByTestId("catalog-section").getAttribute("data-run-status")).toBe("SUCCEEDED"), { timeout: 6000 });
    expect(screen.queryByRole("progressbar")).toBeNull();
  });

  it("cancels a running match", async () => {
    const running = makeRun({ status: "RUNNING", total: 100, done: 40, progress: 0.4, finishedAt: null });
    const cancelled = makeRun({ status: "FAILED", total: 100, done: 40, progress: 0.4, lastErrorCode: "cancelled" });
    const { client, calls } = mockClient({
      AmazonCatalogMatchRun: () => ({ amazonStore: { id: STORE.id, catalogMatchRun: running } }),
      AmazonCatalogMatches: () => page([]),
      AmazonCatalogMatchCancel: () => ({ amazonCatalogMatchCancel: { catalogMatchRun: cancelled, errors: [] } }),
    });
    renderWithServices(<CatalogSection store={STORE} />, { api: client });

    fireEvent.click(await screen.findByRole("button", { name: "Cancel match" }));
    expect((await screen.findByTestId("catalog-last-run")).textContent).toContain("The last match was cancelled");
    expect(calls.find((call) => call.operation === "AmazonCatalogMatchCancel")?.variables).toEqual({ storeId: STORE.id });
    expect(screen.queryByRole("button", { name: "Cancel match" })).toBeNull();
  });

  it("explains why a match cannot start", async () => {
    const { client } = mockClient({
      AmazonCatalogMatchRun: () => ({ amazonStore: { id: STORE.id, catalogMatchRun: null } }),
      AmazonCatalogMatches: () => page([]),
      AmazonCatalogMatchStart: () => ({
        amazonCatalogMatchStart: {
          catalogMatchRun: null,
          errors: [{ field: "storeId", code: "NOT_CONNECTED", message: "Connect the store to Amazon before matching its catalog." }],
        },
      }),
    });
    renderWithServices(<CatalogSection store={STORE} />, { api: client });
    fireEvent.click(await screen.findByRole("button", { name: "Start catalog match" }));
    expect((await screen.findByTestId("catalog-message")).textContent).toContain("Connect the store to Amazon");
  });

  it("is in French, reasons included", async () => {
    const { client } = mockClient({
      AmazonCatalogMatchRun: () => ({ amazonStore: { id: STORE.id, catalogMatchRun: makeRun() } }),
      AmazonCatalogMatches: () => page([makeMatch({ status: "NO_IDENTIFIER", identifier: null, asin: null, asins: [], reason: "No identifier." })]),
    });
    renderWithServices(<CatalogSection store={STORE} />, { api: client, locale: "fr" });
    expect(await screen.findByRole("heading", { name: "Catalogue sur Amazon" })).toBeTruthy();
    const table = await screen.findByTestId("catalog-table");
    expect(within(table).getByText("Le produit n’a pas de valeur pour l’identifiant de la boutique.")).toBeTruthy();
    expect(screen.getByRole("button", { name: "Actualiser la correspondance du catalogue" })).toBeTruthy();
  });

  it("never links an ASIN to a non-web URL", async () => {
    const { client } = mockClient({
      AmazonCatalogMatchRun: () => ({ amazonStore: { id: STORE.id, catalogMatchRun: makeRun() } }),
      AmazonCatalogMatches: () => page([makeMatch({ productUrl: "javascript:alert(1)", imageUrl: "javascript:alert(2)" })]),
    });
    renderWithServices(<CatalogSection store={STORE} />, { api: client });
    const table = await screen.findByTestId("catalog-table");
    expect(within(table).queryByRole("link")).toBeNull();
    expect(table.querySelector("img")).toBeNull();
  });
});

describe("Home card", () => {
  it("shows matched / total once a match finished", async () => {
    const done = makeStore({ id: "s1", name: "Done", catalogMatchRun: { status: "SUCCEEDED", counts: { matched: 7, total: 9 } } });
    const running = makeStore({ id: "s2", name: "Running", catalogMatchRun: { status: "RUNNING", counts: { matched: 1, total: 9 } } });
    const { client } = mockClient({ AmazonStores: () => storesPage([done, running]) });
    renderWithServices(<HomePage />, { api: client });
    const [first, second] = await screen.findAllByTestId("store-card");
    expect(within(first).getByText("7 / 9 matched")).toBeTruthy();
    expect(within(second).queryByText(/matched/)).toBeNull();
  });
});
