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

/** The text between the brace at `open` and its matching closing brace, and the index after it. */
function braced(template: string, open: number): [string, number] {
  let depth = 0;
  for (let i = open; i < template.length; i++) {
    if (template[i] === "{") depth++;
    else if (template[i] === "}" && --depth === 0) return [template.slice(open + 1, i), i + 1];
  }
  return [template.slice(open + 1), template.length];
}

/**
 * `{name, plural, one {…} other {…}}` (ICU's plural, with `=N` cases and `#` for the number)
 * chosen with Intl.PluralRules: no message-format library for the two plurals we need.
 */
function plural(locale: string, body: string, params: Params | undefined): string | null {
  const match = body.match(/^\s*(\w+)\s*,\s*plural\s*,/);
  if (!match) return null;
  const value = Number(params?.[match[1]]);
  const cases = new Map<string, string>();
  let rest = body.slice(match[0].length);
  for (;;) {
    const selector = rest.match(/^\s*(=?\w+)\s*\{/);
    if (!selector) break;
    const [text, end] = braced(rest, selector[0].length - 1);
    cases.set(selector[1], text);
    rest = rest.slice(end);
  }
  const category = Number.isFinite(value) ? new Intl.PluralRules(locale).select(value) : "other";
  const chosen = cases.get(`=${value}`) ?? cases.get(category) ?? cases.get("other") ?? "";
  const number = Number.isFinite(value) ? new Intl.NumberFormat(locale).format(value) : String(params?.[match[1]]);
  return interpolate(chosen.replace(/#/g, number), params, locale);
}

export function interpolate(template: string, params?: Params, locale: string = "en"): string {
  let out = "";
  for (let i = 0; i < template.length; ) {
    if (template[i] !== "{") {
      out += template[i++];
      continue;
    }
    const [body, end] = braced(template, i);
    const name = body.trim();
    if (/^\w+$/.test(name)) {
      out += params && Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : `{${body}}`;
    } else {
      out += plural(locale, body, params) ?? `{${body}}`;
    }
    i = end;
  }
  return out;
}

export function translate(locale: Locale, key: MessageKey, params?: Params): string {
  const template = catalogs[locale][key] ?? en[key] ?? key;
  return interpolate(template, params, locale);
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
