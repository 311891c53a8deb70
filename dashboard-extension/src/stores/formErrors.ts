import type { AmazonStoreError, ProductIdSource, ProductIdType } from "../lib/types";

export const FORM_FIELDS = [
  "name",
  "contactEmail",
  "channel",
  "marketplace",
  "productIdentifier",
  "attribute",
  "isActive",
] as const;
export type FormField = (typeof FORM_FIELDS)[number];

const ALIASES: Record<string, FormField> = {
  email: "contactEmail",
  channelid: "channel",
  channelslug: "channel",
  marketplaceid: "marketplace",
  country: "marketplace",
  countrycode: "marketplace",
  productidentifier: "productIdentifier",
  productidentifiertype: "productIdentifier",
  productidtype: "productIdentifier",
  type: "productIdentifier",
  identifiertype: "productIdentifier",
  attribute: "attribute",
  productidentifierattribute: "attribute",
  productidentifiersource: "attribute",
  source: "attribute",
  attributeslug: "attribute",
  isactive: "isActive",
  active: "isActive",
};

/**
 * The form field an API error belongs to, or null for a top-level error.
 * Accepts the contract's names (`contactEmail`, `productIdentifier`, ...), dotted paths
 * (`input.productIdentifier.attribute`) and snake_case (`contact_email`).
 */
export function fieldForError(field: string | null | undefined): FormField | null {
  if (!field) return null;
  const parts = field
    .split(".")
    .map((part) => part.replace(/_/g, "").toLowerCase())
    .filter((part) => part && part !== "input");
  if (parts.length === 0) return null;
  // The most specific part first ("productIdentifier.attribute" → attribute), then the whole path.
  const candidates = [parts[parts.length - 1], parts.join("")];
  for (const candidate of candidates) {
    const direct = FORM_FIELDS.find((known) => known.toLowerCase() === candidate);
    if (direct) return direct;
    if (ALIASES[candidate]) return ALIASES[candidate];
  }
  return null;
}

export type MappedErrors = {
  fields: Partial<Record<FormField, string>>;
  general: string[];
};

/**
 * Split mutation errors between the fields they belong to and a top-level list.
 * `describe` turns an error into the text to show (its message, or a localized text for its code).
 */
export function mapStoreErrors(
  errors: readonly AmazonStoreError[],
  describe: (error: AmazonStoreError) => string,
): MappedErrors {
  const result: MappedErrors = { fields: {}, general: [] };
  for (const error of errors) {
    const text = describe(error);
    const field = fieldForError(error.field);
    if (field && field !== "isActive") {
      const previous = result.fields[field];
      result.fields[field] = previous && previous !== text ? `${previous} ${text}` : text;
    } else {
      result.general.push(text);
    }
  }
  return result;
}

export type StoreFormValues = {
  name: string;
  contactEmail: string;
  channel: string;
  marketplace: string;
  productIdType: ProductIdType;
  /** "" (nothing chosen), VARIANT_SKU_VALUE, or an attribute slug. */
  attribute: string;
  isActive: boolean;
};

/** The value of the "Saleor attribute" select that means "use the variant SKU". */
export const VARIANT_SKU_VALUE = "__variant_sku__";

export function identifierSource(attributeValue: string): { source: ProductIdSource; attribute: string | null } {
  return attributeValue === VARIANT_SKU_VALUE
    ? { source: "VARIANT_SKU", attribute: null }
    : { source: "ATTRIBUTE", attribute: attributeValue || null };
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Checks done before sending (the API checks again); returns errors in the API's shape. */
export function validateStoreForm(values: StoreFormValues, mode: "create" | "update"): AmazonStoreError[] {
  const errors: AmazonStoreError[] = [];
  const required = (field: FormField, value: string) => {
    if (!value.trim()) errors.push({ field, code: "REQUIRED", message: null });
  };
  required("channel", values.channel);
  required("contactEmail", values.contactEmail);
  if (values.contactEmail.trim() && !EMAIL.test(values.contactEmail.trim())) {
    errors.push({ field: "contactEmail", code: "INVALID", message: null });
  }
  required("name", values.name);
  if (mode === "create") required("marketplace", values.marketplace);
  required("attribute", values.attribute);
  return errors;
}
