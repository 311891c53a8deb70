// Walk the Amazon Sales Channel extension inside a REAL Saleor Dashboard (3.23), in headless Chromium:
// Extensions → Installed, the app page (home, pre-configuration tasks, Add/Edit, Connect in the tab the
// Dashboard opens, Amazon's consent, the return page, Authorize from Amazon (Seller Central's Re-Authorize →
// the Log-in URI → the Dashboard → confirm → Amazon), View Store edited in place with the save bar, the
// "More actions" menu (Check connection, Disconnect), the catalog match, Delete from the save bar),
// the home-page widget, French and dark theme; in between, selling (scripts/walk/: Amazon's catalog for Saleor's
// variants, the listings section, Saleor's price and stock followed on Amazon, end/relist, the ASIN picker, the
// Errors tab, orders, listing and price rules followed on Amazon). Screenshots of every screen, axe-core inside the
// extension's frame on every screen in en/fr × light/dark, time to first card (cold and warm).
// Generic: the Dashboard, Saleor and the Amazon emulator run elsewhere; Saleor only through its public GraphQL API.
//
//   node scripts/walk-real-dashboard.mjs --dashboard http://localhost:9000/dashboard/ \
//     --email admin@example.com --password admin --axe /path/to/axe-core/axe.min.js \
//     --shots /tmp/shots [--playwright /path/to/playwright-core] [--chromium /usr/bin/chromium] [--runs 5]
//     [--seller-email seller@example.com --seller-password amazon-demo --otp 123456]
//     [--emulator http://127.0.0.1:8711]   (the Amazon emulator: Seller Central's Manage Your Apps, its control routes)
//     [--api http://localhost:8000/graphql/]   (Saleor's API: the channel's variants, a price and a stock changed as
//                                                the Dashboard's variant page does; the listings and rules steps)
// Prints a JSON report on stdout (also written to <shots>/walk-report.json). Exits 1 when a step failed, axe found
// a serious or critical violation on a screen, or a request of the extension failed (scripts/real-dashboard.sh
// runs it in `make test`).
import { mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { parseArgs } from "node:util";

const { values: opt } = parseArgs({
  options: {
    dashboard: { type: "string" },
    email: { type: "string" },
    password: { type: "string" },
    "app-name": { type: "string", default: "Amazon Sales Channel" },
    "store-name": { type: "string", default: "Amazon Store USA" },
    "seller-email": { type: "string", default: "seller@example.com" },
    "seller-password": { type: "string", default: "amazon-demo" },
    otp: { type: "string", default: "123456" },
    axe: { type: "string" },
    shots: { type: "string" },
    playwright: { type: "string", default: "playwright-core" },
    chromium: { type: "string", default: "/usr/bin/chromium" },
    runs: { type: "string", default: "5" },
    emulator: { type: "string", default: "http://127.0.0.1:8711" },
    api: { type: "string", default: "http://localhost:8000/graphql/" },
  },
});
for (const required of ["dashboard", "email", "password", "axe", "shots"]) {
  if (!opt[required]) throw new Error(`--${required} is required`);
}
const require = createRequire(import.meta.url);
const { chromium } = require(opt.playwright);
const DASHBOARD = opt.dashboard.endsWith("/") ? opt.dashboard : `${opt.dashboard}/`;
const VIEWPORT = { width: 1280, height: 800 };
const EXTENSION = /\/saleor_amazon_channel\/app(?:[/?#]|$)/;
const report = { screens: [], axe: [], notes: [], errors: [], firstCard: null, urls: {} };
mkdirSync(opt.shots, { recursive: true });

const note = (text) => {
  report.notes.push(text);
  console.error(`note: ${text}`);
};

async function step(name, body) {
  const started = Date.now();
  try {
    const result = await body();
    report.screens.push({ name, ok: true, ms: Date.now() - started, ...(result || {}) });
    console.error(`ok   ${name}`);
  } catch (error) {
    report.screens.push({ name, ok: false, error: String(error.message || error).split("\n")[0] });
    report.errors.push(`${name}: ${String(error.message || error).split("\n")[0]}`);
    console.error(`FAIL ${name}: ${String(error.message || error).split("\n")[0]}`);
  }
}

async function shot(page, name) {
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(opt.shots, `${name}.png`) });
}

/** The extension's frame on the page (the app page's, or the widget's when `widget`). */
async function extensionFrame(page, { widget = false, timeout = 30_000 } = {}) {
  const start = Date.now();
  for (;;) {
    const frame = page.frames().find((f) => EXTENSION.test(f.url()) && /view=widget/.test(f.url()) === widget);
    if (frame) return frame;
    if (Date.now() - start > timeout) throw new Error(`no extension frame${widget ? " (widget)" : ""} on ${page.url()}`);
    await page.waitForTimeout(100);
  }
}

/** Actions of the extension the Dashboard covers (its announcement card, toasts): scrolled to the
 * frame's bottom edge and to its top, what the Dashboard page has at each button's centre. */
async function coveredButtons(page, frame) {
  if (frame === page.mainFrame()) return [];
  const frameElement = await frame.frameElement();
  const covered = [];
  const buttons = frame.locator("button:not([role=checkbox])");
  for (let index = 0; index < (await buttons.count()); index++) {
    const button = buttons.nth(index);
    if (!(await button.isVisible())) continue;
    for (const block of ["end", "start"]) {
      const box = await button.evaluate((el, where) => {
        el.scrollIntoView({ block: where, inline: "nearest" });
        const r = el.getBoundingClientRect();
        return { x: r.left + r.width / 2, y: r.top + r.height / 2, label: (el.textContent || el.getAttribute("aria-label") || "").trim() };
      }, block);
      const origin = await frameElement.boundingBox();
      const hit = await page.evaluate(
        ([x, y, el]) => {
          const top = document.elementFromPoint(x, y);
          if (!top || top === el || el.contains(top)) return null;
          return (top.closest("[data-test-id]")?.getAttribute("data-test-id") || top.tagName) + (top.textContent ? `: ${top.textContent.trim().slice(0, 30)}` : "");
        },
        [origin.x + box.x, origin.y + box.y, frameElement],
      );
      if (hit) covered.push(`${box.label} @${block} under ${hit}`);
    }
  }
  return covered;
}

/** axe-core in a frame: serious and critical violations (rules and nodes), and every rule id. */
async function axe(frame, screen, combo) {
  await frame.addScriptTag({ path: opt.axe });
  const result = await frame.evaluate(async () => {
    const run = await window.axe.run(document, { resultTypes: ["violations"] });
    return run.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, help: v.help, targets: v.nodes.slice(0, 4).map((n) => n.target.join(" ")) }));
  });
  const severe = result.filter((v) => v.impact === "serious" || v.impact === "critical");
  const covered = await coveredButtons(frame.page(), frame).catch((error) => [`check failed: ${error.message}`]);
  const entry = {
    screen,
    combo,
    coveredButtons: covered,
    seriousCriticalRules: severe.length,
    seriousCriticalNodes: severe.reduce((sum, v) => sum + v.nodes, 0),
    violations: result,
  };
  report.axe.push(entry);
  console.error(`axe  ${combo} ${screen}: ${entry.seriousCriticalRules} serious/critical rules, ${entry.seriousCriticalNodes} nodes; covered: ${covered.join(" | ") || "none"}`);
  return entry;
}

