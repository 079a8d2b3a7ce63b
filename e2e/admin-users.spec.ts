import { ADMIN, createUser, expect, randomClientIp, signInAs, test } from "./fixtures";

test("an admin deactivates a user whose open session then stops working", async ({ browser }) => {
  const userContext = await browser.newContext({ extraHTTPHeaders: { "x-forwarded-for": randomClientIp() } });
  const userPage = await userContext.newPage();
  const user = await createUser(userPage);
  await signInAs(userContext, user);
  await userPage.goto("/settings");
  await expect(userPage.getByRole("heading", { name: "Settings" })).toBeVisible();

  const adminContext = await browser.newContext({ extraHTTPHeaders: { "x-forwarded-for": randomClientIp() } });
  const adminPage = await adminContext.newPage();
  await signInAs(adminContext, ADMIN);
  await adminPage.goto("/admin/users");
  await adminPage.getByRole("searchbox", { name: "Search users" }).fill(user.username);
  const row = adminPage.getByRole("row").filter({ hasText: user.email });
  await expect(row).toHaveCount(1);
  await expect(row.getByText("Active", { exact: true })).toBeVisible();
  await adminPage.screenshot({ path: "e2e/screenshots/admin-users.png", fullPage: true });
  await row.getByRole("button", { name: "Deactivate" }).click();
  await adminPage.getByRole("alertdialog").getByRole("button", { name: "Deactivate" }).click();
  await expect(row.getByText("Inactive", { exact: true })).toBeVisible();

  // The session the user already had open ends at once: pages send them to sign in, the API refuses them.
  await userPage.reload();
  await expect(userPage).toHaveURL(/\/sign-in/);
  const me = await userPage.request.get("/api/trpc/account.me");
  expect(me.status()).toBe(401);
  await userContext.close();
  await adminContext.close();
});
