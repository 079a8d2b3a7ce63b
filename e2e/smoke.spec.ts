import { expect, test } from "@playwright/test";

test.describe("home page", () => {
  test("renders the number of public templates, prefetched on the server", async ({ page, request }) => {
    // The count is in the server-rendered HTML itself: prefetched on the server, not fetched by the browser.
    const html = await (await request.get("/")).text();
    expect(html).toMatch(/data-testid="public-template-count"[^>]*>\d+</);

    await page.goto("/");
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    const count = page.getByTestId("public-template-count");
    await expect(count).toHaveText(/^\d+$/);
    expect(Number(await count.textContent())).toBeGreaterThanOrEqual(8);
    await page.screenshot({ path: "e2e/screenshots/home-light.png", fullPage: true });
  });

  test("switches to the dark theme and remembers it", async ({ page }) => {
    await page.goto("/");
    await page.getByRole("button", { name: "Switch to dark theme" }).click();
    await expect(page.locator("html")).toHaveClass(/dark/);
    await page.reload();
    await expect(page.locator("html")).toHaveClass(/dark/);
    await expect(page.getByRole("button", { name: "Switch to light theme" })).toBeVisible();
    await page.screenshot({ path: "e2e/screenshots/home-dark.png", fullPage: true });
  });

  test("loads nothing from outside this machine", async ({ page }) => {
    const external: string[] = [];
    page.on("request", (request) => {
      const url = new URL(request.url());
      if (!["localhost", "127.0.0.1"].includes(url.hostname) && url.protocol !== "data:") external.push(request.url());
    });
    await page.goto("/");
    await expect(page.getByTestId("public-template-count")).toHaveText(/^\d+$/);
    expect(external).toEqual([]);
  });
});
