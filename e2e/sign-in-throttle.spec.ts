import type { APIRequestContext } from "@playwright/test";
import { createUser, expect, randomClientIp, test } from "./fixtures";

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

/** One sign-in over next-auth's credentials endpoint: the signed-in user id, or the error the form would show. */
async function trySignIn(request: APIRequestContext, user: { email: string; password: string }): Promise<string> {
  const { csrfToken } = (await (await request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const response = await request.post("/api/auth/callback/credentials", {
    form: { csrfToken, email: user.email, password: user.password, callbackUrl: "/", json: "true" },
  });
  const { url } = (await response.json()) as { url: string };
  const error = new URL(url).searchParams.get("error");
  if (error) return error;
  const session = (await (await request.get("/api/auth/session")).json()) as { user?: { id?: string } };
  return session.user?.id ? "signed in" : "no session";
}

test("a browser that signed in before is not slowed by an attacker's failures; a new browser is", async ({
  browser,
  page,
}) => {
  const user = await createUser(page);
  const owner = await browser.newContext({ extraHTTPHeaders: { "x-forwarded-for": randomClientIp() } });
  const attacker = await browser.newContext({ extraHTTPHeaders: { "x-forwarded-for": randomClientIp() } });
  const stranger = await browser.newContext({ extraHTTPHeaders: { "x-forwarded-for": randomClientIp() } });
  try {
    // The owner signs in once: the browser gets a signed device token (httpOnly), then signs out.
    expect(await trySignIn(owner.request, user)).toBe("signed in");
    const device = (await owner.cookies()).find((cookie) => cookie.name === "vf-device");
    expect(device?.httpOnly).toBe(true);
    await owner.clearCookies({ name: /next-auth/ });

    // The attacker guesses on, through the back-off, until each try must wait 8 seconds or more; then even the
    // right password is refused to the attacker.
    let wait = 0;
    for (let tries = 0; tries < 20 && wait < 8; tries++) {
      const answer = await trySignIn(attacker.request, { email: user.email, password: `guess ${tries}` });
      wait = Number(/Try again in (\d+) seconds?\./.exec(answer)?.[1] ?? 0);
      if (wait > 0 && wait < 8) await page.waitForTimeout(wait * 1000 + 300);
    }
    expect(wait).toBeGreaterThanOrEqual(8);
    expect(await trySignIn(attacker.request, user)).toMatch(/^Too many sign-in attempts/);
    // A browser that never signed in keeps the back-off; the owner's browser signs in at once.
    expect(await trySignIn(stranger.request, user)).toMatch(/^Too many sign-in attempts/);
    expect(await trySignIn(owner.request, user)).toBe("signed in");

    // A forged token is worth nothing.
    await stranger.addCookies([{ ...device!, value: device!.value.replace(/.$/, (c) => (c === "A" ? "B" : "A")) }]);
    expect(await trySignIn(stranger.request, user)).toMatch(/^Too many sign-in attempts/);
  } finally {
    await Promise.all([owner.close(), attacker.close(), stranger.close()]);
  }
});
