import { describe, expect, it } from "vitest";
import {
  fieldForError,
  identifierSource,
  mapStoreErrors,
  validateStoreForm,
  VARIANT_SKU_VALUE,
  type StoreFormValues,
} from "../src/stores/formErrors";
import type { AmazonStoreError } from "../src/lib/types";

describe("fieldForError", () => {
  it.each([
    ["name", "name"],
    ["contactEmail", "contactEmail"],
    ["contact_email", "contactEmail"],
    ["email", "contactEmail"],
    ["channel", "channel"],
    ["marketplace", "marketplace"],
    ["productIdentifier", "productIdentifier"],
    ["productIdentifier.type", "productIdentifier"],
    ["productIdentifier.attribute", "attribute"],
    ["productIdentifier.source", "attribute"],
    ["attribute", "attribute"],
    ["input.name", "name"],
    ["isActive", "isActive"],
  ])("%s → %s", (field, expected) => {
    expect(fieldForError(field)).toBe(expected);
  });

  it.each([null, undefined, "", "id", "somethingElse", "input"])("%s → top level", (field) => {
    expect(fieldForError(field)).toBeNull();
  });
});

describe("mapStoreErrors", () => {
  const describe_ = (error: AmazonStoreError) => error.message ?? `code:${error.code}`;

  it("puts known fields next to their inputs and the rest on top", () => {
    const mapped = mapStoreErrors(
      [
        { field: "name", code: "UNIQUE", message: "A store with this name exists." },
        { field: "marketplace", code: "INVALID", message: null },
        { field: "productIdentifier.attribute", code: "REQUIRED", message: null },
        { field: null, code: "PLUGIN_NOT_CONFIGURED", message: "Configure the plugin." },
        { field: "mystery", code: "INVALID", message: "Strange." },
      ],
      describe_,
    );
    expect(mapped.fields).toEqual({
      name: "A store with this name exists.",
      marketplace: "code:INVALID",
      attribute: "code:REQUIRED",
    });
    expect(mapped.general).toEqual(["Configure the plugin.", "Strange."]);
  });

  it("joins several errors on one field, once each", () => {
    const mapped = mapStoreErrors(
      [
        { field: "contactEmail", code: "REQUIRED", message: "Required." },
        { field: "contactEmail", code: "INVALID", message: "Invalid." },
      ],
      describe_,
    );
    expect(mapped.fields.contactEmail).toBe("Required. Invalid.");
  });

  it("sends isActive errors to the top (no field to show them at)", () => {
    const mapped = mapStoreErrors([{ field: "isActive", code: "INVALID", message: "No." }], describe_);
    expect(mapped.general).toEqual(["No."]);
  });
});

describe("validateStoreForm", () => {
  const valid: StoreFormValues = {
    name: "Amazon Store USA",
    contactEmail: "ops@example.com",
    channel: "Q2hhbm5lbDox",
    marketplace: "ATVPDKIKX0DER",
    productIdType: "SKU",
    attribute: VARIANT_SKU_VALUE,
    isActive: true,
  };

  it("accepts a complete form", () => {
    expect(validateStoreForm(valid, "create")).toEqual([]);
  });

  it("requires the fields", () => {
    const errors = validateStoreForm({ ...valid, name: " ", contactEmail: "", channel: "", marketplace: "", attribute: "" }, "create");
    expect(errors.map((e) => [e.field, e.code])).toEqual([
      ["channel", "REQUIRED"],
      ["contactEmail", "REQUIRED"],
      ["name", "REQUIRED"],
      ["marketplace", "REQUIRED"],
      ["attribute", "REQUIRED"],
    ]);
  });

  it("checks the e-mail address", () => {
    expect(validateStoreForm({ ...valid, contactEmail: "not-an-email" }, "create")).toEqual([
      { field: "contactEmail", code: "INVALID", message: null },
    ]);
  });

  it("does not require the marketplace on update (read-only)", () => {
    expect(validateStoreForm({ ...valid, marketplace: "" }, "update")).toEqual([]);
  });
});

describe("identifierSource", () => {
  it("maps the select value to the API input", () => {
    expect(identifierSource(VARIANT_SKU_VALUE)).toEqual({ source: "VARIANT_SKU", attribute: null });
    expect(identifierSource("ean-code")).toEqual({ source: "ATTRIBUTE", attribute: "ean-code" });
  });
});
