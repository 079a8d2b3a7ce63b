import fs from "node:fs";
import { ADMIN, createUser, expect, randomClientIp, signInAs, test } from "./fixtures";

/** The demo data (60 days of seeded interactions) gives the dashboard something to show. */
test("an admin reads /admin/usage, changes the range and grouping, and downloads the CSV", async ({ browser }) => {
  const context = await browser.newContext({ extraHTTPHeaders: { "x-forwarded-for": randomClientIp() } });
  const page = await context.newPage();
  await signInAs(context, ADMIN);
  await page.goto("/admin/usage");
  await expect(page.getByRole("heading", { name: "Usage", exact: true })).toBeVisible();
  const headline = page.getByTestId("usage-headline");
  await expect(headline.getByText("Cost", { exact: true })).toBeVisible();
  await expect(headline).toContainText("$");
  const turns = headline.locator("div", { hasText: "Turns" }).locator("dd").first();
  await expect(turns).not.toHaveText("0");
  await expect(page.getByRole("img", { name: /Cost by model, per day/ })).toBeVisible();
  await expect(page.getByRole("table", { name: "Top users" })).toBeAttached();

  // The theme follows the system until the user picks one: emulate each, reloading so the page starts in it.
  await page.emulateMedia({ colorScheme: "light" });
  await page.screenshot({ path: "e2e/screenshots/admin-usage-light.png", fullPage: true });
  await page.emulateMedia({ colorScheme: "dark" });
  await page.reload();
  await expect(page.locator("html")).toHaveClass(/dark/);
  await expect(page.getByRole("img", { name: /Cost by model, per day/ })).toBeVisible();
  await page.screenshot({ path: "e2e/screenshots/admin-usage-dark.png", fullPage: true });
  await page.emulateMedia({ colorScheme: "light" });
  await page.reload();

  const before = await page.getByTestId("usage-range").textContent();
  await page.getByRole("button", { name: "7 days" }).click();
  await expect(page.getByTestId("usage-range")).not.toHaveText(before ?? "");
  await page.getByRole("radio", { name: "By week" }).click();
  await expect(page.getByRole("radio", { name: "By week" })).toHaveAttribute("aria-checked", "true");
  await expect(page.getByRole("img", { name: /Cost by model, per week/ })).toBeVisible();

  // An impossible range is refused on the page, before any request.
  await page.getByLabel("From").fill("2020-01-01");
  await page.getByRole("button", { name: "Show", exact: true }).click();
  await expect(page.getByText("Choose a range of at most 400 days.")).toBeVisible();
  await page.getByRole("button", { name: "30 days" }).click();

  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "CSV" }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/^usage-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}\.csv$/);
  const csv = fs.readFileSync((await download.path())!, "utf8");
  const lines = csv.trim().split("\r\n");
  expect(lines[0]).toBe(
    "day,user_id,username,project_id,project_name,model,interaction_type,turns,failures,input_tokens,output_tokens,cache_read_tokens,cache_write_5m_tokens,cache_write_1h_tokens,cost_usd,unpriced_turns,unpriced_tokens",
  );
  expect(lines.length).toBeGreaterThan(1);

  // Over plain HTTP: a range over 400 days is a 400.
  const tooLong = await page.request.get("/api/admin/usage/export?from=2020-01-01&to=2026-01-01");
  expect(tooLong.status()).toBe(400);
  await context.close();
});

test("a user sees their own usage at /usage; /admin/usage and the export refuse them", async ({ browser }) => {
  const context = await browser.newContext({ extraHTTPHeaders: { "x-forwarded-for": randomClientIp() } });
  const page = await context.newPage();
  const user = await createUser(page);
  await signInAs(context, user);
  await page.goto("/usage");
  await expect(page.getByRole("heading", { name: "My usage" })).toBeVisible();
  await expect(page.getByRole("heading", { name: /^Budget for / })).toBeVisible();
  await expect(page.getByRole("progressbar", { name: "You, all projects" })).toBeVisible();
  await expect(page.getByText("No assistant turns yet.")).toBeVisible();
  await page.getByTestId("user-menu").click();
  await expect(page.getByRole("menuitem", { name: "My usage" })).toBeVisible();
  await expect(page.getByRole("menuitem", { name: "Admin: usage" })).toHaveCount(0);
  await page.keyboard.press("Escape");

  const admin = await page.goto("/admin/usage");
  expect(admin?.status()).toBe(404);
  const csv = await page.request.get("/api/admin/usage/export?from=2026-01-01&to=2026-01-31");
  expect(csv.status()).toBe(403);
  const anonymous = await browser.newContext({ extraHTTPHeaders: { "x-forwarded-for": randomClientIp() } });
  const nobody = await anonymous.request.get("/api/admin/usage/export?from=2026-01-01&to=2026-01-31");
  expect(nobody.status()).toBe(401);
  await anonymous.close();
  await context.close();
});

test("the demo user's /usage shows their projects, in light and dark", async ({ browser }) => {
  const context = await browser.newContext({ extraHTTPHeaders: { "x-forwarded-for": randomClientIp() } });
  const page = await context.newPage();
  await signInAs(context, ADMIN);
  await page.goto("/usage");
  await expect(page.getByRole("heading", { name: "My usage" })).toBeVisible();
  await page.emulateMedia({ colorScheme: "light" });
  await page.screenshot({ path: "e2e/screenshots/usage-light.png", fullPage: true });
  await page.emulateMedia({ colorScheme: "dark" });
  await page.reload();
  await expect(page.locator("html")).toHaveClass(/dark/);
  await expect(page.getByRole("heading", { name: "My usage" })).toBeVisible();
  await page.screenshot({ path: "e2e/screenshots/usage-dark.png", fullPage: true });
  await context.close();
});
