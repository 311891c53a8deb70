import { useCallback, useEffect, useRef, useState } from "react";
import { searchSaleorAttributes } from "../lib/api";
import type { GraphQLClient } from "../lib/graphql";
import type { SaleorAttribute } from "../lib/types";

/** How long typing must pause before the attribute picker asks Saleor. */
export const SEARCH_DEBOUNCE_MS = 300;

export type AttributeSearch = {
  attributes: SaleorAttribute[];
  loading: boolean;
  error: unknown;
  hasNextPage: boolean;
  loadMore: () => void;
};

/**
 * Product attributes matching `search`, searched and paged by Saleor (a catalog can have
 * thousands); each new search starts over, answers to older searches are dropped.
 */
export function useAttributeSearch(saleor: GraphQLClient, search: string): AttributeSearch {
  const [state, setState] = useState<{ attributes: SaleorAttribute[]; endCursor: string | null; hasNextPage: boolean; loading: boolean; error: unknown }>({
    attributes: [],
    endCursor: null,
    hasNextPage: false,
    loading: true,
    error: null,
  });
  const generation = useRef(0);
  const term = search.trim();

  const load = useCallback(
    (after: string | null, mine: number) => {
      setState((previous) => ({ ...previous, loading: true, error: null }));
      searchSaleorAttributes(saleor, term, after).then(
        (page) => {
          if (generation.current !== mine) return;
          setState((previous) => ({
            attributes: after ? [...previous.attributes, ...page.attributes] : page.attributes,
            endCursor: page.endCursor,
            hasNextPage: page.hasNextPage,
            loading: false,
            error: null,
          }));
        },
        (error) => {
          if (generation.current === mine) setState((previous) => ({ ...previous, loading: false, error }));
        },
      );
    },
    [saleor, term],
  );

  useEffect(() => {
    const mine = ++generation.current;
    const timer = window.setTimeout(() => load(null, mine), term ? SEARCH_DEBOUNCE_MS : 0);
    return () => window.clearTimeout(timer);
  }, [load, term]);

  const loadMore = useCallback(() => {
    if (state.hasNextPage && !state.loading) load(state.endCursor, generation.current);
  }, [load, state.endCursor, state.hasNextPage, state.loading]);

  return { attributes: state.attributes, loading: state.loading, error: state.error, hasNextPage: state.hasNextPage, loadMore };
}
