/**
 * The extension's operations against the plugin's checked-in SDL (../graphql/schema.graphql),
 * so a renamed field or argument breaks here rather than in the browser. Operations whose root
 * field the SDL does not define yet are reported as skipped.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { buildSchema, parse, validate, type GraphQLSchema, type OperationDefinitionNode } from "graphql";
import { describe, expect, it } from "vitest";
import * as api from "../src/lib/api";

const SDL = join(__dirname, "..", "..", "graphql", "schema.graphql");
const PLUGIN_OPERATIONS = Object.entries(api).filter(
  ([name, value]) => typeof value === "string" && /^(STORE|STORES|MARKETPLACES|SETUP)_/.test(name),
) as Array<[string, string]>;

function rootFields(document: string): { kind: "query" | "mutation"; fields: string[] } {
  const operation = parse(document).definitions[0] as OperationDefinitionNode;
  return {
    kind: operation.operation === "mutation" ? "mutation" : "query",
    fields: operation.selectionSet.selections.map((selection) => (selection.kind === "Field" ? selection.name.value : "")),
  };
}

function defines(schema: GraphQLSchema, document: string): boolean {
  const { kind, fields } = rootFields(document);
  const root = kind === "mutation" ? schema.getMutationType() : schema.getQueryType();
  return Boolean(root) && fields.every((field) => field in root!.getFields());
}

describe.skipIf(!existsSync(SDL))("operations match the plugin's schema", () => {
  const schema = existsSync(SDL) ? buildSchema(readFileSync(SDL, "utf8")) : (null as unknown as GraphQLSchema);

  it("covers the plugin operations", () => {
    expect(PLUGIN_OPERATIONS.map(([name]) => name).sort()).toEqual(
      ["MARKETPLACES_QUERY", "SETUP_QUERY", "STORES_QUERY", "STORE_CHECK", "STORE_CONNECT", "STORE_CREATE", "STORE_DELETE", "STORE_DISCONNECT", "STORE_QUERY", "STORE_UPDATE", "STORE_AUTHORIZATION_REQUEST", "SETUP_TASK_UPDATE"].sort(),
    );
  });

  for (const [name, document] of PLUGIN_OPERATIONS) {
    const runnable = !schema || defines(schema, document);
    it.skipIf(!runnable)(`${name} is valid`, () => {
      expect(validate(schema, parse(document)).map((error) => error.message)).toEqual([]);
    });
  }
});
