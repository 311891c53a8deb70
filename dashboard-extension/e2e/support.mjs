// Shared by the browser tests and bench/bench_first_card.mjs: the demo as a subprocess
// (its own PostgreSQL database, its own free ports), headless Chromium, screenshots.
import { spawn, execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import net from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const SCREENSHOTS = path.join(REPO_ROOT, "screenshots");
export const PLUGIN_PATH = "/plugins/global/saleor_amazon_channel";
/** The extension's frame URL: `…/app`, `…/app/…` or `…/app?…` (the Dashboard's url-join drops the slash). */
export const EXTENSION_FRAME = /\/plugins\/global\/saleor_amazon_channel\/app(?:[/?#]|$)/;

/** The demo seller of the emulator (amazon_emulator/README.md). */
export const SELLER = { email: "seller@example.com", password: "amazon-demo", otp: "123456", id: "A2DEMOSELLER01" };
export const NON_PARTICIPANT = { email: "na-nonparticipant@example.com", password: "amazon-demo", otp: "123456" };

const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
const START_TIMEOUT_MS = 90_000;
const DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/amazon_channel_e2e";

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function python() {
  const exe = process.env.PYTHON;
  if (!exe) throw new Error("Set PYTHON to the project's Python (make test-e2e passes .venv/bin/python).");
  // A relative path is the caller's; the demo runs from the repository root.
  return exe.includes("/") ? path.resolve(exe) : exe;
}

/** Run SQL statements, in order, on the `postgres` database of E2E_DATABASE_URL's server. */
function adminSql(statements) {
  const admin = new URL(process.env.E2E_DATABASE_URL || DEFAULT_DATABASE_URL);
  admin.pathname = "/postgres";
  // psycopg is a dependency of the project, so the venv always has it (psql may be missing).
  const script = [
    "import sys, psycopg",
    "with psycopg.connect(sys.argv[1], autocommit=True) as c:",
    "    for statement in sys.argv[2:]:",
    "        c.execute(statement)",
  ].join("\n");
  execFileSync(python(), ["-c", script, admin.href, ...statements], { stdio: ["ignore", "ignore", "inherit"] });
}

/** A fresh, empty database: `<base>_<name>` next to E2E_DATABASE_URL's database. */
function freshDatabase(name) {
  const base = new URL(process.env.E2E_DATABASE_URL || DEFAULT_DATABASE_URL);
  const database = `${base.pathname.slice(1)}_${name}`.replace(/[^a-z0-9_]/gi, "_").toLowerCase();
  adminSql([`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`, `CREATE DATABASE "${database}"`]);
  const url = new URL(base);
  url.pathname = `/${database}`;
  return { url: url.href, drop: () => adminSql([`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`]) };
}

/**
 * Start `python -m demo` from the repository root on free ports with a fresh database (and `env`);
 * resolves once it prints "is running: open <url>".
 */
export async function startDemo(name, options = {}) {
  // A port found free may be taken before the demo binds it (other jobs start servers too): try new ones.
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await startDemoOnce(name, options);
    } catch (error) {
      if (attempt >= 3 || !/Address already in use/.test(String(error?.message))) throw error;
    }
  }
}

async function startDemoOnce(name, { env: extra = {} } = {}) {
  const [port, emulatorPort] = [await freePort(), await freePort()];
  const database = freshDatabase(name);
  const env = {
    ...process.env,
    DEMO_PORT: String(port),
    EMULATOR_PORT: String(emulatorPort),
    DATABASE_URL: database.url,
    // Its own key: demos started side by side must not race on .demo/encryption.key.
    AMAZON_CHANNEL_ENCRYPTION_KEYS: randomBytes(32).toString("base64url") + "=",
    PYTHONUNBUFFERED: "1",
    ...extra,
  };
  const child = spawn(python(), ["-m", "demo"], { cwd: REPO_ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const dashboardUrl = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the demo did not start in time:\n${output}`)), START_TIMEOUT_MS);
    const onData = (chunk) => {
      output += chunk;
      const match = output.match(/is running: open (\S+)/);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the demo exited (${code}) before it was ready:\n${output}`));
    });
  });
  const exited = new Promise((resolve) => child.on("exit", resolve));
  // A test run that ends abruptly must not leave the demo behind.
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  const origin = new URL(dashboardUrl).origin;
  const emulatorUrl = `http://127.0.0.1:${emulatorPort}`;
  return {
    origin,
    dashboardUrl,
    emulatorUrl,
    output: () => output,
    /** POST a JSON body to the emulator's control API (/_emulator/...). */
    async emulator(action, body = {}) {
      const response = await fetch(`${emulatorUrl}/_emulator/${action}`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
      if (!response.ok) throw new Error(`emulator ${action}: HTTP ${response.status} ${await response.text()}`);
      return response.json();
    },
    /** The plugin's GraphQL API with the demo staff token: to set up data, or to look behind the UI. */
    async graphql(query, variables = {}) {
      const { token } = await (await fetch(`${origin}/demo/token`, { method: "POST", body: "{}" })).json();
      const response = await fetch(`${origin}${PLUGIN_PATH}/graphql/`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
      });
      const body = await response.json();
      if (body.errors) throw new Error(JSON.stringify(body.errors));
      return body.data;
    },
    async stop() {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
        await exited;
        clearTimeout(timer);
      }
      process.removeListener("exit", killOnExit);
      database.drop();
    },
  };
}