async function login(context) {
  const page = await context.newPage();
  await page.goto(DASHBOARD);
  await page.locator('[data-test-id="email"]').fill(opt.email);
  await page.locator('[data-test-id="password"]').fill(opt.password);
  await page.locator('[data-test-id="submit"]').click();
  await page.waitForFunction(() => !document.querySelector('[data-test-id="submit"]'), null, { timeout: 60_000 });
  return page;
}

/** Dashboard settings kept in its localStorage: language and theme. */
async function setDashboardPrefs(page, { locale, theme }) {
  await page.evaluate(
    ([l, t]) => {
      localStorage.setItem("locale", l);
      localStorage.setItem("activeMacawUITheme", t === "dark" ? "defaultDark" : "defaultLight");
    },
    [locale, theme],
  );
}

const FIRST_CARD_MARK = () => {
  if (!/\/saleor_amazon_channel\/app(\/|$)/.test(location.pathname) || /view=widget/.test(location.search)) return;
  const observer = new MutationObserver(() => {
    const card = document.querySelector('[data-testid="store-card"]');
    if (window.__firstCard || !card) return;
    const box = card.getBoundingClientRect();
    if (!box.width || !box.height) return;
    window.__firstCard = performance.timeOrigin + performance.now();
    observer.disconnect();
  });
  observer.observe(document, { childList: true, subtree: true });
};

