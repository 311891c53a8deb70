import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { buildSchema, parse, validate } from "graphql";
import { describe, expect, it } from "vitest";
import { parseAppPath, routePath } from "../src/lib/router";
import { LISTING_FIELDS } from "../src/listings/listings";
import {
  addGroup,
  addRow,
  countRows,
  describeCondition,
  emptyPriceRuleValues,
  formField,
  fromLocalInput,
  LISTING_RULES_PREVIEW,
  LISTING_RULES_QUERY,
  LISTING_RULES_UPDATE,
  moved,
  newRow,
  parseConditions,
  PRICE_RULE_CREATE,
  PRICE_RULE_DELETE,
  PRICE_RULE_UPDATE,
  PRICE_RULES_QUERY,
  PRICE_RULES_REORDER,
  priceRuleInput,
  removeNode,
  setMode,
  toLocalInput,
  treeFromApi,
  treeToApi,
  updateRow,
  valuesFromRule,
  type ApiCondition,
  type ConditionGroup,
  type ConditionRow,
  type PriceRule,
} from "../src/rules/rules";

const SDL = join(__dirname, "..", "..", "graphql", "schema.graphql");

const rowOf = (group: ConditionGroup, index: number) => group.children[index] as ConditionRow;

describe("condition tree editing", () => {
  it("adds rows and nested groups, changes modes, removes nodes, without touching the old tree", () => {
    const root = treeFromApi(null);
    expect(root).toMatchObject({ type: "group", mode: "all", children: [] });
    const one = addRow(root, root.key);
    expect(root.children).toHaveLength(0);
    expect(one.children).toHaveLength(1);
    const two = addGroup(one, one.key);
    const nested = two.children[1] as ConditionGroup;
    expect(nested).toMatchObject({ type: "group", mode: "any" });
    expect(nested.children).toHaveLength(1);
    const three = addRow(two, nested.key);
    expect(countRows(three)).toBe(3);
    const four = setMode(three, nested.key, "all");
    expect((four.children[1] as ConditionGroup).mode).toBe("all");
    expect((three.children[1] as ConditionGroup).mode).toBe("any");
    const five = removeNode(four, nested.key);
    expect(countRows(five)).toBe(1);
    expect(removeNode(five, five.key)).toBe(five);
  });

  it("a new field starts the row over; other changes keep it", () => {
    const start = treeFromApi(null);
    let tree = addRow(start, start.key, { ...newRow("category"), values: ["Q2F0OjE="] });
    const key = tree.children[0].key;
    tree = updateRow(tree, key, { operator: "noneOf" });
    expect(rowOf(tree, 0)).toMatchObject({ field: "category", operator: "noneOf", values: ["Q2F0OjE="] });
    tree = updateRow(tree, key, { field: "published" });
    expect(rowOf(tree, 0)).toMatchObject({ key, field: "published", operator: "is", values: [] });
    // A key that names no group changes nothing.
    expect(addRow(tree, "nowhere")).toBe(tree);
  });
});