/** Headless Chromium from Debian (no browser download); each launch gets a new, empty profile. */
export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: CHROMIUM_ARGS,
  });
}

/** The shell page (the Dashboard stand-in) with the extension in its iframe. */
export async function openShell(context, demo, { locale = "en", theme } = {}) {
  const url = new URL(demo.dashboardUrl);
  url.searchParams.set("locale", locale);
  if (theme) url.searchParams.set("theme", theme);
  const page = await context.newPage();
  await page.goto(url.href);
  const app = page.frameLocator("#app-frame");
  return { page, app };
}

/** Let finite CSS animations and transitions end (a dialog fading in), in every frame. */
/** Waits (2 s at most) for every finite animation and transition of every frame to end. */
export async function settleAnimations(page) {
  await Promise.all(
    page.frames().map((frame) =>
      frame
        .evaluate(() =>
          Promise.race([
            Promise.all(
              document
                .getAnimations()
                .filter((animation) => animation.effect?.getComputedTiming().endTime !== Infinity)
                .map((animation) => animation.finished.catch(() => undefined)),
            ),
            new Promise((resolve) => setTimeout(resolve, 2000)),
          ]),
        )
        .catch(() => undefined),
    ),
  );
}

/**
 * `screenshots/<scenario>-<step>.png` of the page. With `full`, the shell is made as tall as the
 * extension's content for the shot (the iframe scrolls inside a fixed-height shell otherwise).
 */
export async function shot(page, name, { full = false } = {}) {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await settleAnimations(page);
  const file = path.join(SCREENSHOTS, `${name}.png`);
  const frame = full ? page.frame({ url: EXTENSION_FRAME }) : null;
  if (!frame || frame === page.mainFrame()) {
    await page.screenshot({ path: file, fullPage: full });
    return;
  }
  const viewport = page.viewportSize();
  const [content, visible] = await Promise.all([
    frame.evaluate(() => document.documentElement.scrollHeight),
    frame.evaluate(() => window.innerHeight),
  ]);
  await page.setViewportSize({ width: viewport.width, height: viewport.height + Math.max(0, content - visible) });
  try {
    await page.screenshot({ path: file });
  } finally {
    await page.setViewportSize(viewport);
  }
}

/** Marketplace IDs of the demo's North America seller. */
export const MARKETPLACES = { US: "ATVPDKIKX0DER", CA: "A2EUQ1WTGCTBG2", MX: "A1AM78C64UM0Y8" };

/** Create a store through the plugin's API (scenarios that are not about the form). */
export async function createStore(
  demo,
  { name, channel = "default-channel", marketplace = MARKETPLACES.US, productIdentifier = { type: "SKU", source: "VARIANT_SKU" } },
) {
  const { token } = await (await fetch(`${demo.origin}/demo/token`, { method: "POST", body: "{}" })).json();
  const channels = await (
    await fetch(`${demo.origin}/graphql/`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: "{ channels { id slug } }" }),
    })
  ).json();
  const channelId = channels.data.channels.find((c) => c.slug === channel).id;
  const data = await demo.graphql(
    `mutation ($input: AmazonStoreCreateInput!) {
      amazonStoreCreate(input: $input) { amazonStore { id name } errors { field code message } }
    }`,
    {
      input: {
        name,
        contactEmail: "merchant@example.com",
        channel: channelId,
        marketplace,
        productIdentifier,
      },
    },
  );
  const { amazonStore, errors } = data.amazonStoreCreate;
  if (errors.length) throw new Error(`amazonStoreCreate: ${JSON.stringify(errors)}`);
  return amazonStore;
}

/**
 * The message of an action whose title or text contains `text`: the Dashboard notification (app-bridge
 * "notification" action, shown by the shell as a toast) or, on a screen with a save bar (where the
 * extension keeps messages out of the Dashboard's toasts, which would cover the bar), the extension's
 * banner. Resolves to {status, title, text} (a banner's tone "critical" is the status "error").
 */
