import { describe, expect, it } from "vitest";
import { countryFlag } from "../src/lib/flags";
import { groupMarketplaces } from "../src/lib/marketplaces";
import { parseRoute, routeHash } from "../src/lib/router";
import type { AmazonMarketplace } from "../src/lib/types";
import { isSafeExternalUrl, pluginBaseUrl, pluginGraphqlUrl } from "../src/lib/urls";

describe("plugin URLs", () => {
  it("strips from /app/ on", () => {
    expect(pluginBaseUrl("https://shop.test/plugins/global/saleor_amazon_channel/app/?id=1&theme=dark#/stores")).toBe(
      "https://shop.test/plugins/global/saleor_amazon_channel",
    );
    expect(pluginGraphqlUrl("https://shop.test/plugins/global/saleor_amazon_channel/app/index.html")).toBe(
      "https://shop.test/plugins/global/saleor_amazon_channel/graphql/",
    );
    expect(pluginBaseUrl("http://localhost:8000/api/plugins/global/saleor_amazon_channel/app")).toBe(
      "http://localhost:8000/api/plugins/global/saleor_amazon_channel",
    );
  });

  it("falls back to the default plugin path (dev server)", () => {
    expect(pluginGraphqlUrl("http://localhost:5173/")).toBe("http://localhost:5173/plugins/global/saleor_amazon_channel/graphql/");
  });

  it("only opens http(s) URLs", () => {
    expect(isSafeExternalUrl("https://sellercentral.amazon.com/apps/authorize/consent?x=1")).toBe(true);
    expect(isSafeExternalUrl("javascript:alert(1)")).toBe(false);
    expect(isSafeExternalUrl("")).toBe(false);
    expect(isSafeExternalUrl(null)).toBe(false);
  });
});

describe("flags", () => {
  it("turns country codes into emoji flags", () => {
    expect(countryFlag("US")).toBe("🇺🇸");
    expect(countryFlag("fr")).toBe("🇫🇷");
    expect(countryFlag("UK")).toBe("🇬🇧");
    expect(countryFlag("USA")).toBe("");
    expect(countryFlag(null)).toBe("");
  });
});

describe("marketplace grouping", () => {
  const m = (id: string, countryCode: string, countryName: string, region: "NA" | "EU" | "FE"): AmazonMarketplace => ({
    id,
    countryCode,
    countryName,
    region,
    sellerCentralUrl: "https://sellercentral.example",
    currencyCode: "USD",
    domain: `amazon.${countryCode.toLowerCase()}`,
  });
  const all = [
    m("A1PA6795UKMFR9", "DE", "Germany", "EU"),
    m("A2EUQ1WTGCTBG2", "CA", "Canada", "NA"),
    m("A1F83G8C2ARO7P", "GB", "United Kingdom", "EU"),
    m("A1VC38T7YXB528", "JP", "Japan", "FE"),
    m("ATVPDKIKX0DER", "US", "United States", "NA"),
    m("A13V1IB3VIYZZH", "FR", "France", "EU"),
    m("A1AM78C64UM0Y8", "MX", "Mexico", "NA"),
    m("A2Q3Y263D00KWC", "BR", "Brazil", "NA"),
  ];

  it("puts US, CA, MX, GB first, then regions sorted by name", () => {
    const groups = groupMarketplaces(all);
    expect(groups.popular.map((x) => x.countryCode)).toEqual(["US", "CA", "MX", "GB"]);
    expect(groups.regions.map((g) => [g.region, g.marketplaces.map((x) => x.countryCode)])).toEqual([
      ["NA", ["BR"]],
      ["EU", ["FR", "DE"]],
      ["FE", ["JP"]],
    ]);
  });

  it("sorts by the localized name", () => {
    const groups = groupMarketplaces(all, (x) => ({ DE: "Allemagne", FR: "France" })[x.countryCode] ?? x.countryName, "fr");
    expect(groups.regions.find((g) => g.region === "EU")!.marketplaces.map((x) => x.countryCode)).toEqual(["DE", "FR"]);
  });
});

describe("router", () => {
  it("parses and builds routes", () => {
    expect(parseRoute("")).toEqual({ name: "home" });
    expect(parseRoute("#/")).toEqual({ name: "home" });
    expect(parseRoute("#/setup")).toEqual({ name: "setup", next: null });
    expect(parseRoute("#/setup?next=new")).toEqual({ name: "setup", next: "new" });
    expect(parseRoute("#/stores/new")).toEqual({ name: "create" });
    const id = "QW1hem9uU3RvcmU6MQ==";
    expect(parseRoute(routeHash({ name: "detail", id }))).toEqual({ name: "detail", id });
    expect(parseRoute(routeHash({ name: "edit", id }))).toEqual({ name: "edit", id });
    expect(parseRoute("#/nowhere/at/all")).toEqual({ name: "home" });
  });
});
