// Walk the Amazon Sales Channel extension inside a REAL Saleor Dashboard (3.23), in headless Chromium:
// Extensions → Installed, the app page (home, pre-configuration tasks, Add/Edit, Connect in the tab the
// Dashboard opens, Amazon's consent, the return page, View Store, Check connection, Disconnect, Delete),
// the home-page widget, French and dark theme. Screenshots of every screen, axe-core inside the
// extension's frame on every screen in en/fr × light/dark, time to first card (cold and warm).
// Generic: nothing of Saleor in it; the Dashboard, Saleor and the Amazon emulator run elsewhere.
//
//   node scripts/walk-real-dashboard.mjs --dashboard http://localhost:9000/dashboard/ \
//     --email admin@example.com --password admin --axe /path/to/axe-core/axe.min.js \
//     --shots /tmp/shots [--playwright /path/to/playwright-core] [--chromium /usr/bin/chromium] [--runs 5]
//     [--seller-email seller@example.com --seller-password amazon-demo --otp 123456]
// Prints a JSON report on stdout (also written to <shots>/walk-report.json).
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

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : Math.round((s[s.length / 2 - 1] + s[s.length / 2]) / 2);
};

const browser = await chromium.launch({ executablePath: opt.chromium, args: ["--headless", "--no-sandbox", "--disable-gpu"] });
let appId = null;
let appPageUrl = null;
let storeId = null;
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
    const channel = await frame.locator("#field-channel option:not([value=''])").first().getAttribute("value");
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
    await tab.waitForLoadState();
    const firstUrl = tab.url();
    if (await tab.locator("#email").isVisible()) {
      await tab.getByLabel("Email").fill(opt["seller-email"]);
      await tab.getByLabel("Password").fill(opt["seller-password"]);
      await shot(tab, "06b-amazon-signin");
      await tab.getByRole("button", { name: "Sign in" }).click();
      await tab.getByLabel("Enter the code").fill(opt.otp);
      await tab.getByRole("button", { name: "Sign in" }).click();
    }
    await tab.getByLabel(/I understand/).check();
    await shot(tab, "06c-amazon-consent");
    await tab.getByRole("button", { name: "Next" }).click();
    await tab.getByRole("button", { name: "Continue" }).click();
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
    return { tabOpenedAt: firstUrl.split("?")[0], returnPage: returnUrl };
  });

  await step("08 View Store; the Dashboard URL follows; reload opens it again", async () => {
    const frame = await extensionFrame(page);
    await frame.getByTestId("store-card").first().getByRole("button", { name: "View Store" }).click();
    await frame.getByTestId("store-detail").waitFor();
    storeId = await frame.getByTestId("store-detail").getAttribute("data-store-id");
    await page.waitForTimeout(500);
    const followed = page.url();
    await shot(page, "08-store");
    await axe(frame, "store page", "en-light");
    await page.reload();
    const again = await extensionFrame(page);
    await again.getByTestId("store-detail").waitFor({ timeout: 30_000 });
    await shot(page, "08b-store-after-reload");
    return { dashboardUrl: followed, reloadedIframe: again.url() };
  });

  await step("09 Check connection", async () => {
    const frame = await extensionFrame(page);
    await frame.getByRole("button", { name: "Check connection" }).click();
    await page.waitForTimeout(2500);
    await shot(page, "09-check-connection");
    await axe(frame, "store page (checked)", "en-light");
  });

  await step("10 Edit", async () => {
    const frame = await extensionFrame(page);
    await frame.getByRole("button", { name: "Edit", exact: true }).click();
    await frame.getByTestId("store-form").waitFor();
    await page.waitForTimeout(500);
    const url = page.url();
    await shot(page, "10-edit");
    await axe(frame, "edit form", "en-light");
    await frame.getByTestId("store-form").getByRole("button", { name: /^Save/ }).first().click();
    await frame.getByTestId("store-detail").waitFor();
    return { dashboardUrl: url };
  });

  await step("11 Disconnect", async () => {
    const frame = await extensionFrame(page);
    await frame.getByRole("button", { name: "Disconnect", exact: true }).click();
    await frame.getByRole("alertdialog").waitFor();
    await page.waitForTimeout(500);
    await shot(page, "11-disconnect-dialog");
    await axe(frame, "disconnect dialog", "en-light");
    await frame.getByRole("alertdialog").getByRole("button", { name: "Disconnect" }).click();
    await page.waitForTimeout(2000);
    await shot(page, "11b-disconnected");
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

  // French and dark theme, each screen again (deep links straight to each screen).
  for (const [locale, theme] of [["fr", "light"], ["en", "dark"], ["fr", "dark"]]) {
    const combo = `${locale}-${theme}`;
    await step(`14 ${combo}: every screen`, async () => {
      await setDashboardPrefs(page, { locale, theme });
      const screens = [
        ["home", "", async (f) => f.getByTestId("store-card").first().waitFor()],
        ["pre-configuration tasks", "/setup", async (f) => f.getByTestId("setup-checklist").waitFor()],
        ["add form", "/stores/new", async (f) => f.getByTestId("store-form").waitFor()],
        ["store page", `/stores/${encodeURIComponent(storeId)}`, async (f) => f.getByTestId("store-detail").waitFor()],
        ["edit form", `/stores/${encodeURIComponent(storeId)}/edit`, async (f) => f.getByTestId("store-form").waitFor()],
      ];
      for (const [screen, sub, ready] of screens) {
        await page.goto(`${appPageUrl}${sub}`);
        const frame = await extensionFrame(page);
        await ready(frame);
        await page.waitForTimeout(800);
        await shot(page, `${combo}-${screen.replace(/\W+/g, "-")}`);
        await axe(frame, screen, combo);
      }
      await page.goto(`${appPageUrl}/stores/${encodeURIComponent(storeId)}`);
      const frame = await extensionFrame(page);
      await frame.getByTestId("store-detail").waitFor();
      await frame.locator("button").filter({ hasText: /^(Delete|Supprimer)$/ }).click();
      await frame.getByRole("alertdialog").waitFor();
      await page.waitForTimeout(500);
      await shot(page, `${combo}-delete-dialog`);
      await axe(frame, "delete dialog", combo);
      await page.goto(DASHBOARD);
      const widget = await extensionFrame(page, { widget: true, timeout: 45_000 });
      await widget.getByTestId("widget").waitFor({ timeout: 30_000 });
      await page.waitForTimeout(1000);
      await shot(page, `${combo}-home-widget`);
      await axe(widget, "home-page widget", combo);
    });
  }

  await step("15 Delete (en, light)", async () => {
    await setDashboardPrefs(page, { locale: "en", theme: "light" });
    await page.goto(`${appPageUrl}/stores/${encodeURIComponent(storeId)}`);
    const frame = await extensionFrame(page);
    await frame.getByTestId("store-detail").waitFor();
    await frame.locator("button").filter({ hasText: /^Delete$/ }).click();
    await frame.getByRole("alertdialog").waitFor();
    await page.waitForTimeout(500);
    await shot(page, "15-delete-dialog");
    await axe(frame, "delete dialog", "en-light");
    await frame.getByRole("alertdialog").getByRole("button", { name: "Delete store" }).click();
    await frame.getByTestId("empty-state").waitFor({ timeout: 30_000 });
    await page.waitForTimeout(800);
    await shot(page, "15b-deleted-home");
  });
} finally {
  await browser.close();
  writeFileSync(path.join(opt.shots, "walk-report.json"), JSON.stringify(report, null, 2));
  console.log(JSON.stringify(report, null, 2));
}
