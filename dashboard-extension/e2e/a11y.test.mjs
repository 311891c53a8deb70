// Issue 12, "Feels like Saleor": WCAG 2.2 AA. axe-core runs inside the extension's frame on every
// screen, in English and French, light and dark; any serious or critical violation fails the test.
// Then the keyboard: a visible focus ring, focus back on the opener when a dialog closes, focus on
// the heading and a new frame title on every screen change.
// The counts per screen are written to screenshots/axe-report.json (and printed).
import assert from "node:assert/strict";
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { after, before, test } from "node:test";
import {
  consentOnAmazon,
  createStore,
  inShell,
  launchBrowser,
  MARKETPLACES,
  NON_PARTICIPANT,
  SCREENSHOTS,
  settleAnimations,
  shot,
  startDemo,
  storeCard,
} from "./support.mjs";

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const COMBOS = [
  { locale: "en", theme: "light" },
  { locale: "en", theme: "dark" },
  { locale: "fr", theme: "light" },
  { locale: "fr", theme: "dark" },
];
const WORDS = {
  en: { connect: "Connect store", view: "View Store", delete: "Delete", add: "Add Amazon Store", save: "Add store", more: "More actions", tasks: "Pre-configuration tasks" },
  fr: { connect: "Connecter la boutique", view: "Voir la boutique", delete: "Supprimer", add: "Ajouter une boutique Amazon", save: "Ajouter la boutique", more: "Plus d’actions", tasks: "Tâches de préconfiguration" },
};

let demo;
let browser;
const report = {};

before(async () => {
  demo = await startDemo("a11y");
  browser = await launchBrowser();
});

after(async () => {
  mkdirSync(SCREENSHOTS, { recursive: true });
  writeFileSync(path.join(SCREENSHOTS, "axe-report.json"), JSON.stringify(report, null, 2));
  await browser?.close();
  await demo?.stop();
});

/** The extension's frame (the shell's iframe), once its app has rendered. */
async function appFrame(page) {
  await page.frameLocator("#app-frame").getByTestId("app-content").waitFor();
  return page.frames().find((frame) => frame !== page.mainFrame() && /\/app/.test(frame.url()));
}

/**
 * axe on the extension's document (its frame in the shell, or `target`: the consent tab's result
 * page, the widget's frame); returns the serious + critical violations (all impacts are reported).
 */
async function audit(page, screen, combo, target = null) {
  const frame = target ?? (await appFrame(page));
  // A dialog or banner still fading in has blended colours: axe would measure a contrast nobody reads.
  await settleAnimations(page);
  await frame.evaluate(AXE_SOURCE);
  const violations = await frame.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const result = await axe.run(document, { resultTypes: ["violations"] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      nodes: v.nodes.length,
      targets: v.nodes.slice(0, 3).map((n) => `${n.target.join(" ")} :: ${n.failureSummary?.split("\n")[1] ?? ""}`),
    }));
  });
  const key = `${combo.locale}-${combo.theme}`;
  const counted = (impact) => violations.filter((v) => v.impact === impact).reduce((sum, v) => sum + v.nodes, 0);
  report[screen] ??= {};
  report[screen][key] = {
    critical: counted("critical"),
    serious: counted("serious"),
    moderate: counted("moderate"),
    minor: counted("minor"),
    rules: violations.map((v) => `${v.id} (${v.impact}, ${v.nodes})`),
  };
  await shot(page, `${combo.locale}-a11y-${combo.theme}-${screen}`);
  return violations.filter((v) => v.impact === "serious" || v.impact === "critical");
}

function assertClean(failures, screen, combo) {
  assert.deepEqual(failures, [], `${screen} (${combo.locale}, ${combo.theme}): ${JSON.stringify(failures, null, 1)}`);
}

