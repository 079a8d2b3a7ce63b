import { expect, newUserDetails, test } from "./fixtures";

test("sign up, verify through the mailbox, sign in, edit profile and preferences, sign out", async ({ page }) => {
  const user = newUserDetails();

  await page.goto("/sign-up");
  await page.getByLabel("Full name").fill(user.fullName);
  await page.getByLabel("E-mail").fill(user.email);
  await page.getByLabel("Username").fill(user.username);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Create account" }).click();

  await expect(page.getByRole("heading", { name: "Check your inbox" })).toBeVisible();
  await expect(page.getByText(user.email)).toBeVisible();
  await page.getByRole("link", { name: "development mailbox" }).click();

  const message = page.getByRole("article").filter({ hasText: user.email }).first();
  await expect(message).toBeVisible();
  await message.getByRole("link", { name: /verify-email\?token=/ }).click();
  await page.getByRole("button", { name: "Confirm my e-mail address" }).click();
  await expect(page.getByText("Your e-mail address is confirmed.")).toBeVisible();

  const header = page.getByRole("navigation", { name: "Account" });
  await page.getByTestId("user-menu").click();
  await page.getByRole("menuitem", { name: "Sign out" }).click();
  await expect(header.getByRole("link", { name: "Sign in" })).toBeVisible();

  await header.getByRole("link", { name: "Sign in" }).click();
  await page.getByLabel("E-mail or username").fill(user.username);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByTestId("user-menu")).toBeVisible();

  await page.goto("/settings");
  const profile = page.getByRole("form", { name: "Profile" });
  await profile.getByLabel("Full name").fill("Ada Lovelace");
  await profile.getByLabel("Bio").fill("Writes the first programs.");
  await profile.getByRole("button", { name: "Save profile" }).click();
  await expect(profile.getByText("Profile saved.")).toBeVisible();

  const preferences = page.getByRole("form", { name: "Preferences" });
  await preferences.getByLabel("Theme").selectOption("dark");
  await preferences.getByLabel("Editor font size").fill("16");
  await preferences.getByRole("button", { name: "Save preferences" }).click();
  await expect(preferences.getByText("Preferences saved.")).toBeVisible();
  await expect(page.locator("html")).toHaveClass(/dark/);

  await page.reload();
  await expect(page.getByRole("form", { name: "Profile" }).getByLabel("Full name")).toHaveValue("Ada Lovelace");
  await expect(page.getByRole("form", { name: "Profile" }).getByLabel("Bio")).toHaveValue("Writes the first programs.");
  await expect(page.getByRole("form", { name: "Preferences" }).getByLabel("Editor font size")).toHaveValue("16");
  await expect(page.locator("html")).toHaveClass(/dark/);
  await page.screenshot({ path: "e2e/screenshots/settings-dark.png", fullPage: true });

  await page.getByTestId("user-menu").click();
  await page.getByRole("menuitem", { name: "Sign out" }).click();
  await expect(header.getByRole("link", { name: "Sign in" })).toBeVisible();
  await page.goto("/settings");
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Fsettings/);
});
