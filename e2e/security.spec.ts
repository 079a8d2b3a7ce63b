import { createUser, expect, newUserDetails, randomClientIp, signInAs, test, trpcMutation } from "./fixtures";

test("every page carries the security headers", async ({ request }) => {
  for (const path of ["/", "/sign-in", "/sign-up"]) {
    const response = await request.get(path);
    const headers = response.headers();
    expect(headers["content-security-policy"], path).toContain("frame-ancestors 'none'");
    expect(headers["content-security-policy"], path).toMatch(
      /script-src 'self' 'nonce-[A-Za-z0-9_-]+' 'strict-dynamic'/,
    );
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

test("the mailbox grants nothing by network address: anonymous visitors read nothing, users their own mail", async ({
  page,
  browser,
}) => {
  const list =
    "/api/trpc/mailbox.list?input=" + encodeURIComponent(JSON.stringify({ json: { page: 1, pageSize: 100 } }));
  // From the machine's own address (what every visitor looks like behind a reverse proxy on the same host).
  for (const address of ["127.0.0.1", "::1"]) {
    await page.setExtraHTTPHeaders({ "x-forwarded-for": address });
    await page.goto("/mailbox");
    await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Fmailbox/);
    expect((await page.request.get(list)).status(), address).toBe(401);
  }

  await page.setExtraHTTPHeaders({ "x-forwarded-for": randomClientIp() });
  const user = await createUser(page);
  const other = await browser.newContext({ extraHTTPHeaders: { "x-forwarded-for": randomClientIp() } });
  try {
    const otherPage = await other.newPage();
    const otherUser = await createUser(otherPage);
    await signInAs(page.context(), user);
    const mine = (await (await page.request.get(list)).json()) as {
      result: { data: { json: { items: { toAddress: string }[] } } };
    };
    const addresses = mine.result.data.json.items.map((item) => item.toAddress);
    expect(addresses).toContain(user.email);
    expect(addresses.every((address) => address === user.email)).toBe(true);
    expect(addresses).not.toContain(otherUser.email);
  } finally {
    await other.close();
  }
});

test("the sign-in page never sends anyone off the site afterwards", async ({ page }) => {
  await signInAs(page.context(), await createUser(page));
  // Signed in already, the page redirects straight to the callback: only to a path of this site.
  for (const callback of ["/%09/evil.example", "//evil.example", "https://evil.example/"]) {
    const response = await page.request.get(
      `/sign-in?callbackUrl=${encodeURIComponent(decodeURIComponent(callback))}`,
      { maxRedirects: 0 },
    );
    expect(response.status(), callback).toBe(307);
    expect(response.headers().location, callback).toBe("/");
  }
  const fine = await page.request.get(`/sign-in?callbackUrl=${encodeURIComponent("/settings")}`, { maxRedirects: 0 });
  expect(fine.headers().location).toBe("/settings");
});

test("the benchmark-only Monaco page does not exist on a server started without VAPORFORM_BENCH_PAGES", async ({
  request,
}) => {
  const response = await request.get("/bench/monaco");
  expect(response.status()).toBe(404);
  expect(await response.text()).not.toContain("bench-monaco");
});
