import { createContext, useContext, useMemo, type ReactNode } from "react";
import { en, type MessageKey } from "./en";
import { fr } from "./fr";

export type { MessageKey };
export type Locale = "en" | "fr";
export type Params = Record<string, string | number>;

export const SUPPORTED_LOCALES: readonly Locale[] = ["en", "fr"];
export const catalogs: Record<Locale, Record<MessageKey, string>> = { en, fr };

/** "fr", "FR", "fr-CA", "fr_FR" → "fr"; unsupported or empty → null. */
export function normalizeLocale(value: string | null | undefined): Locale | null {
  if (!value) return null;
  const primary = value.trim().toLowerCase().split(/[-_]/)[0];
  return (SUPPORTED_LOCALES as readonly string[]).includes(primary) ? (primary as Locale) : null;
}

/**
 * The first supported locale among the candidates, in order of preference:
 * the Dashboard's (AppBridge `localeChanged`), the iframe URL's `?locale=`, the browser's
 * languages. English when none is supported.
 */
export function pickLocale(...candidates: Array<string | null | undefined | readonly string[]>): Locale {
  for (const candidate of candidates) {
    const list = typeof candidate === "string" || candidate == null ? [candidate] : candidate;
    for (const value of list) {
      const locale = normalizeLocale(value);
      if (locale) return locale;
    }
  }
  return "en";
}

export function interpolate(template: string, params?: Params): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (match, name: string) =>
    Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : match,
  );
}

export function translate(locale: Locale, key: MessageKey, params?: Params): string {
  const template = catalogs[locale][key] ?? en[key] ?? key;
  return interpolate(template, params);
}

/** A key built at run time (e.g. "status." + status): checked, falls back to `fallback`. */
export function isMessageKey(key: string): key is MessageKey {
  return Object.prototype.hasOwnProperty.call(en, key);
}

export type I18n = {
  locale: Locale;
  t: (key: MessageKey, params?: Params) => string;
  /** t() for keys built at run time; `fallback` when the key does not exist. */
  tDynamic: (key: string, fallback: MessageKey, params?: Params) => string;
  formatDate: (value: string | null | undefined) => string;
  formatDateTime: (value: string | null | undefined) => string;
  countryName: (countryCode: string, englishName?: string) => string;
};

export function createI18n(locale: Locale): I18n {
  const dateFormat = new Intl.DateTimeFormat(locale, { dateStyle: "medium" });
  const dateTimeFormat = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" });
  let regionNames: Intl.DisplayNames | null = null;
  try {
    regionNames = new Intl.DisplayNames([locale], { type: "region" });
  } catch {
    regionNames = null;
  }
  const none = catalogs[locale]["app.none"];
  const format = (fmt: Intl.DateTimeFormat) => (value: string | null | undefined) => {
    if (!value) return none;
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? value : fmt.format(date);
  };
  return {
    locale,
    t: (key, params) => translate(locale, key, params),
    tDynamic: (key, fallback, params) => translate(locale, isMessageKey(key) ? key : fallback, params),
    formatDate: format(dateFormat),
    formatDateTime: format(dateTimeFormat),
    countryName: (countryCode, englishName) => {
      try {
        const name = regionNames?.of(countryCode.toUpperCase());
        if (name && name !== countryCode.toUpperCase()) return name;
      } catch {
        /* invalid code: fall through */
      }
      return englishName || countryCode;
    },
  };
}

const I18nContext = createContext<I18n>(createI18n("en"));

export function I18nProvider({ locale, children }: { locale: Locale; children: ReactNode }) {
  const value = useMemo(() => createI18n(locale), [locale]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  return useContext(I18nContext);
}