async function firstCardMs(page) {
  const frame = await extensionFrame(page);
  await frame.waitForFunction(() => window.__firstCard, null, { timeout: 60_000, polling: 50 });
  const [card, origin] = [await frame.evaluate(() => window.__firstCard), await page.evaluate(() => performance.timeOrigin)];
  return Math.round(card - origin);
}


/** Amazon's sign-in (when asked) and consent in a tab the Dashboard opened. */
async function consent(tab, prefix) {
  await tab.waitForURL((url) => url.href !== "about:blank");
  await tab.waitForLoadState();
  // A renewal Amazon started itself may come straight back (no consent page): then nothing to do.
  await Promise.race([
    tab.locator("#email").or(tab.getByLabel(/I understand/)).first().waitFor({ timeout: 30_000 }),
    tab.waitForURL(/connectResult=/, { timeout: 30_000 }),
  ]);
  if (/connectResult=/.test(tab.url())) return;
  if (await tab.locator("#email").isVisible()) {
    await tab.getByLabel("Email").fill(opt["seller-email"]);
    await tab.getByLabel("Password").fill(opt["seller-password"]);
    await shot(tab, `${prefix}b-amazon-signin`);
    await tab.getByRole("button", { name: "Sign in" }).click();
    await tab.getByLabel("Enter the code").fill(opt.otp);
    await tab.getByRole("button", { name: "Sign in" }).click();
  }
  await tab.getByLabel(/I understand/).check();
  await shot(tab, `${prefix}c-amazon-consent`);
  await tab.getByRole("button", { name: "Next" }).click();
  await tab.getByRole("button", { name: "Continue" }).click();
  // The plugin's Log-in URI asks the merchant to confirm the seller ID Amazon named and the store
  // (its own page, a same-origin POST) before anything goes back to Amazon; a renewal started from the
  // Dashboard's Authorize from Amazon screen was confirmed there and comes straight back.
  const confirmation = tab.locator("form[data-consent-confirm]");
  await confirmation.or(tab.getByTestId("connect-result")).first().waitFor({ timeout: 30_000 });
  if (await confirmation.isVisible()) {
    await shot(tab, `${prefix}d-confirm`);
    await confirmation.locator("button.primary").click();
  }
}

/** The Dashboard's own notifications (toasts) shown now. */
async function toasts(page) {
  return page
    .locator('[data-sonner-toast], [data-test-id="notification"], [role="status"], [role="alert"]')
    .allInnerTexts()
    .then((texts) => texts.map((t) => t.trim().replace(/\s+/g, " ")).filter(Boolean))
    .catch(() => []);
}

