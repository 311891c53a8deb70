import type { AmazonMarketplace, AmazonRegion } from "../lib/types";

/** The seed's four marketplaces, offered first. */
export const POPULAR_COUNTRIES = ["US", "CA", "MX", "GB"] as const;
export const REGION_ORDER: readonly AmazonRegion[] = ["NA", "EU", "FE"];

export type MarketplaceGroups = {
  popular: AmazonMarketplace[];
  regions: Array<{ region: AmazonRegion; marketplaces: AmazonMarketplace[] }>;
};

/**
 * US, CA, MX, GB first (in that order), then the others by region (NA, EU, FE) and by
 * (localized) country name.
 */
export function groupMarketplaces(
  marketplaces: readonly AmazonMarketplace[],
  name: (marketplace: AmazonMarketplace) => string = (marketplace) => marketplace.countryName,
  locale = "en",
): MarketplaceGroups {
  const popular = POPULAR_COUNTRIES.map((code) => marketplaces.find((m) => m.countryCode.toUpperCase() === code)).filter(
    (m): m is AmazonMarketplace => Boolean(m),
  );
  const rest = marketplaces.filter((m) => !popular.includes(m));
  const collator = new Intl.Collator(locale);
  const regions = [...REGION_ORDER, ...new Set(rest.map((m) => m.region).filter((r) => !REGION_ORDER.includes(r)))]
    .map((region) => ({
      region,
      marketplaces: rest.filter((m) => m.region === region).sort((a, b) => collator.compare(name(a), name(b))),
    }))
    .filter((group) => group.marketplaces.length > 0);
  return { popular, regions };
}
