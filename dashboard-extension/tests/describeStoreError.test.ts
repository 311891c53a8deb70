import { describe, expect, it } from "vitest";
import { describeStoreError } from "../src/stores/wording";
import { createI18n } from "../src/i18n";
import { rememberedLocale, rememberLocale } from "../src/consent/connectResult";

describe("describeStoreError", () => {
  const en = createI18n("en");
  const fr = createI18n("fr");

  it("shows the API's (English) message in English", () => {
    expect(describeStoreError(en, { field: "name", code: "UNIQUE", message: "A store named “X” already exists." })).toBe(
      "A store named “X” already exists.",
    );
  });

  it("shows the catalog's text for a known code in other locales", () => {
    expect(describeStoreError(fr, { field: "name", code: "UNIQUE", message: "A store named “X” already exists." })).toBe(
      fr.t("form.nameTaken"),
    );
    expect(describeStoreError(fr, { field: "contactEmail", code: "INVALID", message: "Enter a valid email address." })).toBe(
      fr.t("form.invalidEmail"),
    );
    expect(describeStoreError(fr, { field: null, code: "AUTHORIZATION_REVOKED", message: "Amazon no longer accepts it." })).toBe(
      fr.t("errorCode.AUTHORIZATION_REVOKED"),
    );
  });

  it("falls back to the API's message for a code the catalog does not know", () => {
    expect(describeStoreError(fr, { field: null, code: "SOMETHING_NEW", message: "Something new." })).toBe("Something new.");
    expect(describeStoreError(fr, { field: null, code: "SOMETHING_NEW", message: null })).toBe(fr.t("errorCode.INVALID"));
  });
});

describe("rememberLocale", () => {
  it("keeps the Dashboard's language for the consent tab's result page", () => {
    rememberLocale("fr");
    expect(rememberedLocale()).toBe("fr");
    rememberLocale("en");
    expect(rememberedLocale()).toBe("en");
  });
});
