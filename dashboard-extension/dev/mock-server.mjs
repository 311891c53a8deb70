#!/usr/bin/env node
/**
 * A development stand-in for the plugin and Saleor, to look at the extension without a Saleor
 * instance: `npm run build && npm run mock` then open http://127.0.0.1:8787/shell/
 *
 * Serves (loopback only):
 *   GET  /shell/                                             the demo dashboard shell
 *   POST /demo/token                                         an unsigned JWT shaped like the Dashboard's
 *   GET  /plugins/global/saleor_amazon_channel/app/...       the built app (index.html fallback)
 *   POST /plugins/global/saleor_amazon_channel/graphql/      an in-memory version of the contract
 *   POST /graphql/                                           Saleor: channels, attributes
 *   GET  /mock/amazon/consent?store=<id>                     a fake Seller Central consent page
 *
 * Not for production and not used by the tests; no dependency beyond Node.
 */
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { dirname, extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";

const HERE = dirname(fileURLToPath(import.meta.url));
const DIST = join(HERE, "..", "..", "saleor_amazon_channel", "dashboard");
const SHELL = join(HERE, "..", "shell", "index.html");
const PLUGIN = "/plugins/global/saleor_amazon_channel";
const HOST = process.env.MOCK_HOST || "127.0.0.1";
const PORT = Number(process.env.MOCK_PORT || 8787);

const TYPES = { ".html": "text/html; charset=utf-8", ".js": "text/javascript", ".css": "text/css", ".woff2": "font/woff2", ".svg": "image/svg+xml", ".json": "application/json" };

const b64url = (value) => Buffer.from(JSON.stringify(value)).toString("base64url");
const makeToken = () =>
  `${b64url({ alg: "none", typ: "JWT" })}.${b64url({
    type: "thirdparty",
    email: "staff@example.com",
    user_permissions: ["MANAGE_CHANNELS", "MANAGE_PRODUCTS"],
    permissions: ["MANAGE_CHANNELS", "MANAGE_PRODUCTS"],
    app: "QXBwOjE=",
    exp: Math.floor(Date.now() / 1000) + 300,
  })}.mock`;

const gid = (type, pk) => Buffer.from(`${type}:${pk}`).toString("base64");
const now = () => new Date().toISOString();

const MARKETPLACES = [
  ["ATVPDKIKX0DER", "US", "United States", "NA", "USD", "www.amazon.com", "https://sellercentral.amazon.com"],
  ["A2EUQ1WTGCTBG2", "CA", "Canada", "NA", "CAD", "www.amazon.ca", "https://sellercentral.amazon.ca"],
  ["A1AM78C64UM0Y8", "MX", "Mexico", "NA", "MXN", "www.amazon.com.mx", "https://sellercentral.amazon.com.mx"],
  ["A2Q3Y263D00KWC", "BR", "Brazil", "NA", "BRL", "www.amazon.com.br", "https://sellercentral.amazon.com.br"],
  ["A1F83G8C2ARO7P", "GB", "United Kingdom", "EU", "GBP", "www.amazon.co.uk", "https://sellercentral-europe.amazon.com"],
  ["A1PA6795UKMFR9", "DE", "Germany", "EU", "EUR", "www.amazon.de", "https://sellercentral-europe.amazon.com"],
  ["A13V1IB3VIYZZH", "FR", "France", "EU", "EUR", "www.amazon.fr", "https://sellercentral-europe.amazon.com"],
  ["APJ6JRA9NG5V4", "IT", "Italy", "EU", "EUR", "www.amazon.it", "https://sellercentral-europe.amazon.com"],
  ["A1RKKUPIHCS9HS", "ES", "Spain", "EU", "EUR", "www.amazon.es", "https://sellercentral-europe.amazon.com"],
  ["A1VC38T7YXB528", "JP", "Japan", "FE", "JPY", "www.amazon.co.jp", "https://sellercentral.amazon.co.jp"],
].map(([id, countryCode, countryName, region, currencyCode, domain, sellerCentralUrl]) => ({ id, countryCode, countryName, region, currencyCode, domain, sellerCentralUrl }));

const CHANNELS = [
  { id: gid("Channel", 1), name: "Default channel", slug: "default-channel", currencyCode: "USD" },
  { id: gid("Channel", 2), name: "Channel-PLN", slug: "channel-pln", currencyCode: "PLN" },
];
const ATTRIBUTES = [
  { id: gid("Attribute", 1), name: "EAN", slug: "ean" },
  { id: gid("Attribute", 2), name: "UPC code", slug: "upc-code" },
  { id: gid("Attribute", 3), name: "ISBN", slug: "isbn" },
];

let seq = 0;
const stores = new Map();
function addStore(fields) {
  const pk = ++seq;
  const store = {
    id: gid("AmazonStore", pk),
    name: fields.name,
    contactEmail: fields.contactEmail,
    channel: CHANNELS.find((c) => c.id === fields.channel) ?? null,
    marketplace: MARKETPLACES.find((m) => m.id === fields.marketplace || m.countryCode === fields.marketplace),
    productIdentifier: { type: fields.productIdentifier.type, source: fields.productIdentifier.source, attribute: fields.productIdentifier.attribute ?? null },
    isActive: fields.isActive ?? true,
    created: now(),
    updatedAt: now(),
    status: fields.status ?? "NOT_CONNECTED",
    sellingPartnerId: fields.sellingPartnerId ?? null,
    authorizedAt: fields.authorizedAt ?? null,
    authorizationExpiresAt: fields.authorizationExpiresAt ?? null,
    lastCheckedAt: null,
    lastError: fields.lastError ?? null,
    participations: [],
    events: [],
  };
  event(store, "CREATED", "Store created");
  stores.set(store.id, store);
  return store;
}
function event(store, type, message, actor = "staff@example.com") {
  store.events.unshift({ id: gid("AmazonStoreEvent", store.events.length + 1 + seq * 1000), type, date: now(), actor, message });
}
function connected(store) {
  store.status = "CONNECTED";
  store.sellingPartnerId = "A3EXAMPLESELLER";
  store.authorizedAt = now();
  store.authorizationExpiresAt = new Date(Date.now() + 365 * 864e5).toISOString();
  store.lastError = null;
  store.participations = [{ marketplace: store.marketplace, storeName: "Example Seller", isParticipating: true, hasSuspendedListings: false }];
  store.updatedAt = now();
}

if (process.env.MOCK_EMPTY !== "1") {
  const a = addStore({ name: "Amazon Store USA", contactEmail: "ops@example.com", channel: CHANNELS[0].id, marketplace: "US", productIdentifier: { type: "UPC", source: "ATTRIBUTE", attribute: "upc-code" } });
  connected(a);
  a.authorizationExpiresAt = new Date(Date.now() + 20 * 864e5).toISOString();
  a.status = "AUTHORIZATION_EXPIRING";
  addStore({ name: "Amazon Store Canada", contactEmail: "ops@example.com", channel: CHANNELS[0].id, marketplace: "CA", productIdentifier: { type: "SKU", source: "VARIANT_SKU" } });
}

const setup = {
  isConfigured: process.env.MOCK_UNCONFIGURED !== "1",
  missingConfiguration: process.env.MOCK_UNCONFIGURED === "1" ? ["applicationId", "lwaClientSecret"] : [],
  redirectUri: `http://${HOST}:${PORT}${PLUGIN}/oauth/callback`,
  loginUri: `http://${HOST}:${PORT}${PLUGIN}/oauth/login`,
  draftApp: true,
};

const opName = (query) => (query.match(/\b(?:query|mutation)\s+(\w+)/) || [])[1];
const errors = (list) => ({ errors: list });

function plugin(query, variables) {
  const op = opName(query);
  const store = variables.id ? stores.get(variables.id) : null;
  const missing = { amazonStore: null, errors: [{ field: "id", code: "NOT_FOUND", message: null }] };
  switch (op) {
    case "AmazonStores":
      return { amazonStores: { totalCount: stores.size, pageInfo: { hasNextPage: false, endCursor: null }, edges: [...stores.values()].map((node) => ({ node, cursor: node.id })) } };
    case "AmazonStore":
      return { amazonStore: store ?? null };
    case "AmazonMarketplaces":
      return { amazonMarketplaces: MARKETPLACES };
    case "AmazonChannelSetup":
      return { amazonChannelSetup: setup };
    case "AmazonStoreCreate": {
      const input = variables.input;
      const errs = [];
      if (!input.name?.trim()) errs.push({ field: "name", code: "REQUIRED", message: null });
      if ([...stores.values()].some((s) => s.name === input.name)) errs.push({ field: "name", code: "UNIQUE", message: "A store with this name already exists." });
      if (!CHANNELS.some((c) => c.id === input.channel)) errs.push({ field: "channel", code: "NOT_FOUND", message: null });
      if (!MARKETPLACES.some((m) => m.id === input.marketplace)) errs.push({ field: "marketplace", code: "INVALID", message: null });
      if (input.productIdentifier.source === "ATTRIBUTE" && !ATTRIBUTES.some((a) => a.slug === input.productIdentifier.attribute)) errs.push({ field: "attribute", code: "NOT_FOUND", message: null });
      if (errs.length) return { amazonStoreCreate: { amazonStore: null, errors: errs } };
      return { amazonStoreCreate: { amazonStore: addStore(input), errors: [] } };
    }
    case "AmazonStoreUpdate": {
      if (!store) return { amazonStoreUpdate: missing };
      const input = variables.input;
      if (input.name !== undefined) store.name = input.name;
      if (input.contactEmail !== undefined) store.contactEmail = input.contactEmail;
      if (input.channel !== undefined) store.channel = CHANNELS.find((c) => c.id === input.channel) ?? null;
      if (input.productIdentifier) store.productIdentifier = { attribute: null, ...input.productIdentifier };
      if (input.isActive !== undefined && input.isActive !== store.isActive) {
        store.isActive = input.isActive;
        event(store, input.isActive ? "ACTIVATED" : "DEACTIVATED", null);
      } else event(store, "UPDATED", null);
      store.updatedAt = now();
      return { amazonStoreUpdate: { amazonStore: store, errors: [] } };
    }
    case "AmazonStoreDelete":
      if (!store) return { amazonStoreDelete: missing };
      stores.delete(store.id);
      return { amazonStoreDelete: { amazonStore: { id: store.id, name: store.name }, errors: [] } };
    case "AmazonStoreConnect":
      if (!store) return { amazonStoreConnect: { ...missing, consentUrl: null } };
      event(store, "CONNECT_STARTED", null);
      return { amazonStoreConnect: { consentUrl: `http://${HOST}:${PORT}/mock/amazon/consent?store=${encodeURIComponent(store.id)}`, amazonStore: store, errors: [] } };
    case "AmazonStoreDisconnect":
      if (!store) return { amazonStoreDisconnect: { ...missing, message: null } };
      store.status = "NOT_CONNECTED";
      store.sellingPartnerId = null;
      store.authorizedAt = null;
      store.authorizationExpiresAt = null;
      store.updatedAt = now();
      event(store, "DISCONNECTED", null);
      return { amazonStoreDisconnect: { amazonStore: store, message: "Also revoke access in Seller Central > Manage Your Apps.", errors: [] } };
    case "AmazonStoreCheckConnection":
      if (!store) return { amazonStoreCheckConnection: missing };
      if (store.status === "NOT_CONNECTED") return { amazonStoreCheckConnection: { amazonStore: store, errors: [{ field: null, code: "NOT_CONNECTED", message: null }] } };
      store.lastCheckedAt = now();
      event(store, "CHECKED", null, "system");
      return { amazonStoreCheckConnection: { amazonStore: store, errors: [] } };
    default:
      return null;
  }
}

function saleor(query) {
  if (/\bchannels\b/.test(query)) return { channels: CHANNELS };
  if (/\battributes\b/.test(query)) return { attributes: { edges: ATTRIBUTES.map((node) => ({ node })) } };
  return null;
}

const consentPage = (storeId) => `<!doctype html><html><head><meta charset="utf-8"><title>Amazon Seller Central (mock)</title></head>
<body style="font-family:sans-serif;padding:40px"><h1>Amazon Seller Central (mock)</h1>
<p>Authorize the Amazon Sales Channel for store ${storeId.replace(/[<>&"]/g, "")}?</p>
<p><a href="/mock/amazon/decide?store=${encodeURIComponent(storeId)}&d=allow">Confirm</a> ·
<a href="/mock/amazon/decide?store=${encodeURIComponent(storeId)}&d=cancel">Cancel</a> ·
<a href="/mock/amazon/decide?store=${encodeURIComponent(storeId)}&d=fail">Fail (MD5101)</a></p></body></html>`;

async function body(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}

async function sendFile(res, path) {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new Error("not a file");
    res.writeHead(200, { "Content-Type": TYPES[extname(path)] ?? "application/octet-stream" });
    res.end(await readFile(path));
    return true;
  } catch {
    return false;
  }
}

