import { describe, expect, it } from "vitest";
import { createI18n, interpolate, normalizeLocale, pickLocale, translate } from "../src/i18n";

describe("locale selection", () => {
  it("normalizes locale tags", () => {
    expect(normalizeLocale("fr")).toBe("fr");
    expect(normalizeLocale("FR")).toBe("fr");
    expect(normalizeLocale("fr-CA")).toBe("fr");
    expect(normalizeLocale("fr_FR")).toBe("fr");
    expect(normalizeLocale("en-GB")).toBe("en");
    expect(normalizeLocale("de")).toBeNull();
    expect(normalizeLocale("")).toBeNull();
    expect(normalizeLocale(null)).toBeNull();
  });

  it("prefers the Dashboard's locale", () => {
    expect(pickLocale("fr", "en", ["en-US"])).toBe("fr");
    expect(pickLocale("en", "fr", ["fr-FR"])).toBe("en");
  });

  it("falls back to ?locale= then the browser", () => {
    expect(pickLocale(null, "fr", ["en-US"])).toBe("fr");
    expect(pickLocale(undefined, null, ["de-DE", "fr-FR", "en"])).toBe("fr");
  });

  it("skips unsupported locales and ends with English", () => {
    expect(pickLocale("de", null, ["es-ES"])).toBe("en");
    expect(pickLocale("pt-BR", "fr", [])).toBe("fr");
    expect(pickLocale()).toBe("en");
  });
});

describe("messages", () => {
  it("interpolates placeholders and leaves unknown ones", () => {
    expect(interpolate("Hello {name}, {count} new", { name: "Ada", count: 2 })).toBe("Hello Ada, 2 new");
    expect(interpolate("Hello {name}", {})).toBe("Hello {name}");
  });

  it("translates", () => {
    expect(translate("en", "home.addStore")).toBe("Add Amazon Store");
    expect(translate("fr", "home.addStore")).toBe("Ajouter une boutique Amazon");
    expect(translate("fr", "home.deleted", { name: "USA" })).toBe("La boutique « USA » a été supprimée.");
  });

  it("tDynamic falls back for unknown keys", () => {
    const i18n = createI18n("en");
    expect(i18n.tDynamic("status.CONNECTED", "status.ERROR")).toBe("Connected");
    expect(i18n.tDynamic("status.NEW_THING", "status.ERROR")).toBe("Error");
  });

  it("formats dates per locale and shows a dash for none", () => {
    const en = createI18n("en");
    const fr = createI18n("fr");
    const date = "2026-03-05T10:30:00Z";
    expect(en.formatDate(date)).toMatch(/Mar 5, 2026/);
    expect(fr.formatDate(date)).toMatch(/5 mars 2026/);
    expect(en.formatDate(null)).toBe("—");
    expect(en.formatDateTime("not a date")).toBe("not a date");
  });

  it("names countries in the UI language", () => {
    expect(createI18n("fr").countryName("DE", "Germany")).toBe("Allemagne");
    expect(createI18n("en").countryName("GB", "United Kingdom")).toBe("United Kingdom");
    expect(createI18n("en").countryName("??", "Fallback")).toBe("Fallback");
  });
});
