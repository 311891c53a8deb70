/**
 * The "attribute" condition's attribute and values, picked by name like the Saleor Dashboard's
 * discount-rule conditions (macaw-ui's DynamicCombobox and DynamicMultiselect, searched by Saleor as
 * the merchant types). The condition keeps slugs, as saved rules always did: a saved rule's slugs are
 * shown by their names, or as themselves while those are unknown.
 */
import { Box, DynamicCombobox, DynamicMultiselect, type Option } from "@saleor/macaw-ui";
import { useEffect, useRef, useState, useSyncExternalStore } from "react";
import { useServices } from "../context";
import { useI18n } from "../i18n";
import type { GraphQLClient } from "../lib/graphql";
import { SEARCH_DEBOUNCE_MS, useAttributeSearch } from "../stores/pickers";
import { attributeChoicesBySlug, searchAttributeChoices, type AttributeChoice, type AttributeChoices } from "./rules";

// The names of attributes and values seen by any builder on screen, for the conditions' summaries.
const names = { attributes: new Map<string, string>(), values: new Map<string, string>() };
const listeners = new Set<() => void>();
let namesVersion = 0;

function remember(slug: string, found: AttributeChoices) {
  if (found.attribute) names.attributes.set(slug, found.attribute.name);
  for (const choice of found.choices) names.values.set(`${slug}\n${choice.slug}`, choice.name);
  namesVersion += 1;
  listeners.forEach((listener) => listener());
}

/** An attribute's name and its values' names, as far as a builder has seen them (else the slug). */
export function useAttributeNames() {
  useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => namesVersion,
  );
  return {
    attribute: (slug: string) => names.attributes.get(slug) ?? slug,
    value: (attribute: string, slug: string) => names.values.get(`${attribute}\n${slug}`) ?? slug,
  };
}

type Choices = { options: AttributeChoice[]; names: Record<string, string>; attributeName: string | null; loading: boolean };

/**
 * The values of attribute `slug` matching `search` (Saleor searches; typing pauses first), and the
 * names of every value seen so far and of the `selected` ones, asked for once by their slugs.
 */
export function useAttributeChoices(saleor: GraphQLClient, slug: string, search: string, selected: string[]): Choices {
  type State = { options: AttributeChoice[]; names: Record<string, string>; attributeName: string | null; answered: string | null };
  const empty: State = { options: [], names: {}, attributeName: null, answered: null };
  const [state, setState] = useState<State>(empty);
  // Another attribute: start over (state adjusted while rendering, not in an effect).
  const [forSlug, setForSlug] = useState(slug);
  if (forSlug !== slug) {
    setForSlug(slug);
    setState(empty);
  }
  const asked = useRef<Set<string>>(new Set());
  const shownSlug = useRef(slug);
  useEffect(() => {
    shownSlug.current = slug;
  }, [slug]);
  const term = search.trim();
  const query = `${slug}\n${term}`;

  useEffect(() => {
    if (!slug) return;
    let current = true;
    const timer = window.setTimeout(
      () =>
        searchAttributeChoices(saleor, slug, term).then(
          (found) => {
            remember(slug, found);
            if (!current) return;
            setState((previous) => ({
              options: found.choices,
              names: { ...previous.names, ...Object.fromEntries(found.choices.map((choice) => [choice.slug, choice.name])) },
              attributeName: found.attribute?.name ?? previous.attributeName,
              answered: query,
            }));
          },
          () => current && setState((previous) => ({ ...previous, options: [], answered: query })),
        ),
      term ? SEARCH_DEBOUNCE_MS : 0,
    );
    return () => {
      current = false;
      window.clearTimeout(timer);
    };
  }, [saleor, slug, term, query]);

  const missingKey = selected.filter((value) => !(value in state.names)).join("\n");
  useEffect(() => {
    const slugs = missingKey.split("\n").filter((value) => value && !asked.current.has(`${slug}\n${value}`));
    if (!slug || slugs.length === 0) return;
    slugs.forEach((value) => asked.current.add(`${slug}\n${value}`));
    // Asked once: the answer counts as long as the attribute is the same (even if the values changed since).
    attributeChoicesBySlug(saleor, slug, slugs).then(
      (found) => {
        remember(slug, found);
        if (shownSlug.current !== slug) return;
        setState((previous) => ({
          ...previous,
          names: { ...previous.names, ...Object.fromEntries(found.choices.map((choice) => [choice.slug, choice.name])) },
          attributeName: found.attribute?.name ?? previous.attributeName,
        }));
      },
      () => undefined,
    );
  }, [saleor, slug, missingKey]);

  return { options: state.options, names: state.names, attributeName: state.attributeName, loading: Boolean(slug) && state.answered !== query };
}