describe("conditions from and to the API", () => {
  const api: ApiCondition = {
    AND: [
      { category: { oneOf: ["Q2F0ZWdvcnk6Mg=="] } },
      { published: true },
      { stock: { gte: 1 } },
      { OR: [{ price: { gte: "10", lte: "99.99" } }, { attribute: { slug: "color", noneOf: ["red"] } }, { availableForPurchase: false }] },
      { productType: { noneOf: ["UHJvZHVjdFR5cGU6MQ=="] } },
      { collection: { oneOf: ["Q29sbGVjdGlvbjox"] } },
    ],
  };

  it("round-trips every condition kind and nesting", () => {
    const tree = treeFromApi(api);
    expect(countRows(tree)).toBe(8);
    expect(treeToApi(tree)).toEqual({ conditions: api, errors: {} });
  });

  it("reads a single condition and an object of several kinds (Saleor's implicit AND)", () => {
    expect(treeToApi(treeFromApi({ published: false })).conditions).toEqual({ AND: [{ published: false }] });
    expect(treeToApi(treeFromApi({ published: true, stock: { lte: 5 } })).conditions).toEqual({ AND: [{ published: true }, { stock: { lte: 5 } }] });
    expect(treeToApi(treeFromApi(parseConditions('{"OR": [{"published": true}]}'))).conditions).toEqual({ OR: [{ published: true }] });
  });

  it("no condition is null (every variant); empty nested groups are dropped", () => {
    const root = treeFromApi({});
    expect(treeToApi(root)).toEqual({ conditions: null, errors: {} });
    const withGroup = addGroup(root, root.key);
    const emptied = removeNode(withGroup, (withGroup.children[0] as ConditionGroup).children[0].key);
    expect(treeToApi(emptied).conditions).toBeNull();
  });

  it("reports each invalid row by key", () => {
    const start = treeFromApi(null);
    const rows: ConditionRow[] = [
      newRow("category"),
      { ...newRow("attribute"), values: ["red"] },
      { ...newRow("attribute"), slug: "color" },
      newRow("price"),
      { ...newRow("price"), min: "ten" },
      { ...newRow("stock"), min: "1.5" },
      { ...newRow("stock"), min: "9", max: "3" },
      { ...newRow("price"), min: "9.5" },
    ];
    const tree = rows.reduce((acc, row) => addRow(acc, acc.key, row), start);
    const { conditions, errors } = treeToApi(tree);
    expect(conditions).toBeNull();
    expect(Object.values(errors)).toEqual(["values", "slug", "values", "range", "number", "whole", "bounds"]);
    expect(errors[rows[7].key]).toBeUndefined();
  });

  it("parses attribute value slugs", () => {
  });

  it("describes a failed condition with the names of what it picks", () => {
    const words = {
      field: (field: string) => field,
      operator: (operator: string) => operator,
      name: (_field: string, id: string) => (id === "Q2F0ZWdvcnk6Mg==" ? "Kitchen" : id),
      any: "any",
      all: "all",
    };
    expect(describeCondition({ category: { oneOf: ["Q2F0ZWdvcnk6Mg=="] } }, words)).toBe("category oneOf Kitchen");
    expect(describeCondition({ OR: [{ published: true }, { stock: { gte: 1 } }] }, words)).toBe("any (published is; stock between 1 – …)");
    expect(describeCondition(null, words)).toBe("");
  });
});

