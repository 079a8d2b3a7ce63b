import { describe, expect, it } from "vitest";
import { SIGNUP_LIMIT } from "~/server/auth/rate-limit";
import { decryptSecret } from "~/server/crypto";
import { callerFor, countRows, freshIp, pool, sessionOf, tag, tokenFromMail, trpcError } from "./support";

function newAccount(overrides: Partial<{ email: string; username: string; fullName: string; password: string }> = {}) {
  const t = tag();
  return {
    email: `new-${t}@example.com`,
    username: `new-${t}`,
    fullName: `New ${t}`,
    password: "a fine long passphrase",
    ...overrides,
  };
}

describe("sign-up and e-mail verification", () => {
  it("registers, mails a verification link that works once, and stores an argon2id hash", async () => {
    const api = await callerFor(null);
    const input = newAccount();
    const created = await api.account.register(input);
    expect(created).toMatchObject({ email: input.email, username: input.username });

    const { rows } = await pool.query<{ password_hash: string; email_verified: boolean }>(
      "SELECT password_hash, email_verified FROM users WHERE id = $1",
      [created.id],
    );
    expect(rows[0]?.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(rows[0]?.email_verified).toBe(false);

    const token = await tokenFromMail(input.email, "verify_email");
    const { rows: mails } = await pool.query<{ text_body: string; user_id: string }>(
      "SELECT text_body, user_id FROM mail_outbox WHERE to_address = $1",
      [input.email],
    );
    expect(mails).toHaveLength(1);
    expect(mails[0]?.user_id).toBe(created.id);
    expect(decryptSecret(mails[0]?.text_body ?? "")).toContain(`http://localhost:3000/verify-email?token=${token}`);
    // Only the hash of the token is stored.
    expect(await countRows("SELECT 1 FROM auth_tokens WHERE token_hash = $1", [token])).toBe(0);

    expect(await api.account.verifyEmail({ token })).toEqual({ verified: true });
    const { rows: after } = await pool.query<{ email_verified: boolean; email_verified_at: Date | null }>(
      "SELECT email_verified, email_verified_at FROM users WHERE id = $1",
      [created.id],
    );
    expect(after[0]?.email_verified).toBe(true);
    expect(after[0]?.email_verified_at).toBeInstanceOf(Date);

    const again = await trpcError(api.account.verifyEmail({ token }));
    expect(again.code).toBe("BAD_REQUEST");
    expect(again.message).toMatch(/invalid, used or expired/);
  });

  it("refuses an expired verification link", async () => {
    const api = await callerFor(null);
    const input = newAccount();
    const created = await api.account.register(input);
    const token = await tokenFromMail(input.email, "verify_email");
    await pool.query("UPDATE auth_tokens SET expires_at = now() - interval '1 second' WHERE user_id = $1", [
      created.id,
    ]);
    expect((await trpcError(api.account.verifyEmail({ token }))).code).toBe("BAD_REQUEST");
    expect(await countRows("SELECT 1 FROM users WHERE id = $1 AND email_verified", [created.id])).toBe(0);
  });

  it("refuses a malformed token before looking it up", async () => {
    const api = await callerFor(null);
    const error = await trpcError(api.account.verifyEmail({ token: "' OR 1=1 --" }));
    expect(error.code).toBe("BAD_REQUEST");
  });

  it("applies the password rules: 8 to 128 characters, not a common password", async () => {
    const api = await callerFor(null);
    const cases: [string, string][] = [
      ["short", "Use 8 to 128 characters."],
      ["x".repeat(129), "Use 8 to 128 characters."],
      ["Password123", "This password is too common; choose another."],
      ["QWERTYUIOP", "This password is too common; choose another."],
    ];
    for (const [password, message] of cases) {
      const input = newAccount({ password });
      const error = await trpcError(api.account.register(input));
      expect(error.code).toBe("BAD_REQUEST");
      expect(error.message).toContain(message);
      expect(await countRows("SELECT 1 FROM users WHERE email = $1", [input.email])).toBe(0);
    }
    // 128 characters is still fine.
    await expect(api.account.register(newAccount({ password: "y".repeat(128) }))).resolves.toBeTruthy();
  });

  it("refuses an e-mail address that exists in another letter case, and a taken username", async () => {
    const api = await callerFor(null);
    const first = newAccount();
    await api.account.register(first);

    const sameEmail = await trpcError(api.account.register(newAccount({ email: first.email.toUpperCase() })));
    expect(sameEmail.code).toBe("CONFLICT");
    expect(sameEmail.message).toMatch(/already exists/);

    const sameName = await trpcError(api.account.register(newAccount({ username: first.username.toUpperCase() })));
    expect(sameName.code).toBe("CONFLICT");
    expect(sameName.message).toMatch(/username is taken/);

    expect(await countRows("SELECT 1 FROM users WHERE email = $1", [first.email])).toBe(1);
  });

  it("refuses look-alike, reserved and malformed usernames, and normalises full-width ones", async () => {
    const api = await callerFor(null);
    const refused: [string, RegExp][] = [
      ["аdmin", /letters a–z/], // Cyrillic "а"
      ["ａｄｍｉｎ", /reserved/], // full-width: NFKC makes it "admin"
      ["Admin", /reserved/],
      ["settings", /reserved/],
      ["root", /reserved/],
      ["ab", /3 to 30/],
      ["a".repeat(31), /3 to 30/],
      ["-dash", /Start with a letter or a digit/],
      ["bad name", /letters a–z/],
      ["zero\u200bwidth", /letters a–z/],
    ];
    for (const [username, message] of refused) {
      const input = newAccount({ username });
      const error = await trpcError(api.account.register(input));
      expect(error.code, username).toBe("BAD_REQUEST");
      expect(error.message, username).toMatch(message);
      expect(await countRows("SELECT 1 FROM users WHERE email = $1", [input.email])).toBe(0);
    }

    const t = tag();
    const created = await api.account.register(newAccount({ username: `ｗｉｄｅ${t}`.toUpperCase() }));
    expect(created.username).toBe(`wide${t}`);
  });

  it("refuses malformed or over-long e-mails and names, writing nothing", async () => {
    const api = await callerFor(null);
    const bad = [
      newAccount({ email: "not-an-email" }),
      newAccount({ email: `${"a".repeat(65)}@example.com` }),
      newAccount({ email: `a@${"b".repeat(250)}.com` }),
      newAccount({ email: "a@b" }),
      newAccount({ email: "<script>@example.com" }),
      newAccount({ fullName: "" }),
      newAccount({ fullName: "   " }),
      newAccount({ fullName: "n".repeat(101) }),
      newAccount({ fullName: "Evil\u202eName" }),
      newAccount({ fullName: "Bell\u0007" }),
    ];
    for (const input of bad) {
      expect((await trpcError(api.account.register(input))).code).toBe("BAD_REQUEST");
      expect(await countRows("SELECT 1 FROM users WHERE username = $1", [input.username])).toBe(0);
    }
    expect(await countRows("SELECT 1 FROM mail_outbox WHERE to_address LIKE 'not-an-email%'")).toBe(0);
  });

  it(`limits sign-ups to ${SIGNUP_LIMIT} an hour per address, counting refused ones, and lifts the limit after the hour`, async () => {
    const ip = freshIp();
    const api = await callerFor(null, ip);
    const first = newAccount();
    await api.account.register(first);
    // A refused duplicate counts too: probing for addresses through sign-up is bounded as well.
    await trpcError(api.account.register(newAccount({ email: first.email })));
    for (let i = 2; i < SIGNUP_LIMIT; i++) {
      await pool.query("INSERT INTO auth_attempts (kind, ip_address, succeeded) VALUES ('signup', $1, true)", [ip]);
    }
    const input = newAccount();
    const error = await trpcError(api.account.register(input));
    expect(error.code).toBe("TOO_MANY_REQUESTS");
    const retry = (error.cause as { data?: { retryAfterSeconds?: number } }).data?.retryAfterSeconds ?? 0;
    expect(retry).toBeGreaterThan(3000);
    expect(retry).toBeLessThanOrEqual(3600);
    expect(await countRows("SELECT 1 FROM users WHERE email = $1", [input.email])).toBe(0);

    // Another address is not affected.
    await expect((await callerFor(null)).account.register(newAccount())).resolves.toBeTruthy();

    await pool.query("UPDATE auth_attempts SET created_at = created_at - interval '61 minutes' WHERE ip_address = $1", [
      ip,
    ]);
    await expect(api.account.register(input)).resolves.toBeTruthy();
  });

  it("resends a verification link at most once a minute, and only the latest link works", async () => {
    const anonymous = await callerFor(null);
    const input = newAccount();
    const created = await anonymous.account.register(input);
    const firstToken = await tokenFromMail(input.email, "verify_email");

    const api = await callerFor(await sessionOf(created.id));
    expect((await trpcError(api.account.resendVerification())).code).toBe("TOO_MANY_REQUESTS");

    await pool.query("UPDATE auth_tokens SET created_at = now() - interval '2 minutes' WHERE user_id = $1", [
      created.id,
    ]);
    expect(await api.account.resendVerification()).toEqual({ sent: true, alreadyVerified: false });
    const secondToken = await tokenFromMail(input.email, "verify_email");
    expect(secondToken).not.toBe(firstToken);
    expect((await trpcError(anonymous.account.verifyEmail({ token: firstToken }))).code).toBe("BAD_REQUEST");
    await anonymous.account.verifyEmail({ token: secondToken });
    expect(await api.account.resendVerification()).toEqual({ sent: false, alreadyVerified: true });
  });
});
