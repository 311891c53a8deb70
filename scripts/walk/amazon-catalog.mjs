// Amazon's catalog for Saleor's own variants (issue 18), a step of scripts/walk-real-dashboard.mjs run before the
// catalog match (10c): the store maps a variant's SKU to Amazon's catalog (identifier type SKU), and Saleor's
// populatedb variants are not in the emulator's seeded catalog as the walk needs them. So the step reads the
// variants of the store's channel from Saleor's API (the staff user) and puts items for two products on the emulated
// Amazon (POST /_emulator/catalog, identifiers {"SKU": [...]}):
//   - product A (the product with the most sellable variants): one ASIN per variant, except one variant with two
//     items (a multiple match: Incomplete until the merchant picks its ASIN) and one of a brand the seller is not
//     approved for (Amazon answers its offer with APPROVAL_REQUIRED: the Errors tab);
//   - product B (another category: out of scope once the listing rules keep A's category only): one ASIN each.
// What it chose goes in `sell` (shared with the listings and rules steps):
//   sell.channel {id, slug, currencyCode}; sell.warehouses (Set of the ids counted for the US); sell.products.a/b {id, name, category {id, name}, skus};
//   sell.variants {sku: {id, sku, asin, role}}; sell.roles {price, stock, end, cost, multiple, restricted} (SKUs).
import { addCatalogItem, restrictedBrands, setDelays } from "./amazon.mjs";
import { available, inChannel } from "./saleor.mjs";

const BRAND = "Northwind";
const PRODUCT_TYPE = "PRODUCT";
// The most sellable variants of product A it uses: the walk's roles, then the others (listed too).
const MAX_A = 12;
const MAX_B = 6;

function asin(n) {
  return `B0WALK${String(n).padStart(4, "0")}`;
}

/** The channel's sellable variants (a SKU, a price, tracked stock above 2), grouped by product. */
function sellableByProduct(variants, channel, warehouses) {
  const products = new Map();
  for (const variant of variants) {
    const listing = inChannel(variant, channel.id);
    if (!variant.sku || !listing?.price || !variant.trackInventory || available(variant, warehouses) < 3 || !variant.product.category) continue;
    const entry = products.get(variant.product.id) || { ...variant.product, variants: [] };
    entry.variants.push(variant);
    products.set(variant.product.id, entry);
  }
  return [...products.values()].sort((x, y) => y.variants.length - x.variants.length || x.name.localeCompare(y.name));
}

export async function walkAmazonCatalog({ step, saleor, opt, sell }) {
  await step("10b Amazon's catalog: items for Saleor's variants (SKUs read from Saleor's API, put on the emulator)", async () => {
    const channels = await saleor.channels();
    // The store is added on the channel in the US marketplace's currency (step 04).
    const channel = channels.find((c) => c.currencyCode === "USD");
    if (!channel) throw new Error(`no USD channel in Saleor: ${channels.map((c) => c.slug).join(", ")}`);
    // What Saleor sells to the US in the channel: the stock of those warehouses (the plugin counts the same).
    const warehouses = await saleor.countedWarehouses(channel, "US");
    const products = sellableByProduct(await saleor.channelVariants(channel.slug), channel, warehouses);
    const a = products.find((p) => p.variants.length >= 6);
    const b = a && products.find((p) => p.category.id !== a.category.id);
    if (!a || !b) throw new Error(`Saleor's channel ${channel.slug} has no product with 6 sellable variants and another in a second category`);
    // The emulator keeps them in lower case (it compares them so): the item's brand as a brand is written.
    // Saleor runs the plugin's Celery tasks inline here (no broker): a sync's waits for Amazon are slept inside
    // the merchant's request (core/waits.py). Amazon answers at once here, which keeps those requests short.
    const delays = await setDelays(opt.emulator, { live_delay: 0, feed_delays: [0, 0] });
    const restricted = (await restrictedBrands(opt.emulator))[0]?.replace(/^./, (c) => c.toUpperCase());
    if (!restricted) throw new Error("the emulator restricts no brand (run it with --seed-demo)");

    const aVariants = a.variants.slice(0, MAX_A);
    const bVariants = b.variants.slice(0, MAX_B);
    const roles = {
      price: aVariants[0].sku,
      stock: aVariants[1].sku,
      end: aVariants[2].sku,
      cost: aVariants[3].sku,
      multiple: aVariants[4].sku,
      restricted: aVariants[5].sku,
    };
    const variants = {};
    let n = 0;
    for (const variant of [...aVariants, ...bVariants]) {
      const role = Object.entries(roles).find(([, sku]) => sku === variant.sku)?.[0] || (bVariants.includes(variant) ? "out-of-scope" : "listed");
      const title = `${variant.product.name} ${variant.name}`.trim();
      const item = (brand) => ({ asin: asin(++n), title, brand, identifiers: { SKU: [variant.sku] }, product_type: PRODUCT_TYPE });
      const added = [await addCatalogItem(opt.emulator, item(role === "restricted" ? restricted : BRAND))];
      if (role === "multiple") added.push(await addCatalogItem(opt.emulator, item(BRAND)));
      variants[variant.sku] = { id: variant.id, sku: variant.sku, asin: added[0].asin, asins: added.map((i) => i.asin), role };
    }
    const product = (p, used) => ({ id: p.id, name: p.name, category: p.category, skus: used.map((v) => v.sku) });
    Object.assign(sell, { channel, warehouses, products: { a: product(a, aVariants), b: product(b, bVariants) }, variants, roles });
    return {
      channel: channel.slug,
      productA: `${a.name} (${a.category.name}): ${aVariants.length} variants`,
      productB: `${b.name} (${b.category.name}): ${bVariants.length} variants`,
      items: n,
      roles,
      restrictedBrand: restricted,
      amazonDelays: { live: delays.live_delay, feeds: delays.feed_delays },
    };
  });
}