test("every screen: 0 serious or critical axe violations, in English and French, light and dark", async () => {
  // The empty home page first, before any store exists.
  for (const combo of COMBOS) {
    await inShell(browser, demo, `a11y-empty-${combo.locale}-${combo.theme}`, async ({ page, app }) => {
      await app.getByTestId("empty-state").waitFor();
      assertClean(await audit(page, "home-empty", combo), "home-empty", combo);
    }, combo);
  }

  // The audit itself can fail: a grey-on-white paragraph and an unnamed role="input" are caught.
  await inShell(browser, demo, "a11y-self-test", async ({ page, app }) => {
    await app.getByTestId("empty-state").waitFor();
    const frame = await appFrame(page);
    await frame.evaluate(() => {
      const bad = document.createElement("p");
      bad.textContent = "low contrast";
      bad.style.cssText = "color:#b0b0b0;background:#ffffff";
      const input = document.createElement("div");
      input.setAttribute("role", "input");
      document.querySelector("[data-testid=app-content]").append(bad, input);
    });
    const caught = (await audit(page, "self-test", { locale: "en", theme: "light" })).map((v) => v.id).sort();
    delete report["self-test"];
    assert.ok(caught.includes("color-contrast") && caught.includes("aria-roles"), JSON.stringify(caught));
  });

  // Stores in the states a merchant meets: connected, failed (seller not on the marketplace), never connected.
  await createStore(demo, { name: "Amazon Store USA", marketplace: MARKETPLACES.US });
  await createStore(demo, { name: "Amazon Store Canada", channel: "channel-ca", marketplace: MARKETPLACES.CA });
  await createStore(demo, { name: "Amazon Store Mexico", marketplace: MARKETPLACES.MX });
  // Each consent in its own browser context: Amazon's sign-in is remembered per browser.
  const connect = (name, seller) =>
    inShell(browser, demo, `a11y-connect-${name}`, async ({ context, app }) => {
      const card = storeCard(app, name);
      await card.waitFor();
      const [tab] = await Promise.all([context.waitForEvent("page"), card.getByRole("button", { name: "Connect store" }).click()]);
      await consentOnAmazon(tab, seller ? { seller } : {});
      // The return page in the consent tab is a screen of the extension too.
      const screen = seller ? "result-error" : "result-connected";
      assertClean(await audit(tab, screen, { locale: "en", theme: "light" }, tab.mainFrame()), screen, { locale: "en", theme: "light" });
      await tab.close();
      if (seller) await card.getByTestId("store-last-failure").waitFor();
      else await card.and(app.locator('[data-status="CONNECTED"]')).waitFor();
    });
  await connect("Amazon Store USA");
  await connect("Amazon Store Canada", NON_PARTICIPANT);
  const stores = (await demo.graphql("{ amazonStores(first: 10) { edges { node { id name } } } }")).amazonStores.edges.map((e) => e.node);
  const idOf = (name) => stores.find((s) => s.name === name).id;
  // A price rule to list and edit (the rules screens, issue 19).
  const rule = await demo.graphql(
    `mutation ($id: ID!) { amazonPriceRuleCreate(storeId: $id, input: { name: "Amazon fees", action: INCREASE, amountType: PERCENTAGE, amount: "15",
      rounding: UP, floorType: COST_MARGIN, floorAmount: "10" }) { priceRule { id } errors { message } } }`,
    { id: idOf("Amazon Store USA") },
  );
  const ruleId = rule.amazonPriceRuleCreate.priceRule.id;

  for (const combo of COMBOS) {
    const words = WORDS[combo.locale];
    await inShell(browser, demo, `a11y-${combo.locale}-${combo.theme}`, async ({ page, app }) => {
      const failures = [];
      const check = async (screen) => failures.push(...(await audit(page, screen, combo)).map((v) => ({ screen, ...v })));

      await storeCard(app, "Amazon Store USA").waitFor();
      await check("home-stores");

      await app.getByRole("link", { name: words.tasks }).first().click();
      await app.getByTestId("setup-checklist").waitFor();
      await check("setup");

      await app.getByRole("button", { name: words.add }).first().click();
      await app.getByTestId("store-form").waitFor();
      await check("add-store");
      await app.getByRole("button", { name: words.save }).click();
      await app.getByTestId("field-error").first().waitFor();
      await check("add-store-errors");
      await page.evaluate(() => undefined);

      for (const [screen, name] of [
        ["store-connected", "Amazon Store USA"],
        ["store-failed", "Amazon Store Canada"],
        ["store-never-connected", "Amazon Store Mexico"],
      ]) {
        const frame = await appFrame(page);
        await frame.evaluate((hash) => (window.location.hash = hash), `#/stores/${encodeURIComponent(idOf(name))}`);
        await app.getByRole("heading", { level: 1, name }).waitFor();
        await app.getByTestId("events").waitFor();
        await check(screen);
      }

      await app.getByRole("button", { name: words.more }).click();
      await check("store-more-actions");
      await page.keyboard.press("Escape");

      await app.getByTestId("savebar-delete").click();
      await app.getByRole("alertdialog").waitFor();
      await check("delete-dialog");
      await page.keyboard.press("Escape");

      // The rules screens: the condition builder with a nested group and the preview, the price rules, a rule's form.
      const usa = `#/stores/${encodeURIComponent(idOf("Amazon Store USA"))}`;
      const frame = await appFrame(page);
      await frame.evaluate((hash) => (window.location.hash = hash), `${usa}/listing-rules`);
      await app.getByTestId("listing-rules").waitFor();
      await app.getByTestId("condition-add").click();
      await app.getByTestId("condition-add-group").click();
      await app.getByTestId("rules-preview").click();
      await app.getByTestId("field-error").first().waitFor();
      await check("listing-rules-builder");
      await app.getByTestId("condition-group-remove").click();
      await app.getByTestId("condition-remove").click();
      await app.getByTestId("rules-preview").click();
      await app.getByTestId("rules-preview-result").waitFor();
      await check("listing-rules-preview");
      await frame.evaluate((hash) => (window.location.hash = hash), `${usa}/price-rules`);
      await app.getByTestId("price-rules-table").waitFor();
      await check("price-rules");
      await frame.evaluate((hash) => (window.location.hash = hash), `${usa}/price-rules/${encodeURIComponent(ruleId)}`);
      await app.getByTestId("price-rule-form").waitFor();
      await check("price-rule-form");
      // The order settings screen (the store page's Amazon orders section is audited with the page).
      await frame.evaluate((hash) => (window.location.hash = hash), `${usa}/order-settings`);
      await app.getByTestId("order-settings").waitFor();
      await check("order-settings");

      assert.deepEqual(failures, [], `${combo.locale} ${combo.theme}: ${JSON.stringify(failures, null, 1)}`);
    }, combo);
  }
  // The Dashboard home page's widget (the app's ?view=widget), with a store needing attention.
  for (const combo of COMBOS) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    try {
      const page = await context.newPage();
      const url = new URL(demo.dashboardUrl);
      url.searchParams.set("locale", combo.locale);
      url.searchParams.set("theme", combo.theme);
      url.searchParams.set("app", "/plugins/global/saleor_amazon_channel/app/?view=widget");
      await page.goto(url.href);
      await page.frameLocator("#app-frame").getByTestId("widget-summary").waitFor();
      const widget = page.frames().find((frame) => frame !== page.mainFrame() && /view=widget/.test(frame.url()));
      assertClean(await audit(page, "widget", combo, widget), "widget", combo);
    } finally {
      await context.close();
    }
  }

  for (const [screen, counts] of Object.entries(report)) {
    console.log(`axe ${screen}: ${Object.entries(counts).map(([k, c]) => `${k} ${c.serious + c.critical} serious+critical (${c.moderate} moderate, ${c.minor} minor)`).join("; ")}`);
  }
});

