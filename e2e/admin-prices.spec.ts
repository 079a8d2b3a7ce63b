import type { Browser, Page } from "@playwright/test";
import {
  ADMIN,
  createProject,
  createUser,
  expect,
  openFreshProject,
  randomClientIp,
  signInAs,
  test,
  trpcMutation,
} from "./fixtures";

/** The fake Messages API playwright.config.ts starts beside the app (test/support/fake-anthropic.ts). */
const FAKE_ANTHROPIC = `http://127.0.0.1:${Number(process.env.E2E_FAKE_ANTHROPIC_PORT ?? Number(process.env.E2E_PORT ?? 3100) + 1)}`;
/** Offered by the e2e app without a price, new each run (playwright.config.ts). */
const MODEL = process.env.E2E_UNPRICED_MODEL!;
const today = () => new Date().toISOString().slice(0, 10);

async function adminPage(browser: Browser, colorScheme: "light" | "dark" = "light"): Promise<Page> {
  const context = await browser.newContext({ colorScheme, extraHTTPHeaders: { "x-forwarded-for": randomClientIp() } });
  await signInAs(context, ADMIN);
  return context.newPage();
}

test("an admin prices a model that was used unpriced, re-prices the range after a dry run, and the audit log shows it", async ({
  browser,
  page,
}) => {
  expect(MODEL).toMatch(/^claude-e2e-/);
  // A user's turn with the unpriced model: 1M input and 100k output tokens, recorded with no cost.
  const user = await createUser(page);
  await signInAs(page.context(), user);
  const projectId = await createProject(page, "Unpriced turn");
  const scripted = await page.request.post(`${FAKE_ANTHROPIC}/__script?model=${encodeURIComponent(MODEL)}`, {
    data: [{ blocks: [{ type: "text", text: "Done." }], usage: { input_tokens: 1_000_000, output_tokens: 100_000 } }],
  });
  expect(scripted.ok()).toBe(true);
  const sent = await trpcMutation(page, "assistant.send", { projectId, message: "Say done", model: MODEL });
  expect(sent.status(), await sent.text()).toBe(200);

  // The usage dashboard flags the unpriced turn and leads to the prices page.
  const admin = await adminPage(browser);
  const toPrices = admin.getByRole("link", { name: "Add a price, then re-price the range" });
  await expect(async () => {
    await admin.goto("/admin/usage");
    await expect(admin.getByRole("status").filter({ hasText: MODEL })).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
  await toPrices.click();
  await expect(admin).toHaveURL(/\/admin\/prices$/);
  await expect(admin.getByRole("heading", { name: "Prices", exact: true })).toBeVisible();
  const unpriced = admin.getByTestId("unpriced-model").filter({ hasText: MODEL });
  await expect(unpriced).toContainText("1 unpriced turn");

  // The call to action opens the form for that model; a negative rate is refused on the page.
  await unpriced.getByRole("button", { name: `Add a price for ${MODEL}` }).click();
  const dialog = admin.getByRole("dialog", { name: `Add a price for ${MODEL}` });
  await expect(dialog.getByLabel("Effective from (UTC)")).toHaveValue(today());
  await expect(dialog.getByLabel("Effective from (UTC)")).toBeFocused();
  const rates = {
    Input: "3",
    Output: "15",
    "Cache write, 5 min": "3.75",
    "Cache write, 1 h": "6",
    "Cache read": "0.3",
  };
  for (const [label, value] of Object.entries(rates)) await dialog.getByLabel(label, { exact: true }).fill(value);
  await dialog.getByLabel("Input", { exact: true }).fill("-1");
  await dialog.getByRole("button", { name: "Add price" }).click();
  await expect(dialog.getByText("A price cannot be negative.")).toBeVisible();
  await expect(dialog.getByLabel("Input", { exact: true })).toBeFocused();
  await dialog.getByLabel("Input", { exact: true }).fill("3");
  await dialog.getByLabel("Note (optional)").fill("e2e list price");
  await dialog.getByRole("button", { name: "Add price" }).click();
  await expect(dialog).toBeHidden();
  await expect(admin.getByTestId("prices-success")).toHaveText(`Added a price for ${MODEL} from ${today()}.`);
  const card = admin.locator(`[data-testid="model-prices"][data-model="${MODEL}"]`);
  const current = card.locator('[data-testid="price-row"][data-state="current"]');
  await expect(current).toHaveCount(1);
  await expect(current).toContainText(today());
  await expect(current).toContainText("$3.00");
  await expect(current).toContainText("$0.30");
  await expect(current).toContainText("e2e list price");
  // Adding a price does not change recorded costs: the turn is still unpriced until re-priced.
  await expect(unpriced).toContainText("1 unpriced turn");

  await unpriced.getByRole("button", { name: `Re-price ${MODEL}` }).click();
  const reprice = admin.getByRole("dialog", { name: "Re-price a date range" });
  await expect(reprice.getByLabel("Model")).toHaveValue(MODEL);
  await expect(reprice.getByLabel("To (UTC)")).toHaveValue(today());
  await reprice.getByRole("button", { name: "Preview totals" }).click();
  const totals = reprice.getByTestId("reprice-totals");
  await expect(totals.getByRole("row", { name: /^Cost/ })).toHaveText(/Cost\s*\$0\.00\s*\$4\.50\s*\+\$4\.50/);
  await expect(totals.getByRole("row", { name: /^Unpriced turns/ })).toHaveText(/Unpriced turns\s*1\s*0\s*−1/);
  await expect(totals.getByRole("row", { name: /^Priced turns/ })).toHaveText(/Priced turns\s*0\s*1\s*\+1/);
  await expect(reprice.getByRole("heading", { name: /^Preview:/ })).toBeFocused();

  // The dry run wrote nothing: no audit entry yet for this model's re-pricing.
  const entries = admin.getByTestId("audit-entry").filter({ hasText: `Re-priced ${MODEL}` });
  await expect(entries).toHaveCount(0);
  await reprice.getByRole("button", { name: "Re-price 1 turn" }).click();
  await expect(reprice).toBeHidden();
  await expect(admin.getByTestId("prices-success")).toContainText(
    `Re-priced ${MODEL}, ${new Date(Date.now() - 29 * 86_400_000).toISOString().slice(0, 10)} to ${today()}: 1 turn changed, cost $0.00 → $4.50`,
  );
  await expect(entries).toHaveCount(1);
  await expect(entries.first()).toContainText("Cost $0.00 → $4.50; unpriced turns 1 → 0.");
  await expect(entries.first()).toContainText("@admin");
  await expect(unpriced).toHaveCount(0);
  await expect(admin.getByTestId("audit-entry").filter({ hasText: `Added a price for ${MODEL}` })).toHaveCount(1);

  await admin.context().close();
});

test("a price at or before a model's latest is refused with the server's message, and nothing changes", async ({
  browser,
}) => {
  const admin = await adminPage(browser);
  await admin.goto("/admin/prices");
  const card = admin.locator('[data-testid="model-prices"][data-model="claude-sonnet-5-5"]');
  const rows = card.getByTestId("price-row");
  const before = await rows.count();
  expect(before).toBeGreaterThan(0);
  const audit = admin.getByTestId("audit-entry").filter({ hasText: "claude-sonnet-5-5" });
  const auditCount = await audit.count();

  await card.getByRole("button", { name: "Add a price for claude-sonnet-5-5" }).click();
  const dialog = admin.getByRole("dialog", { name: "Add a price for claude-sonnet-5-5" });
  // The form starts from the model's latest rates.
  await expect(dialog.getByLabel("Input", { exact: true })).toHaveValue("2");
  await dialog.getByLabel("Effective from (UTC)").fill("2025-01-01");
  await dialog.getByRole("button", { name: "Add price" }).click();
  const field = dialog.getByLabel("Effective from (UTC)");
  await expect(field).toHaveAttribute("aria-invalid", "true");
  await expect(dialog).toContainText(/claude-sonnet-5-5 has a price from .*; a new price must start after it/);
  await expect(field).toBeFocused();
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();

  await admin.reload();
  await expect(rows).toHaveCount(before);
  await expect(audit).toHaveCount(auditCount);
  await admin.context().close();
});

test("the admin menu leads to the prices page", async ({ browser }) => {
  const admin = await adminPage(browser);
  await admin.goto("/admin/usage");
  await admin.getByTestId("user-menu").click();
  await admin.getByRole("menuitem", { name: "Admin: prices" }).click();
  await expect(admin).toHaveURL(/\/admin\/prices$/);
  await expect(admin.getByRole("heading", { name: "Prices", exact: true })).toBeVisible();
  await admin.context().close();
});

test("a project's owner sets, sees and removes its monthly AI budget from the IDE", async ({ page }) => {
  const { projectId } = await openFreshProject(page, "Budgeted");
  await page.goto(`/projects/${projectId}`);
  await page.getByRole("button", { name: "AI budget" }).click();
  const dialog = page.getByRole("dialog", { name: "AI budget for Budgeted" });
  await expect(dialog.getByTestId("project-budget-status")).toContainText("No project budget. Spent in");
  await expect(dialog.getByTestId("project-budget-status")).toContainText("$0.00");
  const amount = dialog.getByLabel("Monthly budget, USD");
  await expect(amount).toBeFocused();
  await amount.fill("-3");
  await dialog.getByRole("button", { name: "Save budget" }).click();
  await expect(dialog.getByText("A budget cannot be negative.")).toBeVisible();
  await amount.fill("12.5");
  await dialog.getByRole("button", { name: "Save budget" }).click();
  await expect(dialog.getByText("Budget set to $12.50 a month.")).toBeVisible();
  await expect(dialog.getByTestId("project-budget-status")).toContainText("$0.00 of $12.50");
  await expect(dialog.getByRole("progressbar")).toHaveAttribute("aria-valuenow", "0");
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();

  await page.goto("/usage");
  await expect(page.getByRole("progressbar", { name: "Project Budgeted" })).toBeVisible();
  await page.goto(`/projects/${projectId}`);
  await page.getByRole("button", { name: "AI budget" }).click();
  await expect(dialog.getByLabel("Monthly budget, USD")).toHaveValue("12.5");
  await dialog.getByRole("button", { name: "Remove budget" }).click();
  await expect(dialog.getByText("Budget removed.")).toBeVisible();
  await expect(dialog.getByTestId("project-budget-status")).toContainText("No project budget.");
});

test("screenshots of the prices page and the re-price preview, in light and dark", async ({ browser }) => {
  // The theme follows the system until the user picks one; each context starts in its scheme.
  for (const scheme of ["light", "dark"] as const) {
    const admin = await adminPage(browser, scheme);
    await admin.goto("/admin/prices");
    await expect(admin.locator("html")).toHaveClass(scheme === "dark" ? /dark/ : /^(?!.*dark)/);
    await expect(admin.locator('[data-testid="model-prices"][data-model="claude-sonnet-5-5"]')).toBeVisible();
    await admin.screenshot({ path: `e2e/screenshots/admin-prices-${scheme}.png`, fullPage: true });
    await admin.getByRole("button", { name: "Re-price a date range" }).click();
    const reprice = admin.getByRole("dialog", { name: "Re-price a date range" });
    await expect(reprice.getByLabel("Model")).toBeFocused();
    await reprice.getByRole("button", { name: "Preview totals" }).click();
    await expect(reprice.getByTestId("reprice-totals")).toBeVisible();
    await admin.screenshot({ path: `e2e/screenshots/reprice-dialog-${scheme}.png` });
    await admin.context().close();
  }
});