/** The whole extension (frame scrolled top to bottom): one screenshot per viewport. */
async function fullShot(page, frame, name) {
  const height = await frame.evaluate(() => document.documentElement.scrollHeight);
  const frameHeight = (await (await frame.frameElement()).boundingBox()).height;
  for (let y = 0, part = 0; y < height && part < 6; y += frameHeight - 80, part++) {
    await frame.evaluate((top) => window.scrollTo(0, top), y);
    await shot(page, `${name}-${part}`);
  }
  await frame.evaluate(() => window.scrollTo(0, 0));
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : Math.round((s[s.length / 2 - 1] + s[s.length / 2]) / 2);
};

const browser = await chromium.launch({ executablePath: opt.chromium, args: ["--headless", "--no-sandbox", "--disable-gpu"] });
let appId = null;
let appPageUrl = null;
let storeId = null;
let authorizationUrl = null;
try {
  const context = await browser.newContext({ viewport: VIEWPORT });
  const page = await login(context);
  const consoleErrors = [];
  page.on("console", (m) => m.type() === "error" && consoleErrors.push(m.text()));
  page.on("pageerror", (e) => consoleErrors.push(String(e)));
  const failed = [];
  page.on("response", (r) => r.status() >= 400 && EXTENSION.test(r.url()) && failed.push(`${r.status()} ${r.url()}`));

  await step("01 Extensions → Installed", async () => {
    await page.goto(`${DASHBOARD}extensions/installed`);
    await page.getByText(opt["app-name"], { exact: true }).first().waitFor();
    await page.waitForTimeout(1500);
    const names = await page.getByText(/Amazon Sales Channel/).allTextContents();
    await shot(page, "01-installed");
    return { names };
  });

  await step("02 app page: home (no store yet)", async () => {
    await page.getByText(opt["app-name"], { exact: true }).first().click();
    await page.waitForURL(/\/extensions\/app\//);
    appPageUrl = page.url().split("?")[0].replace(/\/$/, "");
    appId = decodeURIComponent(appPageUrl.split("/").at(-1));
    const frame = await extensionFrame(page);
    report.urls.appPage = appPageUrl;
    report.urls.iframe = frame.url();
    await frame.getByTestId("empty-state").waitFor({ timeout: 30_000 });
    await shot(page, "02-app-home-empty");
    await axe(frame, "home (empty)", "en-light");
    return { dashboardUrl: page.url(), iframe: frame.url() };
  });

  await step("03 pre-configuration tasks", async () => {
    const frame = await extensionFrame(page);
    await frame.getByTestId("empty-state").getByRole("button", { name: "Add Amazon Store" }).click();
    await frame.getByTestId("setup-checklist").waitFor();
    await page.waitForTimeout(500);
    await shot(page, "03-setup");
    await axe(frame, "pre-configuration tasks", "en-light");
    return { dashboardUrl: page.url() };
  });

  await step("03b plugin page from the task's link, and back", async () => {
    const frame = await extensionFrame(page);
    await frame.getByTestId("plugin-page-link").click();
    await page.waitForURL(/\/extensions\/plugin\/saleor_amazon_channel/, { timeout: 15_000 });
    await page.getByText(/settings/).first().waitFor();
    await page.waitForTimeout(1000);
    await shot(page, "03b-plugin-page");
    const text = await page.locator("main, body").first().innerText();
    await page.goBack();
    await (await extensionFrame(page)).getByTestId("setup-checklist").waitFor();
    return { pluginPageMentionsApp: text.includes("Extensions → Installed → Amazon Sales Channel"), backUrl: page.url() };
  });

  await step("04 Add Amazon Store form", async () => {
    const frame = await extensionFrame(page);
    await frame.getByRole("button", { name: "Continue to add a store" }).click();
    await frame.getByTestId("store-form").waitFor();
    await frame.locator("#field-channel option:not([value=''])").first().waitFor({ state: "attached" });
    await shot(page, "04-form");
    await axe(frame, "add form", "en-light");
    // The channel in the US marketplace's currency (Saleor lists its channels by slug: populatedb's PLN one first).
    const options = frame.locator("#field-channel option:not([value=''])");
    const usd = options.filter({ hasText: "(USD)" });
    const channel = await ((await usd.count()) ? usd : options).first().getAttribute("value");
    await frame.locator("#field-channel").selectOption(channel);
    await frame.getByLabel("Contact email", { exact: true }).fill("amazon@example.com");
    await frame.getByLabel("Store name", { exact: true }).fill(opt["store-name"]);
    const us = await frame.locator("#field-marketplace").evaluate((el) => [...el.options].find((o) => o.textContent.includes("United States"))?.value);
    await frame.locator("#field-marketplace").selectOption(us);
    await shot(page, "04b-form-filled");
    await frame.getByRole("button", { name: "Add store" }).click();
    await frame.getByTestId("store-card").waitFor({ timeout: 30_000 });
    await page.waitForTimeout(500);
    await shot(page, "05-home-card");
    await axe(frame, "home (card)", "en-light");
    storeId = await frame.locator("[data-testid=store-card]").first().evaluate((el) => el.closest("[data-store-id]")?.dataset.storeId ?? el.dataset.storeId ?? null);
    return { dashboardUrl: page.url() };
  });

  await step("06 Connect: the Dashboard opens the tab; Amazon's consent; the return page", async () => {
    const frame = await extensionFrame(page);
    const card = frame.getByTestId("store-card").first();
    const [tab] = await Promise.all([context.waitForEvent("page", { timeout: 20_000 }), card.getByRole("button", { name: "Connect store" }).click()]);
    await page.waitForTimeout(800);
    await shot(page, "06a-home-waiting");
    const waiting = await card.getAttribute("data-pending").catch(() => null);
    await consent(tab, "06");
    await tab.waitForURL(/connectResult=/, { timeout: 30_000 });
    await tab.getByTestId("connect-result").waitFor();
    await shot(tab, "06d-return-page");
    await axe(tab.mainFrame(), "return page (consent tab)", "en-light");
    const returnUrl = tab.url().split("?")[0];
    await tab.close();
    await frame.locator('[data-status="CONNECTED"]').first().waitFor({ timeout: 30_000 });
    await page.waitForTimeout(800);
    await shot(page, "07-home-connected");
    await axe(frame, "home (connected)", "en-light");
    return { returnPage: returnUrl, pendingWhileTabOpen: waiting, toasts: await toasts(page) };
  });

  await step("07 Authorize from Amazon: Manage Your Apps → Re-Authorize → Log-in URI → Dashboard → confirm", async () => {
    const amazon = await context.newPage();
    await amazon.goto(`${opt.emulator.replace(/\/$/, "")}/apps/manage`);
    await amazon.getByRole("heading", { name: "Manage Your Apps" }).waitFor();
    await shot(amazon, "07a-manage-your-apps");
    await amazon.getByRole("button", { name: "Re-Authorize" }).first().click();
    await amazon.waitForURL((url) => url.pathname.includes("/extensions/app/"), { timeout: 30_000 });
    authorizationUrl = amazon.url();
    const frame = await extensionFrame(amazon);
    await frame.getByTestId("amazon-authorization").waitFor({ timeout: 30_000 });
    const row = frame.getByTestId("authorize-store").filter({ hasText: opt["store-name"] });
    await row.waitFor();
    await amazon.waitForTimeout(500);
    await shot(amazon, "07b-authorize-in-dashboard");
    await axe(frame, "authorize from Amazon", "en-light");
    const [result] = await Promise.all([
      context.waitForEvent("page", { timeout: 20_000 }),
      row.getByRole("button", { name: "Confirm and continue on Amazon" }).click(),
    ]);
    await consent(result, "07c");
    await result.waitForURL(/connectResult=/, { timeout: 30_000 });
    const outcome = await result.getByTestId("connect-result").getAttribute("data-outcome");
    await shot(result, "07d-renew-result");
    await frame.getByTestId("authorize-opened").waitFor();
    await shot(amazon, "07e-authorize-opened");
    const landed = new URL(authorizationUrl);
    await result.close();
    await amazon.close();
    return { landedOn: landed.pathname, outcome };
  });

  await step("08 View Store; the Dashboard URL follows; reload opens it again", async () => {
    await page.goto(appPageUrl);
    const frame = await extensionFrame(page);
    await frame.getByTestId("store-card").first().getByRole("button", { name: "View Store" }).click();
    await frame.getByTestId("store-detail").waitFor();
    storeId = await frame.getByTestId("store-detail").getAttribute("data-store-id");
    await page.waitForTimeout(800);
    const followed = page.url();
    await shot(page, "08-store");
    await fullShot(page, frame, "08-store-full");
    await axe(frame, "store page", "en-light");
    await page.reload();
    const again = await extensionFrame(page);
    await again.getByTestId("store-detail").waitFor({ timeout: 30_000 });
    await shot(page, "08b-store-after-reload");
    return { dashboardUrl: followed, reloadedIframe: again.url(), frameHeight: (await (await again.frameElement()).boundingBox()).height };
  });

  await step("09 Check connection (More actions)", async () => {
    const frame = await extensionFrame(page);
    await frame.getByRole("button", { name: /More actions/ }).click();
    await page.waitForTimeout(300);
    await shot(page, "09a-more-actions");
    await axe(frame, "more actions menu", "en-light");
    await frame.getByRole("button", { name: "Check connection", exact: true }).or(frame.getByRole("menuitem", { name: "Check connection" })).first().click();
    await page.waitForTimeout(2500);
    await shot(page, "09-check-connection");
    return { toasts: await toasts(page) };
  });

  await step("10 Edit in place: the save bar", async () => {
    const frame = await extensionFrame(page);
    const email = frame.getByLabel("Contact email", { exact: true });
    await email.scrollIntoViewIfNeeded();
    await email.fill("amazon-walk@example.com");
    const bar = frame.getByTestId("savebar");
    await bar.waitFor();
    await page.waitForTimeout(500);
    await shot(page, "10-edit-savebar");
    await axe(frame, "store page (unsaved, save bar)", "en-light");
    const saveBox = await frame.getByTestId("savebar-save").boundingBox();
    const visibleInViewport = !!saveBox && saveBox.y >= 0 && saveBox.y + saveBox.height <= VIEWPORT.height;
    await frame.getByTestId("savebar-save").click();
    await page.waitForTimeout(2000);
    await shot(page, "10b-saved");
    const saved = await frame.getByTestId("store-detail").textContent();
    return { saveButtonInViewport: visibleInViewport, saveBox, savedEmailShown: saved.includes("amazon-walk@example.com"), toasts: await toasts(page) };
  });

  // Saleor's API as the staff user, and what the catalog step put on Amazon for the listings and rules steps.
  const saleor = await (await import("./walk/saleor.mjs")).saleorApi(opt.api, opt.email, opt.password);
  const sell = {};
  await (await import("./walk/amazon-catalog.mjs")).walkAmazonCatalog({ step, saleor, opt, sell });

  await step("10c Catalog on Amazon: start a match (variant SKU)", async () => {
    const frame = await extensionFrame(page);
    const section = frame.getByTestId("catalog-section");
    await section.scrollIntoViewIfNeeded();
    await page.waitForTimeout(300);
    await shot(page, "10c-catalog-before");
    await frame.getByRole("button", { name: "Start catalog match" }).click();
    await frame.getByTestId("catalog-last-run").or(frame.getByRole("progressbar")).first().waitFor({ timeout: 60_000 });
    await shot(page, "10d-catalog-running");
    await frame.getByTestId("catalog-last-run").waitFor({ timeout: 180_000 });
    await frame.getByTestId("catalog-section").scrollIntoViewIfNeeded();
    await page.waitForTimeout(800);
    await shot(page, "10e-catalog-done");
    await axe(frame, "catalog section (after a match)", "en-light");
    return { lastRun: (await frame.getByTestId("catalog-last-run").textContent()).trim(), rows: await frame.getByTestId("catalog-table").locator("tbody tr").count().catch(() => 0) };
  });

  await (await import("./walk/orders.mjs")).walkOrders({ page, step, extensionFrame, shot, axe, toasts, opt });
  await (await import("./walk/listings.mjs")).walkListings({ page, step, extensionFrame, shot, axe, toasts, opt, saleor, sell });

  await (await import("./walk/rules.mjs")).walkRules({ step, page, extensionFrame, axe, shot, setDashboardPrefs, appPageUrl, storeId, saleor, sell, opt });
  // The rules' walk ends on a rule's form: back to the store's page for what follows.
  await page.goto(`${appPageUrl}/stores/${encodeURIComponent(storeId)}`);
  await (await extensionFrame(page)).getByTestId("store-detail").waitFor();

  await step("11 Disconnect (More actions → dialog)", async () => {
    const frame = await extensionFrame(page);
    await frame.getByRole("button", { name: /More actions/ }).click();
    await frame.getByRole("button", { name: "Disconnect", exact: true }).or(frame.getByRole("menuitem", { name: "Disconnect" })).first().click();
    await frame.getByRole("alertdialog").waitFor();
    await page.waitForTimeout(500);
    await shot(page, "11-disconnect-dialog");
    await axe(frame, "disconnect dialog", "en-light");
    await frame.getByRole("alertdialog").getByRole("button", { name: "Disconnect" }).click();
    await frame.getByRole("alertdialog").waitFor({ state: "detached" });
    await page.waitForTimeout(1500);
    await shot(page, "11b-disconnected");
    return { status: await frame.getByTestId("store-detail").getAttribute("data-status"), toasts: await toasts(page) };
  });

  await step("12 home-page widget", async () => {
    await page.goto(DASHBOARD);
    const widget = await extensionFrame(page, { widget: true, timeout: 45_000 });
    await widget.getByTestId("widget").waitFor({ timeout: 30_000 });
    await page.waitForTimeout(1500);
    report.urls.widget = widget.url();
    await shot(page, "12-home-widget");
    await axe(widget, "home-page widget", "en-light");
  });

  report.consoleErrors = consoleErrors.slice(0, 20);
  report.failedExtensionRequests = failed;

  // Time to first card: cold (a new browser context: nothing of the extension cached) and warm (a reload).
  await step("13 time to first card", async () => {
    const cold = [];
    const warm = [];
    for (let run = 0; run < Number(opt.runs); run++) {
      const fresh = await browser.newContext({ viewport: VIEWPORT });
      await fresh.addInitScript(FIRST_CARD_MARK);
      const p = await login(fresh);
      await p.goto(appPageUrl);
      cold.push(await firstCardMs(p));
      await p.reload();
      warm.push(await firstCardMs(p));
      await fresh.close();
    }
    report.firstCard = { cold, warm, coldMedian: median(cold), warmMedian: median(warm), runs: cold.length };
    return report.firstCard;
  });

  // Every screen in each language × theme (deep links straight to each screen).
  for (const [locale, theme] of [["en", "light"], ["fr", "light"], ["en", "dark"], ["fr", "dark"]]) {
    const combo = `${locale}-${theme}`;
    await step(`14 ${combo}: every screen`, async () => {
      await setDashboardPrefs(page, { locale, theme });
      const detail = `/stores/${encodeURIComponent(storeId)}`;
      const screens = [
        ["home", "", async (f) => f.getByTestId("store-card").first().waitFor()],
        ["pre-configuration tasks", "/setup", async (f) => f.getByTestId("setup-checklist").waitFor()],
        ["add form", "/stores/new", async (f) => f.getByTestId("store-form").waitFor()],
        ["store page", detail, async (f) => f.getByTestId("store-detail").waitFor()],
        [
          "store page (save bar)",
          detail,
          async (f) => {
            await f.getByTestId("store-detail").waitFor();
            await f.locator("#field-contactEmail, input[type=email]").first().fill("walk-dirty@example.com");
            await f.getByTestId("savebar").waitFor();
          },
        ],
        [
          "catalog section",
          detail,
          async (f) => {
            await f.getByTestId("catalog-section").waitFor();
            await f.getByTestId("catalog-section").scrollIntoViewIfNeeded();
          },
        ],
        [
          "more actions menu",
          detail,
          async (f) => {
            await f.getByTestId("store-detail").waitFor();
            await f.getByTestId("more-actions").click();
          },
        ],
        [
          "delete dialog",
          detail,
          async (f) => {
            await f.getByTestId("store-detail").waitFor();
            await f.getByTestId("savebar-delete").click();
            await f.getByRole("alertdialog").waitFor();
          },
        ],
      ];
      for (const [screen, sub, ready] of screens) {
        await page.goto(`${appPageUrl}${sub}`);
        const frame = await extensionFrame(page);
        await ready(frame);
        await page.waitForTimeout(800);
        await shot(page, `${combo}-${screen.replace(/\W+/g, "-")}`);
        await axe(frame, screen, combo);
      }
      if (authorizationUrl) {
        await page.goto(authorizationUrl);
        const frame = await extensionFrame(page);
        await frame.getByTestId("amazon-authorization").waitFor();
        await page.waitForTimeout(800);
        await shot(page, `${combo}-authorize`);
        await axe(frame, "authorize from Amazon", combo);
      }
      await page.goto(DASHBOARD);
      const widget = await extensionFrame(page, { widget: true, timeout: 45_000 });
      await widget.getByTestId("widget").waitFor({ timeout: 30_000 });
      await page.waitForTimeout(1000);
      await shot(page, `${combo}-home-widget`);
      await axe(widget, "home-page widget", combo);
    });
  }

  await step("15 Delete (en, light; the save bar's Delete)", async () => {
    await setDashboardPrefs(page, { locale: "en", theme: "light" });
    await page.goto(`${appPageUrl}/stores/${encodeURIComponent(storeId)}`);
    const frame = await extensionFrame(page);
    await frame.getByTestId("store-detail").waitFor();
    await frame.getByTestId("savebar-delete").click();
    await frame.getByRole("alertdialog").waitFor();
    await page.waitForTimeout(500);
    await shot(page, "15-delete-dialog");
    await frame.getByRole("alertdialog").getByRole("button", { name: "Delete store" }).click();
    await frame.getByTestId("empty-state").waitFor({ timeout: 30_000 });
    await page.waitForTimeout(800);
    await shot(page, "15b-deleted-home");
    return { toasts: await toasts(page) };
  });
} finally {
  await browser.close();
  // Failed when a step failed, axe found a serious or critical violation, or a request of the extension failed.
  const severe = report.axe.filter((entry) => entry.seriousCriticalNodes > 0);
  report.failed = [
    ...report.errors,
    ...severe.map((entry) => `axe ${entry.combo} ${entry.screen}: ${entry.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id} (${v.nodes})`).join(", ")}`),
    ...(report.failedExtensionRequests || []).map((request) => `request ${request}`),
  ];
  writeFileSync(path.join(opt.shots, "walk-report.json"), JSON.stringify(report, null, 2));
  console.log(JSON.stringify(report, null, 2));
  const combos = new Set(report.axe.map((entry) => entry.combo));
  console.error(`walk: ${report.screens.filter((s) => s.ok).length}/${report.screens.length} steps ok, axe on ${report.axe.length} screens (${[...combos].join(", ")}), ${severe.length} with serious/critical violations`);
  for (const failure of report.failed) console.error(`FAILED ${failure}`);
  if (report.failed.length) process.exitCode = 1;
}
