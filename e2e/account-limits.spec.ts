import type { APIResponse, Page } from "@playwright/test";
import { createUser, csrfToken, expect, randomClientIp, test } from "./fixtures";

/** The Set-Cookie headers of a response, by cookie name. */
function setCookies(response: APIResponse): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const header of response.headersArray().filter((entry) => entry.name.toLowerCase() === "set-cookie")) {
    cookies.set(header.value.slice(0, header.value.indexOf("=")), header.value);
  }
  return cookies;
}

/** `name=value` pairs for a Cookie header, from Set-Cookie headers. */
function cookieHeader(...sets: Map<string, string>[]): string {
  return sets.flatMap((set) => [...set.values()].map((value) => value.slice(0, value.indexOf(";")))).join("; ");
}

test("behind a TLS-terminating proxy every cookie is Secure", async ({ page, playwright, baseURL }) => {
  const user = await createUser(page);
  // Cookies are handed back by hand: a client keeps Secure cookies for https, and this talks plain http to the app.
  const proxy = await playwright.request.newContext({
    baseURL,
    storageState: { cookies: [], origins: [] },
    extraHTTPHeaders: { "x-forwarded-for": randomClientIp(), "x-forwarded-proto": "https" },
  });
  try {
    const home = setCookies(await proxy.get("/", { headers: { cookie: "" } }));
    const csrfResponse = await proxy.get("/api/auth/csrf", { headers: { cookie: "" } });
    const csrf = setCookies(csrfResponse);
    const { csrfToken: token } = (await csrfResponse.json()) as { csrfToken: string };
    const signIn = setCookies(
      await proxy.post("/api/auth/callback/credentials", {
        headers: { cookie: cookieHeader(csrf) },
        form: { csrfToken: token, email: user.email, password: user.password, callbackUrl: "/", json: "true" },
      }),
    );
    expect([...home.keys()]).toContain("vf-csrf");
    expect([...csrf.keys()]).toContain("__Host-next-auth.csrf-token");
    expect([...signIn.keys()]).toEqual(expect.arrayContaining(["__Secure-next-auth.session-token", "vf-device"]));
    for (const [name, value] of [...home, ...csrf, ...signIn]) expect(value, name).toMatch(/;\s*Secure/i);

    // The session works through the proxy: for next-auth, and for the app's pages, which read the Secure names.
    const session = await proxy.get("/api/auth/session", { headers: { cookie: cookieHeader(signIn) } });
    expect(((await session.json()) as { user?: { id?: string } }).user?.id).toBeTruthy();
    const settings = await proxy.get("/settings", { headers: { cookie: cookieHeader(home, signIn) }, maxRedirects: 0 });
    expect(settings.status()).toBe(200);
  } finally {
    await proxy.dispose();
  }

  // Plain http (no proxy saying otherwise): not Secure, or the browser would never send them back.
  const plain = setCookies(await page.request.get("/", { headers: { cookie: "" } }));
  expect(plain.get("vf-csrf")).not.toMatch(/;\s*Secure/i);
});

/** Asks for a reset link as the browser would, from client address `ip`. */
async function requestReset(page: Page, email: string, ip: string) {
  const response = await page.request.post("/api/trpc/account.requestPasswordReset", {
    data: { json: { email } },
    headers: { "content-type": "application/json", "x-csrf-token": await csrfToken(page), "x-forwarded-for": ip },
  });
  const text = await response.text();
  const body = JSON.parse(text) as { error?: { json: { message: string } } };
  return { status: response.status(), message: body.error?.json.message ?? "", body: text };
}

test("password-reset requests naming one address are never refused, alike whether or not it has an account", async ({
  page,
}) => {
  const user = await createUser(page);
  const unknown = `nobody-${randomClientIp()}@example.com`;
  const answers = new Set<string>();
  // Past the three mails an hour an address may get, strangers' requests must not lock its owner out.
  for (const email of [user.email, unknown]) {
    for (let i = 0; i < 5; i++) {
      const answer = await requestReset(page, email, randomClientIp());
      expect(answer.status).toBe(200);
      answers.add(answer.body);
    }
  }
  expect([...answers]).toHaveLength(1);
});

test("password-reset requests are limited per client address", async ({ page }) => {
  const ip = randomClientIp();
  for (let i = 0; i < 10; i++) {
    expect((await requestReset(page, `spray-${i}-${randomClientIp()}@example.com`, ip)).status).toBe(200);
  }
  const refused = await requestReset(page, `one-more-${randomClientIp()}@example.com`, ip);
  expect(refused.status).toBe(429);
  expect(refused.message).toMatch(/^Too many reset requests/);
  expect((await requestReset(page, `elsewhere-${randomClientIp()}@example.com`, randomClientIp())).status).toBe(200);
});

test("a malformed reset request gets a clear error", async ({ page }) => {
  const answer = await requestReset(page, "not an address", randomClientIp());
  expect(answer.status).toBe(400);
  expect(answer.message).toContain("Enter a valid e-mail address");
});
