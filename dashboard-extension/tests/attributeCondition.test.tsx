/**
 * The "attribute" condition picks the attribute and its values by name (searched in Saleor, like the
 * Dashboard's discount-rule conditions), keeps slugs in the rule, and shows a saved rule's slugs by
 * their names.
 */
import { act, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { useEffect, useState } from "react";
import { describe, expect, it } from "vitest";
import { ConditionBuilder } from "../src/rules/ConditionBuilder";
import { useConditionText } from "../src/rules/ListingRulesPage";
import { treeFromApi, treeToApi, type ApiCondition, type ConditionGroup } from "../src/rules/rules";
import { mockClient, mockHost, renderWithServices } from "./helpers";

const COLOR = { name: "Colour", slug: "color" };
const VALUES = [
  { name: "Navy blue", slug: "blue-1" },
  { name: "Crimson", slug: "red-2" },
  { name: "Forest green", slug: "green-3" },
];

function saleor() {
  return mockClient({
    AmazonChannelPickerAttributes: (variables) => ({
      attributes: {
        edges: [COLOR, { name: "Size", slug: "size" }]
          .filter((attribute) => !variables.search || attribute.name.toLowerCase().includes(String(variables.search).toLowerCase()))
          .map((node, index) => ({ node: { id: `A${index}`, ...node } })),
        pageInfo: { hasNextPage: false, endCursor: null },
      },
    }),
    AmazonRulesAttributeChoices: (variables) => ({
      attribute: {
        ...COLOR,
        choices: {
          edges: VALUES.filter((value) => !variables.search || value.name.toLowerCase().includes(String(variables.search).toLowerCase())).map((node) => ({ node })),
        },
      },
    }),
    AmazonRulesAttributeChoicesBySlug: (variables) => ({
      attribute: { ...COLOR, choices: { edges: VALUES.filter((value) => (variables.slugs as string[]).includes(value.slug)).map((node) => ({ node })) } },
    }),
  });
}

let latest: ApiCondition | null = null;
const record = (conditions: ApiCondition | null) => {
  latest = conditions;
};

function Builder({ initial }: { initial: ApiCondition | null }) {
  const [tree, setTree] = useState<ConditionGroup>(() => treeFromApi(initial));
  const conditionText = useConditionText({});
  useEffect(() => record(treeToApi(tree).conditions), [tree]);
  return (
    <>
      <ConditionBuilder value={tree} onChange={setTree} errors={{}} options={{}} />
      <p data-testid="summary">{conditionText(treeToApi(tree).conditions)}</p>
    </>
  );
}

function render(initial: ApiCondition | null) {
  const client = saleor();
  renderWithServices(<Builder initial={initial} />, { api: mockClient({}).client, saleor: client.client, host: mockHost() });
  return client;
}

describe("the attribute condition", () => {
  it("shows a saved rule's attribute and values by their names, asking Saleor by slug", async () => {
    const { calls } = render({ attribute: { slug: "color", oneOf: ["red-2", "gone-9"] } });
    const values = screen.getByTestId("condition-attribute-values");
    await waitFor(() => expect(values.textContent).toContain("Crimson"));
    // A value Saleor no longer has keeps its slug.
    expect(values.textContent).toContain("gone-9");
    expect((within(screen.getByTestId("condition-attribute")).getByRole("combobox") as HTMLInputElement).value).toBe("Colour");
    expect(calls.find((call) => call.operation === "AmazonRulesAttributeChoicesBySlug")?.variables).toEqual({ slug: "color", slugs: ["red-2", "gone-9"] });
    expect(latest).toEqual({ AND: [{ attribute: { slug: "color", oneOf: ["red-2", "gone-9"] } }] });
    // macaw-ui's arrow icons carry downshift's toggle ARIA: they are labelled buttons (axe: aria-allowed-attr).
    await waitFor(() => expect(document.querySelectorAll('[id$="-toggle-button"][role="button"][aria-label="Show the choices"]').length).toBe(2));
    // The condition's summary (price rule form, preview, a listing's drawer) names them too.
    expect(screen.getByTestId("summary").textContent).toBe("all of these conditions (Attribute Colour is any of Crimson, gone-9)");
  });

  it("picks a value by its name, searched in Saleor; the rule keeps its slug", async () => {
    const { calls } = render({ attribute: { slug: "color", oneOf: ["red-2"] } });
    const values = screen.getByTestId("condition-attribute-values");
    await waitFor(() => expect(values.textContent).toContain("Crimson"));
    const input = within(values).getByRole("combobox");
    act(() => input.focus());
    fireEvent.change(input, { target: { value: "navy" } });
    await waitFor(() => expect(calls.some((call) => call.operation === "AmazonRulesAttributeChoices" && call.variables.search === "navy")).toBe(true));
    await waitFor(() => expect(screen.queryByRole("option", { name: "Forest green" })).toBeNull());
    fireEvent.click(await screen.findByRole("option", { name: "Navy blue" }));
    await waitFor(() => expect(latest).toEqual({ AND: [{ attribute: { slug: "color", oneOf: ["red-2", "blue-1"] } }] }));
  });

  it("picks the attribute by its name; its values start over", async () => {
    render(null);
    fireEvent.click(screen.getByTestId("condition-add"));
    fireEvent.change(screen.getByTestId("condition-field"), { target: { value: "attribute" } });
    const input = within(screen.getByTestId("condition-attribute")).getByRole("combobox");
    act(() => input.focus());
    fireEvent.change(input, { target: { value: "col" } });
    fireEvent.click(await screen.findByRole("option", { name: "Colour" }, { timeout: 3000 }));
    const values = within(screen.getByTestId("condition-attribute-values")).getByRole("combobox");
    await waitFor(() => expect((values as HTMLInputElement).disabled).toBe(false));
    act(() => values.focus());
    fireEvent.change(values, { target: { value: "forest" } });
    fireEvent.click(await screen.findByRole("option", { name: "Forest green" }, { timeout: 3000 }));
    await waitFor(() => expect(latest).toEqual({ AND: [{ attribute: { slug: "color", oneOf: ["green-3"] } }] }));
  });
});
