// Issue 5, the French locale: the Dashboard in French (locale=fr, or its language switched to
// French) gives French home, form and result pages; the browser itself stays English.
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { consentOnAmazon, createStore, inShell, launchBrowser, MARKETPLACES, notification, shot, startDemo, storeCard } from "./support.mjs";

let demo;
let browser;

before(async () => {
  demo = await startDemo("french");
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await demo?.stop();
});

async function choose(select, text) {
  const value = await select.evaluate((el, wanted) => [...el.options].find((o) => o.textContent.includes(wanted))?.value, text);
  assert.ok(value, `an option with “${text}”`);
  await select.selectOption(value);
}

test("locale=fr: home, pre-configuration, form and its errors, the card, the connection result in French", () =>
  inShell(
    browser,
    demo,
    "fr",
    async ({ context, page, app }) => {
      // The shell's own chrome and the extension's page.
      await page.getByRole("heading", { name: "Canal de vente Amazon" }).waitFor();
      const empty = app.getByTestId("empty-state");
      await empty.waitFor();
      assert.equal(await app.locator("html").getAttribute("lang"), "fr");
      await app.getByRole("heading", { level: 1, name: "Canal de vente Amazon" }).waitFor();
      assert.match(await empty.textContent(), /Aucune boutique Amazon pour l’instant/);
      await shot(page, "fr-01-home-empty");

      await empty.getByRole("button", { name: "Ajouter une boutique Amazon" }).click();
      await app.getByRole("heading", { name: "Tâches de préconfiguration" }).waitFor();
      await app.getByTestId("task-plugin").getByText("Fait").waitFor();
      await shot(page, "fr-02-preconfiguration-tasks");

      await app.getByRole("button", { name: "Continuer vers l’ajout d’une boutique" }).click();
      await app.getByRole("heading", { name: "Ajouter une boutique Amazon" }).waitFor();
      for (const label of ["Canal Saleor", "E-mail de contact", "Nom de la boutique", "Pays de la place de marché Amazon", "Attribut Saleor"]) {
        await app.getByLabel(label, { exact: true }).waitFor();
      }
      const marketplace = app.getByLabel("Pays de la place de marché Amazon", { exact: true });
      await app.locator("#field-marketplace option", { hasText: "États-Unis" }).waitFor({ state: "attached" });
      assert.equal(await app.locator('#field-marketplace optgroup[label="Les plus utilisés"]').count(), 1);
      await shot(page, "fr-03-form");

      await app.getByRole("button", { name: "Ajouter la boutique" }).click();
      await app.locator("#field-name-error", { hasText: "Ce champ est obligatoire." }).waitFor();
      await app.getByLabel("Canal Saleor", { exact: true }).selectOption({ label: "Default Channel (USD)" });
      await app.getByLabel("E-mail de contact", { exact: true }).fill("pas-une-adresse");
      await app.getByRole("button", { name: "Ajouter la boutique" }).click();
      await app.locator("#field-contactEmail-error", { hasText: "Saisissez une adresse e-mail valide." }).waitFor();
      await shot(page, "fr-04-form-errors");

      await app.getByLabel("E-mail de contact", { exact: true }).fill("amazon@example.fr");
      await app.getByLabel("Nom de la boutique", { exact: true }).fill("Boutique Amazon USA");
      await choose(marketplace, "États-Unis");
      await app.getByRole("button", { name: "Ajouter la boutique" }).click();
      await notification(page, "La boutique « Boutique Amazon USA » a été ajoutée.");
      const card = storeCard(app, "Boutique Amazon USA");
      await card.waitFor();
      assert.equal((await card.getByTestId("store-status").textContent()).trim(), "Non connectée");
      assert.match(await card.getByTestId("store-marketplace").textContent(), /États-Unis/);
      await card.getByRole("button", { name: "Voir la boutique" }).waitFor();
      await shot(page, "fr-05-home-card");

      // The API's UNIQUE error, in French too.
      await app.getByRole("button", { name: "Ajouter une boutique Amazon" }).click();
      await app.getByRole("heading", { name: "Ajouter une boutique Amazon" }).waitFor();
      await app.locator("#field-channel option", { hasText: "Canada (CAD)" }).waitFor({ state: "attached" });
      await app.getByLabel("Canal Saleor", { exact: true }).selectOption({ label: "Canada (CAD)" });
      await app.getByLabel("E-mail de contact", { exact: true }).fill("amazon@example.fr");
      await app.getByLabel("Nom de la boutique", { exact: true }).fill("Boutique Amazon USA");
      await choose(marketplace, "Canada");
      await app.getByRole("button", { name: "Ajouter la boutique" }).click();
      const nameError = app.locator("#field-name-error");
      await nameError.waitFor();
      assert.equal(await nameError.textContent(), "Une autre boutique Amazon porte déjà ce nom : choisissez-en un autre.");
      await shot(page, "fr-06-form-unique-name");
      await app.getByRole("button", { name: "Annuler" }).click();

      // Connect: Amazon's pages are Amazon's (English here); the result page speaks French.
      const [tab] = await Promise.all([
        context.waitForEvent("page"),
        card.getByRole("button", { name: "Connecter la boutique" }).click(),
      ]);
      await consentOnAmazon(tab, {});
      await tab.getByRole("heading", { name: "Votre boutique est connectée à Amazon" }).waitFor();
      assert.equal(await tab.locator("html").getAttribute("lang"), "fr");
      await tab.getByRole("button", { name: "Fermer cet onglet" }).waitFor();
      await shot(tab, "fr-07-result-connected");
      await tab.close();

      await notification(page, "La boutique « Boutique Amazon USA » est connectée à Amazon Seller Central.");
      await card.and(app.locator('[data-status="CONNECTED"]')).waitFor();
      assert.equal((await card.getByTestId("store-status").textContent()).trim(), "Connectée");
      assert.match(await card.textContent(), /L’autorisation expire le\d{1,2} \S+ \d{4}/);
      await shot(page, "fr-08-home-connected");

      // The store page: the audit trail is worded in French from each event's type and data.
      await card.getByRole("button", { name: "Voir la boutique" }).click();
      const events = app.getByTestId("events");
      await events.locator('tr[data-event-type="CONNECTED"]').waitFor();
      const trail = await events.textContent();
      assert.match(trail, /Connectée au vendeur Amazon A2DEMOSELLER01 \(NA\)\./);
      assert.match(trail, /Connexion à Amazon États-Unis lancée/);
      assert.match(trail, /Boutique créée pour Amazon États-Unis\./);
      assert.doesNotMatch(trail, /Connected to|Store created|started: waiting/);
      assert.equal(await app.locator("title").evaluate(() => document.title), "Boutique Amazon USA · Canal de vente Amazon");
      await shot(page, "fr-08b-store-page", { full: true });
    },
    { locale: "fr" },
  ));

