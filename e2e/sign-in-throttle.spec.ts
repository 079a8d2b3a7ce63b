import { createUser, expect, test } from "./fixtures";

test("a wrong password many times gets slowed down", async ({ page }) => {
  const user = await createUser(page);
  await page.goto("/sign-in");
  // Inside main: Next's route announcer is an (empty) alert too.
  const alert = page.getByRole("main").getByRole("alert");

  let throttled = false;
  for (let attempt = 0; attempt < 12 && !throttled; attempt++) {
    await page.getByLabel("E-mail or username").fill(user.email);
    await page.getByLabel("Password").fill("not the password");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(alert).toHaveText(/Wrong e-mail, username or password\.|Too many sign-in attempts/);
    throttled = /Too many sign-in attempts/.test((await alert.textContent()) ?? "");
  }
  expect(throttled).toBe(true);
  await expect(alert).toHaveText(/Too many sign-in attempts\. Try again in \d+ seconds?\./);

  // A back-off, not a verdict on the password: even the right one waits.
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(alert).toHaveText(/Too many sign-in attempts/);
  await expect(page.getByTestId("user-menu")).toHaveCount(0);
});
