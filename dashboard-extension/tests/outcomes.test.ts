/**
 * The outcome codes the extension knows are generated from the plugin's outcomes module
 * (saleor_amazon_channel/outcomes.py); the Python suite compares the generated file with the module,
 * this side checks the module still defines exactly these codes and that the UI uses the generated list.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REASON_CODES } from "../src/consent/connectResult";
import { ERROR_CODES, LISTING_REASONS, REASON_CODES as GENERATED_REASONS } from "../src/lib/outcomes.generated";
import { STORE_ERROR_CODES } from "../src/lib/types";

const MODULE = readFileSync(join(__dirname, "..", "..", "saleor_amazon_channel", "outcomes.py"), "utf8");

function outcomeCodes(source: string): string[] {
  const body = source.split("class Outcome(StrEnum):")[1].split("\n    @property")[0];
  return [...body.matchAll(/^ {4}([A-Z0-9_]+) = "([A-Z0-9_]+)"$/gm)].map((match) => {
    expect(match[1]).toBe(match[2]);
    return match[1];
  });
}

describe("one vocabulary of outcomes", () => {
  it("knows every code of the plugin's Outcome enum, and no other", () => {
    const codes = outcomeCodes(MODULE);
    expect(codes.length).toBeGreaterThan(20);
    expect(new Set([...GENERATED_REASONS, ...ERROR_CODES, ...LISTING_REASONS])).toEqual(new Set(codes));
  });

  it("uses the generated lists for the return page and the GraphQL error codes", () => {
    expect(REASON_CODES).toBe(GENERATED_REASONS);
    expect(STORE_ERROR_CODES).toBe(ERROR_CODES);
    expect(REASON_CODES).toContain("STATE_BROWSER_MISMATCH");
    expect(STORE_ERROR_CODES).not.toContain("ALREADY_CONNECTED");
  });
});