export async function notification(page, text, { timeout = 30_000 } = {}) {
  const start = Date.now();
  for (;;) {
    const toast = await page.evaluate(
      (wanted) => window.__shell.notifications.find((n) => `${n.title ?? ""} ${n.text ?? ""}`.includes(wanted)) ?? null,
      text,
    );
    if (toast) return toast;
    const frame = page.frame({ url: EXTENSION_FRAME });
    const banner = await frame
      ?.evaluate((wanted) => {
        const flash = [...document.querySelectorAll('[data-testid="flash"]')].find((el) => el.textContent.includes(wanted));
        return flash ? { status: flash.dataset.tone === "critical" ? "error" : flash.dataset.tone, title: flash.textContent.trim(), text: undefined } : null;
      }, text)
      .catch(() => null);
    if (banner) return banner;
    if (Date.now() - start > timeout) throw new Error(`no notification or banner saying "${text}" within ${timeout} ms`);
    await page.waitForTimeout(100);
  }
}

/** The EAN attribute as the product identifier (the demo's seeded variants carry EANs). */
export const EAN_ATTRIBUTE = { type: "EAN", source: "ATTRIBUTE", attribute: "ean" };

/**
 * A test file's demo (startDemo `name`, with `env`) and browser, with the store "Amazon Store USA"
 * added (on the US marketplace, `productIdentifier` or the variant SKU); `stopDemo` ends both.
 */
export async function startDemoWithStore(name, { env, productIdentifier } = {}) {
  const demo = await startDemo(name, { env });
  const browser = await launchBrowser();
  await createStore(demo, { name: "Amazon Store USA", marketplace: MARKETPLACES.US, productIdentifier });
  return { demo, browser };
}

export async function stopDemo({ demo, browser }) {
  await browser?.close();
  await demo?.stop();
}

/**
 * The opening of most store tests: on the home page, connect the store `name` through Amazon's
 * consent (in the tab the shell opens) and wait for its card to say Connected. Resolves to the card.
 */
export async function connectFromCard(context, app, name = "Amazon Store USA") {
  const card = storeCard(app, name);
  await card.waitFor();
  const [tab] = await Promise.all([context.waitForEvent("page"), card.getByRole("button", { name: "Connect store" }).click()]);
  await consentOnAmazon(tab, {});
  await tab.close();
  await card.and(app.locator('[data-status="CONNECTED"]')).waitFor();
  return card;
}

/** connectFromCard, then the store's page (View Store). Resolves to the card. */
export async function connectAndOpenStore(context, app, name = "Amazon Store USA") {
  const card = await connectFromCard(context, app, name);
  await card.getByRole("button", { name: "View Store" }).click();
  return card;
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** axe inside the extension's frame, once animations have settled: the serious and critical violations. */
export async function axeSerious(page) {
  await settleAnimations(page);
  const frame = page.frame({ url: EXTENSION_FRAME });
  await frame.evaluate(AXE_SOURCE);
  const violations = await frame.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ["violations"] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, targets: v.nodes.slice(0, 3).map((n) => n.target.join(" ")) }));
  });
  return violations.filter((v) => v.impact === "serious" || v.impact === "critical");
}

/** Pick an action of the store page's "More actions" menu. */
export async function moreAction(app, name) {
  await app.getByRole("button", { name: /More actions|Plus d’actions/ }).click();
  await app.getByRole("button", { name, exact: true }).click();
}

/** The card of a store on the home page, by its name (each card is an <article> named by it). */
export function storeCard(app, name) {
  return app.getByRole("article", { name, exact: true });
}

/**
 * Go through Amazon's consent in the tab the shell opened: sign in and the 2FA code when asked
 * (a second connection in the same browser is already signed in), tick "I understand", then Next
 * and Continue, then confirm the seller and the store on the plugin's page; or Cancel. Screenshots each
 * page as `<prefix>-<step>`.
 * Resolves once the tab is back on the extension's result page.
 */