const server = createServer(async (req, res) => {
  const url = new URL(req.url, `http://${req.headers.host}`);
  const path = url.pathname;
  const json = (status, value) => {
    res.writeHead(status, { "Content-Type": "application/json" });
    res.end(JSON.stringify(value));
  };
  try {
    if (path === "/" || path === "/shell" || path === "/shell/") return void (await sendFile(res, SHELL));
    if (path === "/demo/token" && req.method === "POST") return json(200, { token: makeToken() });
    if (path === `${PLUGIN}/graphql/` && req.method === "POST") {
      if (!/^Bearer \S+/.test(req.headers.authorization ?? "")) {
        return json(401, errors([{ message: "Invalid token", extensions: { exception: { code: "InvalidTokenError" } } }]));
      }
      const { query, variables } = JSON.parse(await body(req));
      const data = plugin(query, variables ?? {});
      return data ? json(200, { data }) : json(400, errors([{ message: `Unknown operation ${opName(query)}` }]));
    }
    if (path === "/graphql/" && req.method === "POST") {
      const { query } = JSON.parse(await body(req));
      const data = saleor(query);
      return data ? json(200, { data }) : json(400, errors([{ message: "Unknown query" }]));
    }
    if (path === "/mock/amazon/consent") {
      res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
      return void res.end(consentPage(url.searchParams.get("store") ?? ""));
    }
    if (path === "/mock/amazon/decide") {
      const id = url.searchParams.get("store") ?? "";
      const store = stores.get(id);
      const decision = url.searchParams.get("d");
      let target = `${PLUGIN}/app/?connectResult=`;
      if (!store) target += `error&reason=STORE_NOT_FOUND&store=${encodeURIComponent(id)}`;
      else if (decision === "allow") {
        connected(store);
        event(store, "CONNECTED", "Seller A3EXAMPLESELLER authorized", "Amazon");
        target += `connected&store=${encodeURIComponent(id)}`;
      } else if (decision === "cancel") target += `cancelled&store=${encodeURIComponent(id)}`;
      else {
        store.status = "ERROR";
        store.lastError = "Amazon error MD5101: redirect URI not registered";
        store.updatedAt = now();
        event(store, "CONNECT_FAILED", store.lastError, "Amazon");
        target += `error&reason=AMAZON_MD5101&store=${encodeURIComponent(id)}`;
      }
      res.writeHead(302, { Location: target });
      return void res.end();
    }
    if (path.startsWith(`${PLUGIN}/app`)) {
      const rest = normalize(path.slice(`${PLUGIN}/app`.length) || "/").replace(/^(\.\.[/\\])+/, "");
      if (rest !== "/" && (await sendFile(res, join(DIST, rest)))) return;
      if (await sendFile(res, join(DIST, "index.html"))) return;
      res.writeHead(503, { "Content-Type": "text/plain" });
      return void res.end("Build the app first: npm run build");
    }
    res.writeHead(404, { "Content-Type": "text/plain" });
    res.end("Not found");
  } catch (error) {
    json(500, errors([{ message: String(error) }]));
  }
});

server.listen(PORT, HOST, () => {
  console.log(`mock Saleor + plugin on http://${HOST}:${PORT}/shell/  (app: ${PLUGIN}/app/)`);
});
