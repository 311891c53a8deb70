// The emulated Amazon, read and set up through its control routes (/_emulator/..., amazon_emulator/README.md):
// what Amazon holds, not what the plugin thinks. The walk signs in as the emulator's demo seller.

export const SELLER_ID = "A2DEMOSELLER01";
export const US = "ATVPDKIKX0DER";

async function control(emulator, route, body) {
  const response = await fetch(`${emulator.replace(/\/$/, "")}/_emulator/${route}`, {
    ...(body ? { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) } : {}),
  });
  if (!response.ok) throw new Error(`emulator ${route}: HTTP ${response.status} ${await response.text()}`);
  return response.json();
}

/** The seller's offers on Amazon.com, by seller SKU. */
export async function amazonOffers(emulator) {
  const { offers } = await control(emulator, `offers?selling_partner_id=${SELLER_ID}&marketplace_id=${US}`);
  return Object.fromEntries(offers.map((offer) => [offer.sku, offer]));
}

/** An item of Amazon's catalog (ahead of the emulator's seeded ones): found by the given identifiers. */
export function addCatalogItem(emulator, item) {
  return control(emulator, "catalog", item);
}

/** Amazon's processing delays (live_delay, feed_delays [queued, processing]): the emulator's settings after the change. */
export function setDelays(emulator, delays) {
  return control(emulator, "listings-settings", delays);
}

/** The brands the seller is not approved for (an offer on one is refused with APPROVAL_REQUIRED). */
export async function restrictedBrands(emulator) {
  return (await control(emulator, "listings-settings")).restricted_brands || [];
}

/**
 * Polls the emulator until `check(offers)` is true (live values: an accepted change takes a moment to go live),
 * at most `timeout` ms; returns the offers, or throws with `what` and the last offers of `skus`.
 */
export async function amazonFollows(emulator, check, what, { skus = [], timeout = 120_000 } = {}) {
  const started = Date.now();
  let offers = {};
  for (;;) {
    offers = await amazonOffers(emulator);
    if (check(offers)) return offers;
    if (Date.now() - started > timeout) {
      const shown = Object.fromEntries(skus.map((sku) => [sku, offers[sku] ? brief(offers[sku]) : "not on Amazon"]));
      throw new Error(`Amazon never ${what}: ${JSON.stringify(shown)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

/** An offer as the walk reports it. */
export function brief(offer) {
  return offer && { asin: offer.asin, price: offer.price, quantity: offer.quantity, status: offer.status.join("+") || "-", pending: offer.pending };
}
