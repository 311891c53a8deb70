/**
 * The server sends codes and facts (an event's type + data, an error's code); the merchant reads
 * them in their language. English text from the server is only the last resort, for a code this
 * release does not know.
 */
import { isMessageKey, type I18n } from "../i18n";
import { reasonMessageKey } from "../consent/connectResult";
import type { AmazonStore, AmazonStoreError, AmazonStoreEvent, AmazonStoreFailure } from "../lib/types";

/** A mutation's error (AmazonStoreError) in the merchant's language. */
export function describeStoreError(i18n: I18n, error: AmazonStoreError): string {
  // The API's messages are English: other locales show the catalog's text for the code,
  // and the message only for a code the catalog does not know.
  const known = isMessageKey(`errorCode.${error.code}`);
  if (error.message && (i18n.locale === "en" || !known)) return error.message;
  if (error.field === "contactEmail" && error.code === "INVALID") return i18n.t("form.invalidEmail");
  if (error.field === "name" && error.code === "UNIQUE") return i18n.t("form.nameTaken");
  return i18n.tDynamic(`errorCode.${error.code}`, "errorCode.INVALID");
}

/** The store's last error, by its code; the server's English text for an unknown code. */
export function lastErrorText(i18n: I18n, store: Pick<AmazonStore, "lastError" | "lastErrorCode">): string | null {
  if (!store.lastError && !store.lastErrorCode) return null;
  const code = store.lastErrorCode ?? "";
  // A check's wording where it differs from the consent's (lastError.*), else the outcome's (reason.*).
  const key = `lastError.${code.toLowerCase()}`;
  if (code && isMessageKey(key)) return i18n.t(key);
  if (code && isMessageKey(`reason.${code}`)) return i18n.t(reasonMessageKey(code));
  return store.lastError;
}

/** Why an attempt or a check failed: a connection reason (reason.*) or a check's error code (lastError.*). */
export function failureReasonText(i18n: I18n, failure: Pick<AmazonStoreFailure, "reason" | "message">): string {
  const reason = failure.reason ?? "";
  if (reason && isMessageKey(`reason.${reason}`)) return i18n.t(reasonMessageKey(reason));
  const key = `lastError.${reason.toLowerCase()}`;
  if (reason && isMessageKey(key)) return i18n.t(key);
  return i18n.locale === "en" && failure.message ? failure.message : i18n.t("reason.UNKNOWN");
}

/** Who did it: staff e-mails and app names as they are; the plugin and Amazon in the merchant's language. */
export function actorText(i18n: I18n, event: Pick<AmazonStoreEvent, "actor" | "actorKind">): string {
  if (event.actorKind === "SYSTEM") return i18n.t("app.system");
  if (event.actorKind === "AMAZON") return i18n.t("app.amazon");
  return event.actor || i18n.t("app.none");
}

const str = (value: unknown): string => (value === undefined || value === null ? "" : String(value));

/** One line of the audit trail, from the event's type and data. */
export function eventText(
  i18n: I18n,
  event: Pick<AmazonStoreEvent, "type" | "message" | "data">,
  store: Pick<AmazonStore, "marketplace">,
): string {
  const data = event.data ?? {};
  const country = i18n.countryName(store.marketplace.countryCode, store.marketplace.countryName);
  const seller = { sellerId: str(data.sellerId) || i18n.t("app.none"), region: str(data.region) || store.marketplace.region };
  switch (event.type) {
    case "CREATED":
      return i18n.t("eventText.CREATED", { country });
    case "UPDATED": {
      const fields = Array.isArray(data.fields) ? data.fields.map(String) : [];
      const names = fields.map((field) => i18n.tDynamic(`field.${field}`, "field.name"));
      return i18n.t("eventText.UPDATED", { fields: names.join(", ") || i18n.t("app.none") });
    }
    case "CONNECT_STARTED":
      return i18n.t("eventText.CONNECT_STARTED", { country });
    case "CONNECTED":
      return i18n.t("eventText.CONNECTED", seller);
    case "RENEWED":
      return data.viaStore ? i18n.t("eventText.RENEWED_VIA", { store: str(data.viaStore) }) : i18n.t("eventText.RENEWED", seller);
    case "DISCONNECTED":
      return i18n.t("eventText.DISCONNECTED", seller);
    case "CONNECT_FAILED":
      return i18n.t("eventText.CONNECT_FAILED", { reason: failureReasonText(i18n, { reason: str(data.reason), message: event.message }) });
    case "CHECK_FAILED":
      return i18n.t("eventText.CHECK_FAILED", { reason: failureReasonText(i18n, { reason: str(data.errorCode), message: event.message }) });
    case "CHECKED":
      return data.errorCode
        ? i18n.t("eventText.CHECKED_ERROR", { reason: failureReasonText(i18n, { reason: str(data.errorCode), message: event.message }) })
        : i18n.t("eventText.CHECKED");
    case "EXPIRED":
      return i18n.t("eventText.EXPIRED", { date: i18n.formatDate(str(data.termExpiresAt) || null) });
    case "CHANNEL_DELETED":
      return i18n.t("eventText.CHANNEL_DELETED", { channel: str(data.channelSlug) });
    case "REMINDER_SENT":
      return i18n.t("eventText.REMINDER_SENT", { recipients: Number(data.recipients ?? 1) });
    case "DELETED":
    case "ACTIVATED":
    case "DEACTIVATED":
    case "REVOKED":
      return i18n.t(`eventText.${event.type}`);
    default:
      // A type this release does not know: the server's English sentence is all there is.
      return event.message || i18n.t("app.none");
  }
}
