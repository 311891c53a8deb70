/**
 * The price rules' order: up and down buttons (the keyboard's way) and, with a pointer, a row dragged
 * onto another takes its place.
 */
import { createEvent, fireEvent, screen, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { PriceRulesPage } from "../src/rules/PriceRulesPage";
import { movedTo, type PriceRule } from "../src/rules/rules";
import { makeStore, mockClient, mockHost, renderWithServices } from "./helpers";

function rule(id: string, priority: number): PriceRule {
  return {
    id,
    name: `Rule ${id}`,
    description: "",
    isActive: true,
    inEffect: true,
    startsAt: null,
    endsAt: null,
    priority,
    stopFurtherRules: false,
    conditions: {},
    action: "INCREASE",
    amountType: "PERCENTAGE",
    amount: "10",
    rounding: "NONE",
    roundingEnding: "",
    floorType: "NONE",
    floorAmount: null,
    ceilingType: "NONE",
    ceilingAmount: null,
  };
}

function render() {
  let order = ["A", "B", "C"];
  const api = mockClient({
    AmazonStore: () => ({ amazonStore: { ...makeStore({ status: "CONNECTED" }), participations: [], events: [] } }),
    AmazonPriceRules: () => ({ amazonPriceRules: order.map((id, index) => rule(id, index + 1)) }),
    AmazonPriceRulesReorder: (variables) => {
      order = variables.ruleIds as string[];
      return { amazonPriceRulesReorder: { priceRules: order.map((id, index) => rule(id, index + 1)), errors: [] } };
    },
  });
  const host = mockHost();
  renderWithServices(<PriceRulesPage storeId="s1" />, { api: api.client, host });
  return { ...api, host };
}

const row = (id: string) => document.querySelector<HTMLElement>(`tr[data-rule-id="${id}"]`)!;
const names = () => Array.from(document.querySelectorAll("tr[data-rule-id]"), (tr) => tr.getAttribute("data-rule-id"));

/** A drag event with a DataTransfer stand-in (happy-dom has none). */
function drag(type: "dragStart" | "dragOver" | "drop" | "dragEnd", target: HTMLElement) {
  const event = createEvent[type](target);
  Object.defineProperty(event, "dataTransfer", { value: { setData: () => undefined, effectAllowed: "" } });
  fireEvent(target, event);
}

describe("price rules order", () => {
  it("moves a rule where it is dropped", () => {
    expect(movedTo(["a", "b", "c"], "c", "a")).toEqual(["c", "a", "b"]);
    expect(movedTo(["a", "b", "c"], "a", "c")).toEqual(["b", "c", "a"]);
    expect(movedTo(["a", "b"], "a", "a")).toEqual(["a", "b"]);
    expect(movedTo(["a", "b"], "x", "a")).toEqual(["a", "b"]);
  });

  it("drags the last rule onto the first: it applies first", async () => {
    const { calls, host } = render();
    await screen.findByTestId("price-rules-table");
    expect(screen.getByTestId("price-rules-drag-hint")).toBeTruthy();
    expect(row("C").getAttribute("draggable")).toBe("true");
    drag("dragStart", row("C"));
    drag("dragOver", row("A"));
    await waitFor(() => expect(row("A").getAttribute("data-drop-target")).toBe("true"));
    drag("drop", row("A"));
    await waitFor(() => expect(calls.find((call) => call.operation === "AmazonPriceRulesReorder")?.variables.ruleIds).toEqual(["C", "A", "B"]));
    await waitFor(() => expect(names()).toEqual(["C", "A", "B"]));
    expect(host.notify).toHaveBeenCalledWith("success", "Rule C moved. Prices are recomputed.", undefined);
  });

  it("keeps the arrows for the keyboard", async () => {
    const { calls } = render();
    await screen.findByTestId("price-rules-table");
    fireEvent.click(screen.getByRole("button", { name: "Move Rule B up" }));
    await waitFor(() => expect(calls.find((call) => call.operation === "AmazonPriceRulesReorder")?.variables.ruleIds).toEqual(["B", "A", "C"]));
  });
});