test("switching the shell's language to French translates the page in place, and back", () =>
  inShell(browser, demo, "fr-switch", async ({ page, app }) => {
    await createStore(demo, { name: "Amazon Store Mexico", marketplace: MARKETPLACES.MX });
    await page.reload();
    const card = storeCard(app, "Amazon Store Mexico");
    await card.getByRole("button", { name: "Connect store" }).waitFor();
    await app.getByRole("heading", { level: 1, name: "Amazon Sales Channel" }).waitFor();

    await page.getByLabel("Language").selectOption("fr");
    await app.getByRole("heading", { level: 1, name: "Canal de vente Amazon" }).waitFor();
    await card.getByRole("button", { name: "Connecter la boutique" }).waitFor();
    assert.equal((await card.getByTestId("store-status").textContent()).trim(), "Non connectée");
    assert.match(await card.getByTestId("store-marketplace").textContent(), /Mexique/);
    // Like Dashboard 3.23 (useAppDashboardUpdates): the locale once after the handshake, then each change.
    assert.deepEqual(await page.evaluate(() => window.__shell.posted.filter((e) => e.type === "localeChanged").map((e) => e.payload.locale)), ["en", "fr"]);
    await page.getByRole("heading", { name: "Canal de vente Amazon" }).waitFor();
    await shot(page, "fr-09-home-switched");

    await page.getByLabel("Langue").selectOption("en");
    await card.getByRole("button", { name: "Connect store" }).waitFor();
    assert.equal(await app.locator("html").getAttribute("lang"), "en");
  }));
