import { createUser, expect, newUserDetails, signInAs, test, trpcMutation } from "./fixtures";

test("every page carries the security headers", async ({ request }) => {
  for (const path of ["/", "/sign-in", "/sign-up"]) {
    const response = await request.get(path);
    const headers = response.headers();
    expect(headers["content-security-policy"], path).toContain("frame-ancestors 'none'");
    expect(headers["content-security-policy"], path).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9_-]+' 'strict-dynamic'/);
    expect(headers["referrer-policy"], path).toBe("strict-origin-when-cross-origin");
    expect(headers["x-content-type-options"], path).toBe("nosniff");
    expect(headers["x-frame-options"], path).toBe("DENY");
  }
});

test("a mutation with a missing or forged CSRF token is refused and writes nothing", async ({ page }) => {
  const user = newUserDetails();
  await page.goto("/");
  const missing = await page.request.post("/api/trpc/account.register", {
    data: { json: user },
    headers: { "content-type": "application/json" },
  });
  expect(missing.status()).toBe(403);
  expect(await missing.text()).toContain("Missing or invalid CSRF token");
  const forged = await page.request.post("/api/trpc/account.register", {
    data: { json: user },
    headers: { "content-type": "application/json", "x-csrf-token": "forged-forged-forged-forged-forged" },
  });
  expect(forged.status()).toBe(403);

  // Nothing was written: the same e-mail and username are still free.
  const real = await trpcMutation(page, "account.register", user);
  expect(real.status(), await real.text()).toBe(200);
});

test("the development mailbox shows a visitor from elsewhere nothing without signing in", async ({ page }) => {
  await page.goto("/mailbox");
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Fmailbox/);
  const response = await page.request.get("/api/trpc/mailbox.list?input=" + encodeURIComponent(JSON.stringify({ json: { page: 1 } })));
  expect(response.status()).toBe(401);
});

test("the sign-in page never sends anyone off the site afterwards", async ({ page }) => {
  await signInAs(page.context(), await createUser(page));
  // Signed in already, the page redirects straight to the callback: only to a path of this site.
  for (const callback of ["/%09/evil.example", "//evil.example", "https://evil.example/"]) {
    const response = await page.request.get(`/sign-in?callbackUrl=${encodeURIComponent(decodeURIComponent(callback))}`, { maxRedirects: 0 });
    expect(response.status(), callback).toBe(307);
    expect(response.headers().location, callback).toBe("/");
  }
  const fine = await page.request.get(`/sign-in?callbackUrl=${encodeURIComponent("/settings")}`, { maxRedirects: 0 });
  expect(fine.headers().location).toBe("/settings");
});
