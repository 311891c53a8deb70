// Time to first card: from the navigation start of the demo's Dashboard shell page to the first
// [data-testid=store-card] of the extension painted in its iframe, with one store existing.
// Headless Chromium (Debian's), the demo started as a subprocess on its own database.
//
//   PYTHON=.venv/bin/python node bench/bench_first_card.mjs [runs=10]
//
// Cold: a new browser context per run (empty HTTP cache, as on a first visit).
// Warm: a reload in one context (the hashed assets cached; the token, the handshake and the
// GraphQL query are done again). Prints the median and the spread, and where the time goes.
import { createStore, EXTENSION_FRAME, launchBrowser, startDemo } from "../dashboard-extension/e2e/support.mjs";

const RUNS = Number(process.argv[2] ?? 10);

// Runs in every frame before its scripts; in the extension's frame, notes when the first card has
// a box (DOM) and the animation frame after it (about when it is painted), as absolute times.
const MARK_FIRST_CARD = () => {
  // The extension's frame: …/saleor_amazon_channel/app, with or without a slash (url-join drops it).
  if (!/\/saleor_amazon_channel\/app(\/|$)/.test(location.pathname)) return;
  const observer = new MutationObserver(() => {
    const card = document.querySelector('[data-testid="store-card"]');
    if (window.__firstCard || !card) return;
    const box = card.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) return;
    const mark = (window.__firstCard = { dom: performance.timeOrigin + performance.now() });
    observer.disconnect();
    requestAnimationFrame(() => (mark.frame = performance.timeOrigin + performance.now()));
  });
  observer.observe(document, { childList: true, subtree: true });
};

/** One measurement on `page` (already navigated): ms from the shell's navigation start. */
async function measure(page) {
  // The shell's iframe gets its src once the token is there: wait for the frame to be the app's.
  let frame;
  for (const start = Date.now(); !(frame = page.frames().find((f) => EXTENSION_FRAME.test(f.url()))); ) {
    if (Date.now() - start > 30_000) throw new Error("the extension's frame never loaded");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await frame.waitForFunction(() => window.__firstCard?.frame, null, { timeout: 30_000, polling: 50 });
  const shell = await page.evaluate(() => ({
    origin: performance.timeOrigin,
    dcl: performance.getEntriesByType("navigation")[0].domContentLoadedEventEnd,
    token: performance.getEntriesByType("resource").find((r) => r.name.endsWith("/demo/token"))?.responseEnd ?? NaN,
  }));
  const inApp = await frame.evaluate(() => {
    const resources = performance.getEntriesByType("resource");
    const nav = performance.getEntriesByType("navigation")[0];
    const firstEnd = (test) => {
      const ends = resources.filter((r) => test(r.name)).map((r) => r.responseEnd);
      return ends.length ? Math.min(...ends) : NaN;
    };
    return {
      origin: performance.timeOrigin,
      html: nav.responseEnd,
      js: firstEnd((name) => /\/assets\/[^/]*\.js$/.test(name)),
      // The plugin's API (the stores); Saleor's own /graphql/ is not asked on the home page.
      stores: firstEnd((name) => name.includes("/saleor_amazon_channel/graphql/")),
      card: window.__firstCard,
    };
  });
  const fromShell = (appTime) => inApp.origin + appTime - shell.origin;
  return {
    total: inApp.card.frame - shell.origin,
    dom: inApp.card.dom - shell.origin,
    shellReady: shell.dcl,
    token: shell.token,
    appHtml: fromShell(inApp.html),
    appJs: fromShell(inApp.js),
    storesQuery: fromShell(inApp.stores),
  };
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const ms = (value) => (Number.isFinite(value) ? `${value.toFixed(0)} ms` : "n/a");

function report(label, runs) {
  const totals = runs.map((run) => run.total);
  console.log(
    `${label}: time to first card, median ${ms(median(totals))} (min ${ms(Math.min(...totals))}, max ${ms(Math.max(...totals))}, n=${runs.length})`,
  );
  const steps = [
    ["shell DOMContentLoaded", "shellReady"],
    ["token from /demo/token", "token"],
    ["extension index.html", "appHtml"],
    ["extension JS loaded", "appJs"],
    ["amazonStores answered", "storesQuery"],
    ["first card in the DOM", "dom"],
    ["first card painted", "total"],
  ];
  for (const [name, key] of steps) console.log(`  ${name.padEnd(24)} at ${ms(median(runs.map((run) => run[key]))).padStart(8)} (median)`);
}

const demo = await startDemo("bench_first_card");
const browser = await launchBrowser();
try {
  await createStore(demo, { name: "Amazon Store USA" });
  const viewport = { width: 1280, height: 900 };

  // One run first, not counted: the demo's own first requests (imports, connections) warm up.
  {
    const context = await browser.newContext({ viewport });
    await context.addInitScript(MARK_FIRST_CARD);
    const page = await context.newPage();
    await page.goto(demo.dashboardUrl);
    await measure(page);
    await context.close();
  }

  const cold = [];
  for (let i = 0; i < RUNS; i++) {
    const context = await browser.newContext({ viewport });
    await context.addInitScript(MARK_FIRST_CARD);
    const page = await context.newPage();
    await page.goto(demo.dashboardUrl);
    cold.push(await measure(page));
    await context.close();
  }

  const warm = [];
  const context = await browser.newContext({ viewport });
  await context.addInitScript(MARK_FIRST_CARD);
  const page = await context.newPage();
  await page.goto(demo.dashboardUrl);
  await measure(page);
  for (let i = 0; i < RUNS; i++) {
    await page.reload();
    warm.push(await measure(page));
  }
  await context.close();

  console.log(`Chromium ${browser.version()} headless, demo on ${new URL(demo.dashboardUrl).host}, one store`);
  report("cold (new context, empty cache)", cold);
  report("warm (reload, cached assets)", warm);
} finally {
  await browser.close();
  await demo.stop();
}