/**
 * macaw-ui hands downshift's toggle-button ARIA (aria-expanded, aria-controls) to its arrow icon, an
 * SVG on which they are not allowed (axe: aria-allowed-attr, critical): the icon becomes what it acts
 * as, a labelled button (it stays out of the tab order; the input opens the list from the keyboard).
 */
function useToggleButtonRole(label: string) {
  const ref = useRef<HTMLDivElement | null>(null);
  useEffect(() => {
    ref.current?.querySelectorAll<Element>('[id$="-toggle-button"]').forEach((toggle) => {
      if (toggle.tagName.toLowerCase() === "button" || toggle.getAttribute("role") === "combobox") return;
      toggle.setAttribute("role", "button");
      toggle.setAttribute("aria-label", label);
    });
  });
  return ref;
}

export function AttributeCondition({
  slug,
  values,
  onChange,
  error,
}: {
  slug: string;
  values: string[];
  onChange: (patch: { slug?: string; values?: string[] }) => void;
  error: boolean;
}) {
  const { t } = useI18n();
  const { saleor } = useServices();
  const [attributeSearch, setAttributeSearch] = useState("");
  const [valueSearch, setValueSearch] = useState("");
  const attributes = useAttributeSearch(saleor, attributeSearch);
  const choices = useAttributeChoices(saleor, slug, valueSearch, values);
  const known = attributes.attributes.find((attribute) => attribute.slug === slug)?.name;
  const attribute: Option | null = slug ? { value: slug, label: known ?? choices.attributeName ?? slug } : null;
  const picked: Option[] = values.map((value) => ({ value, label: choices.names[value] ?? value }));
  const attributeBox = useToggleButtonRole(t("rules.showOptions"));
  const valuesBox = useToggleButtonRole(t("rules.showOptions"));
  return (
    <>
      <Box ref={attributeBox} __minWidth="200px" data-testid="condition-attribute">
        <DynamicCombobox
          size="small"
          label={t("rules.attribute")}
          value={attribute}
          options={attributes.attributes.map((option) => ({ value: option.slug, label: option.name }))}
          onChange={(option) => {
            setValueSearch("");
            onChange({ slug: option?.value ?? "", values: [] });
          }}
          onInputValueChange={setAttributeSearch}
          onScrollEnd={attributes.loadMore}
          loading={attributes.loading}
          locale={{ loadingText: t("app.loading") }}
          error={error && !slug}
        />
      </Box>
      <Box ref={valuesBox} __minWidth="240px" data-testid="condition-attribute-values">
        <DynamicMultiselect
          size="small"
          label={t("rules.attributeValues")}
          value={picked}
          options={choices.options.map((choice) => ({ value: choice.slug, label: choice.name }))}
          onChange={(options) => onChange({ values: options.map((option) => option.value) })}
          onInputValueChange={setValueSearch}
          loading={choices.loading}
          disabled={!slug}
          locale={{ loadingText: t("app.loading"), placeholderText: slug ? t("rules.attributeValuesSearch") : t("rules.attributeFirst") }}
          error={error && Boolean(slug)}
        />
      </Box>
    </>
  );
}
