import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { en } from "../src/i18n/en";
import { fr } from "../src/i18n/fr";
import { REASON_CODES } from "../src/consent/connectResult";
import { LISTING_REASON_CODES } from "../src/listings/listings";
import { REGION_ORDER } from "../src/stores/marketplaces";
import { STORE_ERROR_CODES, STORE_EVENT_TYPES, STORE_STATUSES } from "../src/lib/types";

const SRC = join(__dirname, "..", "src");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === "i18n" ? [] : sourceFiles(path);
    return /\.(ts|tsx)$/.test(name) ? [path] : [];
  });
}

const enKeys = Object.keys(en).sort();
const frKeys = Object.keys(fr).sort();
const namespaces = new Set(enKeys.map((key) => key.split(".")[0]));
const sources = sourceFiles(SRC).map((path) => ({ path, text: readFileSync(path, "utf8") }));

/** String literals that look like message keys ("ns.something"), per file. */
function staticKeys(): Array<{ key: string; path: string }> {
  const found: Array<{ key: string; path: string }> = [];
  for (const { path, text } of sources) {
    for (const match of text.matchAll(/["'`]([a-z][A-Za-z]*(?:\.[A-Za-z0-9_]+)+)["'`]/g)) {
      if (namespaces.has(match[1].split(".")[0])) found.push({ key: match[1], path });
    }
  }
  return found;
}

/** Prefixes of keys built at run time: `status.${...}` → "status.". */
function dynamicPrefixes(): string[] {
  const prefixes = new Set<string>();
  for (const { text } of sources) {
    for (const match of text.matchAll(/`([a-z][A-Za-z]*(?:\.[A-Za-z0-9_]+)*\.)\$\{/g)) prefixes.add(match[1]);
  }
  return [...prefixes];
}

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("message catalogs", () => {
  it("EN and FR have the same keys", () => {
    expect(frKeys).toEqual(enKeys);
  });

  it("no message is empty", () => {
    for (const key of enKeys) {
      expect(en[key as keyof typeof en].trim(), `en ${key}`).not.toBe("");
      expect(fr[key as keyof typeof fr].trim(), `fr ${key}`).not.toBe("");
    }
  });

  it("EN and FR use the same placeholders", () => {
    for (const key of enKeys) {
      expect(placeholders(fr[key as keyof typeof fr]), key).toEqual(placeholders(en[key as keyof typeof en]));
    }
  });

  it("the French catalog is translated (not a copy of the English one)", () => {
    const same = enKeys.filter((key) => en[key as keyof typeof en] === fr[key as keyof typeof fr] && /[a-z]{4}/.test(en[key as keyof typeof en]));
    // A few words are the same in both languages ("Active", "Date", "Europe", ...).
    expect(same.length).toBeLessThan(10);
  });

  it("every key used in the code exists", () => {
    const missing = staticKeys().filter(({ key }) => !(key in en));
    expect(missing).toEqual([]);
  });

  it("every key built at run time has messages behind its prefix", () => {
    const prefixes = dynamicPrefixes();
    expect(prefixes.length).toBeGreaterThan(0);
    for (const prefix of prefixes) {
      expect(enKeys.some((key) => key.startsWith(prefix)), prefix).toBe(true);
    }
  });

  it("every key is used (statically or through a run-time prefix)", () => {
    const used = new Set(staticKeys().map(({ key }) => key));
    const prefixes = dynamicPrefixes();
    const unused = enKeys.filter((key) => !used.has(key) && !prefixes.some((prefix) => key.startsWith(prefix)));
    expect(unused).toEqual([]);
  });

  it.each([
    ["status.", STORE_STATUSES],
    ["statusHint.", STORE_STATUSES],
    ["errorCode.", STORE_ERROR_CODES],
    ["event.", STORE_EVENT_TYPES],
    ["reason.", [...REASON_CODES, "UNKNOWN"]],
    ["form.region.", REGION_ORDER],
    ["listings.reason.", LISTING_REASON_CODES],
  ] as const)("has a message for every %s value", (prefix, values) => {
    for (const value of values) expect(`${prefix}${value}` in en, `${prefix}${value}`).toBe(true);
  });

  it("keeps UI text out of the components (no long literal sentences in TSX)", () => {
    const offenders: string[] = [];
    for (const { path, text } of sources.filter((s) => s.path.endsWith(".tsx"))) {
      // JSX text nodes made of words: >Some words here<
      for (const match of text.matchAll(/(?<![=-])>\s*([A-Za-zÀ-ÿ][A-Za-zÀ-ÿ' ,.!?]{2,})\s*<[/A-Za-z]/g)) {
        offenders.push(`${path}: ${match[1]}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