export async function consentOnAmazon(tab, { seller = SELLER, action = "next", prefix }) {
  // A tab the app opened itself starts as about:blank before it loads the start route.
  await tab.waitForURL((url) => url.href !== "about:blank");
  await tab.waitForLoadState();
  await tab.locator("#email").or(tab.getByLabel(/I understand/)).first().waitFor();
  if (await tab.locator("#email").isVisible()) {
    await tab.getByLabel("Email").fill(seller.email);
    await tab.getByLabel("Password").fill(seller.password);
    if (prefix) await shot(tab, `${prefix}-signin`);
    await tab.getByRole("button", { name: "Sign in" }).click();
    await tab.getByLabel("Enter the code").fill(seller.otp);
    if (prefix) await shot(tab, `${prefix}-2fa`);
    await tab.getByRole("button", { name: "Sign in" }).click();
  }
  await tab.getByLabel(/I understand/).waitFor();
  if (action === "cancel") {
    if (prefix) await shot(tab, `${prefix}-consent`);
    await tab.getByRole("button", { name: "Cancel" }).click();
  } else {
    await tab.getByLabel(/I understand/).check();
    if (prefix) await shot(tab, `${prefix}-consent`);
    await tab.getByRole("button", { name: "Next" }).click();
    await tab.getByRole("heading", { name: "You are almost done" }).waitFor();
    if (prefix) await shot(tab, `${prefix}-almost-done`);
    await tab.getByRole("button", { name: "Continue" }).click();
    // Amazon sends the tab to the plugin's Log-in URI: the merchant confirms the seller ID Amazon named and
    // the store (the plugin's own page, a same-origin POST) before anything goes back to Amazon.
    const confirmation = tab.locator("form[data-consent-confirm]");
    await confirmation.or(tab.getByTestId("connect-result")).first().waitFor();
    if (await confirmation.isVisible()) {
      if (prefix) await shot(tab, `${prefix}-confirm`);
      await confirmation.locator("button.primary").click();
    }
  }
  await tab.waitForURL(/connectResult=/);
  await tab.getByTestId("connect-result").waitFor();
}

/**
 * Run `body` with a new browser context (its own cookies and storage) and the shell open in it.
 * On failure the shell page is saved as `screenshots/FAILED-<name>.png`, to see what the browser saw.
 */
export async function inShell(browser, demo, name, body, { locale = "en", theme, browserLocale } = {}) {
  // 1280×800 with the Dashboard's bottom-left announcement card over the frame (the shell shows it).
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: browserLocale });
  try {
    const { page, app } = await openShell(context, demo, { locale, theme });
    try {
      await body({ context, page, app });
      rmSync(path.join(SCREENSHOTS, `FAILED-${name}.png`), { force: true });
    } catch (error) {
      await shot(page, `FAILED-${name}`).catch(() => undefined);
      throw error;
    }
  } finally {
    await context.close();
  }
}

/**
 * WCAG contrast ratio of an element's text against the first opaque background behind it
 * (its ancestors'), for text whose colour carries the meaning (status badges, warnings).
 */
export function textContrast(locator) {
  return locator.evaluate((element) => {
    const rgb = (value) => value.match(/[\d.]+/g).map(Number);
    const luminance = ([r, g, b]) => {
      const channel = (c) => ((c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
      return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
    };
    let background = null;
    for (let node = element; node && !background; node = node.parentElement) {
      const colour = rgb(getComputedStyle(node).backgroundColor);
      if (colour.length < 4 || colour[3] === 1) background = colour;
    }
    const [lighter, darker] = [luminance(rgb(getComputedStyle(element).color)), luminance(background ?? [255, 255, 255])].sort((a, b) => b - a);
    return (lighter + 0.05) / (darker + 0.05);
  });
}

/**
 * Buttons of the extension that the host page covers (the Dashboard's announcement card bottom-left,
 * its toasts bottom-right): each button is scrolled to the bottom edge of the frame (where the last
 * button of a form ends up) and to the top, and the host page is asked what is at its centre.
 * Returns "label @ where" for every covered one. Works for the shell and the real Dashboard.
 */
export async function coveredButtons(page, frame, selector = "button") {
  const frameElement = await frame.frameElement();
  const covered = [];
  const count = await frame.locator(selector).count();
  for (let index = 0; index < count; index++) {
    const button = frame.locator(selector).nth(index);
    if (!(await button.isVisible())) continue;
    for (const block of ["end", "start"]) {
      const box = await button.evaluate((el, where) => {
        el.scrollIntoView({ block: where, inline: "nearest" });
        const r = el.getBoundingClientRect();
        return { x: r.left + r.width / 2, y: r.top + r.height / 2, label: (el.textContent || el.getAttribute("aria-label") || "").trim() };
      }, block);
      const origin = await frameElement.boundingBox();
      const hit = await page.evaluate(
        ([x, y, frameEl]) => {
          const top = document.elementFromPoint(x, y);
          return top === frameEl || (top && frameEl.contains(top)) ? null : (top?.closest("[data-testid],[id],[class]")?.getAttribute("data-testid") || top?.id || top?.className || top?.tagName);
        },
        [origin.x + box.x, origin.y + box.y, frameElement],
      );
      if (hit) covered.push(`${box.label} @${block} under ${hit}`);
    }
  }
  return covered;
}