/** WCAG contrast between two CSS colours (rgb/rgba strings), opaque. */
function contrast(a, b) {
  const rgb = (value) => value.match(/[\d.]+/g).map(Number).slice(0, 3);
  const luminance = ([r, g, b]) => {
    const channel = (c) => ((c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  };
  const [x, y] = [luminance(rgb(a)), luminance(rgb(b))].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

test("keyboard: a visible focus ring, focus back on the opener, focus and title on every screen", () =>
  inShell(browser, demo, "a11y-keyboard", async ({ page, app }) => {
    const frame = await appFrame(page);
    await storeCard(app, "Amazon Store Mexico").waitFor();
    assert.equal(await frame.evaluate(() => document.title), "Amazon Sales Channel");

    // A secondary button focused from the keyboard: a 2px outline at 3:1 or more against the page.
    const view = storeCard(app, "Amazon Store Mexico").getByRole("button", { name: "View Store" });
    await view.focus();
    await page.keyboard.press("Shift+Tab");
    await page.keyboard.press("Tab");
    const ring = await view.evaluate((element) => {
      const style = getComputedStyle(element);
      let background = "rgb(255, 255, 255)";
      for (let node = element.parentElement; node; node = node.parentElement) {
        const colour = getComputedStyle(node).backgroundColor;
        if (!/rgba\(.*, 0\)|transparent/.test(colour)) {
          background = colour;
          break;
        }
      }
      return { width: parseFloat(style.outlineWidth), style: style.outlineStyle, colour: style.outlineColor, background };
    });
    assert.ok(ring.width >= 2 && ring.style === "solid", JSON.stringify(ring));
    assert.ok(contrast(ring.colour, ring.background) >= 3, `focus ring ${JSON.stringify(ring)}: ${contrast(ring.colour, ring.background)}`);

    // Delete's dialog closed with Escape gives the focus back to the Delete button that opened it.
    const del = storeCard(app, "Amazon Store Mexico").getByRole("button", { name: "Delete" });
    await del.focus();
    await page.keyboard.press("Enter");
    await app.getByRole("alertdialog").waitFor();
    await page.keyboard.press("Escape");
    await app.getByRole("alertdialog").waitFor({ state: "detached" });
    await page.waitForFunction(() => true);
    assert.equal(await del.evaluate((element) => element === document.activeElement), true, "focus returned to Delete");

    // Its close control and Back do the same.
    await del.click();
    await app.getByTestId("dialog-close").click();
    await app.getByRole("alertdialog").waitFor({ state: "detached" });
    assert.equal(await del.evaluate((element) => element === document.activeElement), true, "focus returned after ✕");

    // A screen change moves the focus to the new heading and renames the frame.
    await view.click();
    const heading = app.getByRole("heading", { level: 1, name: "Amazon Store Mexico" });
    await heading.waitFor();
    await page.waitForFunction(
      () => document.querySelector("#app-frame").contentDocument.activeElement?.matches("[data-page-heading]"),
    );
    assert.equal(await frame.evaluate(() => document.title), "Amazon Store Mexico · Amazon Sales Channel");

    // The store page: no Check connection or Disconnect on a store never connected.
    await app.getByRole("button", { name: "More actions" }).click();
    assert.equal(await app.locator('[data-action="check"]').count(), 0);
    assert.equal(await app.locator('[data-action="disconnect"]').count(), 0);
    await page.keyboard.press("Escape");
    await shot(page, "en-a11y-keyboard-store-page");
  }));
