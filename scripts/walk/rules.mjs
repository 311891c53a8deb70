// The rules screens in the real Saleor Dashboard (issue 19), a step of scripts/walk-real-dashboard.mjs:
// the store's listing rules (a category from Saleor's own catalog in the condition builder, the preview
// with its counts, saved), a price rule (+15% rounded up to .99, floor at cost + 10%) in the list, then
// every rules screen in en/fr × light/dark with axe. The walk passes its helpers in `walk`.
export async function walkRules(walk) {
  const { step, page, extensionFrame, axe, shot, setDashboardPrefs, appPageUrl, storeId } = walk;
  if (!storeId) return;
  const store = `${appPageUrl}/stores/${encodeURIComponent(storeId)}`;
  let ruleId = null;

  await step("10f Listing rules: one category of Saleor's catalog, the preview, save", async () => {
    await page.goto(store);
    let frame = await extensionFrame(page);
    await frame.getByTestId("rules-section").scrollIntoViewIfNeeded();
    await page.waitForTimeout(500);
    await shot(page, "10f-rules-section");
    await frame.getByTestId("rules-listing-open").click();
    frame = await extensionFrame(page);
    await frame.getByTestId("listing-rules").waitFor();
    await frame.getByTestId("condition-add").click();
    const values = frame.getByTestId("condition-row").first().getByTestId("condition-values");
    // Saleor's categories (populatedb's), read by the extension from Saleor's API.
    await values.locator("option").first().waitFor({ state: "attached", timeout: 30_000 });
    const category = await values.locator("option").first().evaluate((option) => ({ value: option.value, name: option.textContent.trim() }));
    await values.selectOption(category.value);
    await frame.getByTestId("rules-preview").click();
    await frame.getByTestId("rules-preview-result").waitFor({ timeout: 60_000 });
    const counts = Object.fromEntries(
      await frame.getByTestId("rules-preview-count").evaluateAll((buttons) => buttons.map((b) => [b.dataset.list, Number(b.dataset.count)])),
    );
    await page.waitForTimeout(500);
    await shot(page, "10g-listing-rules-preview");
    await axe(frame, "listing rules (preview)", "en-light");
    await frame.getByTestId("savebar-save").click();
    // Saved: the draft is the saved rule (the save bar has nothing left to save).
    await frame.locator('[data-testid="savebar-save"][disabled]').waitFor({ timeout: 30_000 });
    await shot(page, "10h-listing-rules-saved");
    return { category: category.name, counts, url: page.url() };
  });

  await step("10i Price rule: +15% up to .99, floor at cost + 10%; the list", async () => {
    await page.goto(`${store}/price-rules/new`);
    const frame = await extensionFrame(page);
    await frame.getByTestId("price-rule-form").waitFor({ timeout: 30_000 });
    await frame.getByLabel("Name", { exact: true }).fill("Amazon fees (walk)");
    await frame.getByLabel("Amount", { exact: true }).fill("15");
    await frame.getByLabel("Rounding").selectOption("UP");
    await frame.getByLabel("Floor", { exact: true }).selectOption("COST_MARGIN");
    await frame.getByLabel("Margin over the cost price (%)").fill("10");
    await page.waitForTimeout(300);
    await shot(page, "10i-price-rule-form");
    await axe(frame, "price rule form", "en-light");
    await frame.getByTestId("savebar-save").click();
    const row = frame.locator('[data-testid="price-rules-table"] tbody tr[data-name="Amazon fees (walk)"]');
    await row.waitFor({ timeout: 30_000 });
    ruleId = await row.getAttribute("data-rule-id");
    await page.waitForTimeout(500);
    await shot(page, "10j-price-rules");
    await axe(frame, "price rules", "en-light");
    return { priority: await row.getAttribute("data-priority"), text: (await row.textContent()).trim() };
  });

  for (const [locale, theme] of [["en", "dark"], ["fr", "light"], ["fr", "dark"]]) {
    const combo = `${locale}-${theme}`;
    await step(`10k ${combo}: the rules screens`, async () => {
      await setDashboardPrefs(page, { locale, theme });
      const screens = [
        ["listing rules (preview)", "/listing-rules", async (f) => {
          await f.getByTestId("condition-row").first().waitFor();
          await f.getByTestId("rules-preview").click();
          await f.getByTestId("rules-preview-result").waitFor({ timeout: 60_000 });
        }],
        ["price rules", "/price-rules", async (f) => f.getByTestId("price-rules-table").waitFor()],
        ...(ruleId ? [["price rule form", `/price-rules/${encodeURIComponent(ruleId)}`, async (f) => f.getByTestId("price-rule-form").waitFor()]] : []),
      ];
      for (const [screen, sub, ready] of screens) {
        await page.goto(`${store}${sub}`);
        const frame = await extensionFrame(page);
        await ready(frame);
        await page.waitForTimeout(800);
        await shot(page, `${combo}-${screen.replace(/\W+/g, "-")}`);
        await axe(frame, screen, combo);
      }
    });
  }
  await setDashboardPrefs(page, { locale: "en", theme: "light" });
}
