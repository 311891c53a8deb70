// Saleor's own GraphQL API, as the Dashboard calls it (a staff user's token), for the walk's steps that read or change
// Saleor's catalog the way a merchant does in the Dashboard: the channel's variants with their price, cost price, stock
// and category; a variant's price or cost price in a channel (productVariantChannelListingUpdate); its stock in a
// warehouse (productVariantStocksUpdate). Nothing of the plugin: what the extension must follow.

const VARIANT_FIELDS = `
  id sku name trackInventory
  product { id name category { id name } }
  channelListings { channel { id slug currencyCode } price { amount } costPrice { amount } }
  stocks { warehouse { id name } quantity quantityAllocated }
`;

/** A client of Saleor's API at `url` signed in as the staff user `email`. */
export async function saleorApi(url, email, password) {
  let token = null;
  let signedAt = 0;
  const post = async (query, variables, bearer) => {
    const response = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", ...(bearer ? { Authorization: `Bearer ${bearer}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    const body = await response.json().catch(() => null);
    if (!response.ok || !body || body.errors?.length) {
      throw new Error(`Saleor API: HTTP ${response.status} ${JSON.stringify(body?.errors || body).slice(0, 300)}`);
    }
    return body.data;
  };
  // Saleor's access tokens live 5 minutes: a new one past 4.
  const signIn = async () => {
    const data = await post(`mutation ($email: String!, $password: String!) { tokenCreate(email: $email, password: $password) { token errors { message } } }`, { email, password });
    if (!data.tokenCreate.token) throw new Error(`Saleor sign-in: ${JSON.stringify(data.tokenCreate.errors)}`);
    [token, signedAt] = [data.tokenCreate.token, Date.now()];
  };
  const call = async (query, variables = {}) => {
    if (!token || Date.now() - signedAt > 240_000) await signIn();
    return post(query, variables, token);
  };
  await signIn();

  /** Mutation's `errors` must be empty. */
  const mutate = async (name, query, variables) => {
    const result = (await call(query, variables))[name];
    if (result.errors?.length) throw new Error(`Saleor ${name}: ${JSON.stringify(result.errors)}`);
    return result;
  };

  return {
    channels: async () => (await call(`{ channels { id slug name currencyCode } }`)).channels,

    /**
     * The warehouses whose stock Saleor sells to `country` in the channel (Saleor 3.23's default, legacy shipping-zone
     * stock availability: a warehouse of the channel in a shipping zone of the channel covering the country; the
     * plugin counts the same, Stock.objects.for_channel_and_country), as a Set of ids.
     */
    async countedWarehouses(channel, country) {
      const data = await call(
        `query ($id: ID!, $ids: [ID!]) { channel(id: $id) { warehouses { id } }
           shippingZones(first: 100, filter: { channels: $ids }) { edges { node { countries { code } warehouses { id } } } } }`,
        { id: channel.id, ids: [channel.id] },
      );
      const ofChannel = new Set(data.channel.warehouses.map((w) => w.id));
      const zones = data.shippingZones.edges.map((e) => e.node).filter((zone) => zone.countries.some((c) => c.code === country));
      return new Set(zones.flatMap((zone) => zone.warehouses.map((w) => w.id)).filter((id) => ofChannel.has(id)));
    },

    /** Every variant listed in the channel (slug), with what the walk compares: price, cost price, stock, category. */
    async channelVariants(slug) {
      const found = [];
      for (let after = null; ;) {
        const data = await call(
          `query ($channel: String!, $after: String) { productVariants(first: 100, after: $after, channel: $channel) {
             pageInfo { hasNextPage endCursor } edges { node { ${VARIANT_FIELDS} } } } }`,
          { channel: slug, after },
        );
        found.push(...data.productVariants.edges.map((edge) => edge.node));
        if (!data.productVariants.pageInfo.hasNextPage) return found;
        after = data.productVariants.pageInfo.endCursor;
      }
    },

    async variant(id) {
      return (await call(`query ($id: ID!) { productVariant(id: $id) { ${VARIANT_FIELDS} } }`, { id })).productVariant;
    },

    /** The variant's price (and cost price, when given) in a channel, as the Dashboard's variant page saves them. */
    async setChannelPrice(variantId, channelId, price, costPrice) {
      const input = [{ channelId, price: String(price), ...(costPrice != null ? { costPrice: String(costPrice) } : {}) }];
      await mutate(
        "productVariantChannelListingUpdate",
        `mutation ($id: ID!, $input: [ProductVariantChannelListingAddInput!]!) {
           productVariantChannelListingUpdate(id: $id, input: $input) { errors { field code message } } }`,
        { id: variantId, input },
      );
    },

    /** The variant's stock in warehouses ([{warehouse, quantity}]), as the Dashboard's variant page saves it. */
    async setStocks(variantId, stocks) {
      await mutate(
        "productVariantStocksUpdate",
        `mutation ($id: ID!, $stocks: [StockInput!]!) {
           productVariantStocksUpdate(variantId: $id, stocks: $stocks) { errors { field code message } } }`,
        { id: variantId, stocks },
      );
    },
  };
}

/** What Saleor can sell of a variant: Σ max(quantity − allocated, 0) over the counted warehouses (the plugin's). */
export function available(variant, warehouses) {
  return variant.stocks
    .filter((stock) => !warehouses || warehouses.has(stock.warehouse.id))
    .reduce((sum, stock) => sum + Math.max(stock.quantity - stock.quantityAllocated, 0), 0);
}

/** The variant's listing in a channel (by id or slug). */
export function inChannel(variant, channel) {
  return variant.channelListings.find((listing) => listing.channel.id === channel || listing.channel.slug === channel) || null;
}