describe("price rule form → mutation input", () => {
  it("the merchant's +15 % rounded to .99 with a floor at cost + 10 %", () => {
    const values = { ...emptyPriceRuleValues(), name: " Amazon fees ", amount: "15", rounding: "UP", floorType: "COST_MARGIN", floorAmount: "10" };
    const { input, errors, rowErrors } = priceRuleInput(values);
    expect(errors).toEqual({});
    expect(rowErrors).toEqual({});
    expect(input).toEqual({
      name: "Amazon fees",
      description: "",
      isActive: true,
      startsAt: null,
      endsAt: null,
      stopFurtherRules: false,
      conditions: null,
      action: "INCREASE",
      amountType: "PERCENTAGE",
      amount: "15",
      rounding: "UP",
      roundingEnding: "0.99",
      floorType: "COST_MARGIN",
      floorAmount: "10",
      ceilingType: "NONE",
      ceilingAmount: null,
    });
  });

  it("checks what the server would refuse", () => {
    const base = emptyPriceRuleValues();
    expect(priceRuleInput(base).errors).toEqual({ name: "required", amount: "required" });
    const bad = { ...base, name: "x", amount: "100", action: "DECREASE", priority: "0", floorType: "FIXED", floorAmount: "", ceilingType: "FIXED", ceilingAmount: "1,5" };
    expect(priceRuleInput(bad).errors).toEqual({ amount: "percent", priority: "whole", floorAmount: "required", ceilingAmount: "number" });
    const dates = { ...base, name: "x", amount: "1", startsAt: "2026-06-02T00:00", endsAt: "2026-06-01T00:00" };
    expect(priceRuleInput(dates).errors).toEqual({ endsAt: "dates" });
    const row = { ...base, name: "x", amount: "1", conditions: addRow(base.conditions, base.conditions.key) };
    expect(Object.values(priceRuleInput(row).rowErrors)).toEqual(["values"]);
  });

  it("keeps a priority, dates and conditions; drops amounts of a floor or ceiling turned off", () => {
    const values = {
      ...emptyPriceRuleValues(),
      name: "Sale",
      amount: "2",
      amountType: "FIXED",
      action: "DECREASE",
      priority: "1",
      stopFurtherRules: true,
      startsAt: "2026-06-01T00:00",
      floorType: "NONE",
      floorAmount: "5",
      conditions: treeFromApi({ collection: { oneOf: ["Q29sbGVjdGlvbjox"] } }),
    };
    const { input } = priceRuleInput(values);
    expect(input).toMatchObject({ priority: 1, stopFurtherRules: true, floorAmount: null, conditions: { AND: [{ collection: { oneOf: ["Q29sbGVjdGlvbjox"] } }] } });
    expect(input.startsAt).toBe(new Date("2026-06-01T00:00").toISOString());
  });

  it("a saved rule fills the form, and saving it unchanged sends the same rule", () => {
    const rule: PriceRule = {
      id: "QW1hem9uUHJpY2VSdWxlOjE=",
      name: "Amazon fees",
      description: "",
      isActive: true,
      inEffect: true,
      startsAt: "2026-06-01T08:30:00+00:00",
      endsAt: null,
      priority: 2,
      stopFurtherRules: false,
      conditions: '{"category": {"oneOf": ["Q2F0ZWdvcnk6Mg=="]}}',
      action: "INCREASE",
      amountType: "PERCENTAGE",
      amount: "15",
      rounding: "UP",
      roundingEnding: "0.99",
      floorType: "COST_MARGIN",
      floorAmount: "10",
      ceilingType: "NONE",
      ceilingAmount: null,
    };
    const { input, errors } = priceRuleInput(valuesFromRule(rule));
    expect(errors).toEqual({});
    expect(input).toMatchObject({ priority: 2, startsAt: "2026-06-01T08:30:00.000Z", floorAmount: "10", conditions: { AND: [{ category: { oneOf: ["Q2F0ZWdvcnk6Mg=="] } }] } });
  });

  it("datetime-local values round-trip; bad ones are null", () => {
    const iso = "2026-06-01T08:30:00.000Z";
    expect(fromLocalInput(toLocalInput(iso))).toBe(iso);
    expect(toLocalInput(null)).toBe("");
    expect(fromLocalInput("")).toBeNull();
    expect(fromLocalInput("not a date")).toBeNull();
  });

  it("maps the API's error fields to the form's", () => {
    expect(formField("floor_amount")).toBe("floorAmount");
    expect(formField("ends_at")).toBe("endsAt");
    expect(formField("store_id")).toBeNull();
    expect(formField(null)).toBeNull();
  });
});

describe("reordering", () => {
  it("moves a rule up or down, not past either end", () => {
    expect(moved(["a", "b", "c"], "c", -1)).toEqual(["a", "c", "b"]);
    expect(moved(["a", "b", "c"], "a", 1)).toEqual(["b", "a", "c"]);
    expect(moved(["a", "b"], "a", -1)).toEqual(["a", "b"]);
    expect(moved(["a", "b"], "x", 1)).toEqual(["a", "b"]);
  });
});

describe("routes", () => {
  it("has the rules screens under the store", () => {
    expect(parseAppPath("/stores/S1/listing-rules")).toEqual({ name: "listingRules", id: "S1" });
    expect(parseAppPath("/stores/S1/price-rules")).toEqual({ name: "priceRules", id: "S1" });
    expect(parseAppPath("/stores/S1/price-rules/new")).toEqual({ name: "priceRule", id: "S1", ruleId: "new" });
    expect(routePath({ name: "priceRule", id: "S1", ruleId: "R:1" })).toBe("/stores/S1/price-rules/R%3A1");
    expect(routePath({ name: "listingRules", id: "S1" })).toBe("/stores/S1/listing-rules");
  });
});

describe.skipIf(!existsSync(SDL))("rules operations", () => {
  it("validate against the plugin's schema", () => {
    const schema = buildSchema(readFileSync(SDL, "utf8"));
    const listing = `query L($storeId: ID!) { amazonListings(storeId: $storeId) { edges { node { ${LISTING_FIELDS} } } } }`;
    for (const document of [LISTING_RULES_QUERY, LISTING_RULES_PREVIEW, LISTING_RULES_UPDATE, PRICE_RULES_QUERY, PRICE_RULE_CREATE, PRICE_RULE_UPDATE, PRICE_RULE_DELETE, PRICE_RULES_REORDER, listing]) {
      expect(validate(schema, parse(document)).map((error) => error.message)).toEqual([]);
    }
  });
});
