import { createUser, expect, test } from "./fixtures";

test("a wrong password many times gets slowed down", async ({ page }) => {
  const user = await createUser(page);
  await page.goto("/sign-in");
  // Inside main: Next's route announcer is an (empty) alert too.
  const alert = page.getByRole("main").getByRole("alert");

  async function attempt(password: string): Promise<string> {
    await page.getByLabel("E-mail or username").fill(user.email);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await expect(alert).toHaveText(/Wrong e-mail, username or password\.|Too many sign-in attempts/);
    return (await alert.textContent()) ?? "";
  }

  // The first failures are answered at once; after five, each try must wait, and the wait doubles.
  const waits: number[] = [];
  for (let tries = 0; tries < 20 && (waits.at(-1) ?? 0) < 8; tries++) {
    const answer = await attempt("not the password");
    const wait = /Try again in (\d+) seconds?\./.exec(answer);
    if (!wait) continue;
    waits.push(Number(wait[1]));
    if (Number(wait[1]) < 8) await page.waitForTimeout(Number(wait[1]) * 1000 + 300);
  }
  expect(waits.length).toBeGreaterThan(0);
  expect(waits.at(-1)).toBeGreaterThanOrEqual(8);
  expect([...waits].sort((a, b) => a - b)).toEqual(waits);

  // A back-off, not a verdict on the password: during the wait even the right one is refused.
  expect(await attempt(user.password)).toMatch(/Too many sign-in attempts/);
  await expect(page.getByTestId("user-menu")).toHaveCount(0);
});
