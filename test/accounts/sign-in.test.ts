import { describe, expect, it } from "vitest";
import { AppError } from "~/server/errors";
import { authenticate, WRONG_CREDENTIALS } from "~/server/auth/authenticate";
import { ACCOUNT_FREE_FAILURES, backoffSeconds, IP_FREE_FAILURES, MAX_BACKOFF_SECONDS } from "~/server/auth/rate-limit";
import { loadSessionUser } from "~/server/auth/session-user";
import { db, freshIp, makeUser, PASSWORD, pool, tag } from "./support";

async function appError(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("expected an AppError, but the call succeeded");
}

async function addFailures(options: { accountKey: string | null; ip: string; count: number; ago?: string }) {
  await pool.query(
    `INSERT INTO auth_attempts (kind, account_key, ip_address, succeeded, created_at)
     SELECT 'signin', $1, $2, false, now() - $4::interval FROM generate_series(1, $3)`,
    [options.accountKey, options.ip, options.count, options.ago ?? "0 seconds"],
  );
}

describe("back-off policy", () => {
  it("waits 2^(failures - free) seconds once the free failures are spent, capped at 15 minutes", () => {
    expect(backoffSeconds(ACCOUNT_FREE_FAILURES - 1, ACCOUNT_FREE_FAILURES)).toBe(0);
    expect(backoffSeconds(ACCOUNT_FREE_FAILURES, ACCOUNT_FREE_FAILURES)).toBe(1);
    expect(backoffSeconds(ACCOUNT_FREE_FAILURES + 3, ACCOUNT_FREE_FAILURES)).toBe(8);
    expect(backoffSeconds(ACCOUNT_FREE_FAILURES + 40, ACCOUNT_FREE_FAILURES)).toBe(MAX_BACKOFF_SECONDS);
    expect(MAX_BACKOFF_SECONDS).toBe(900);
  });
});

describe("authenticate", () => {
  it("signs in by e-mail (any case) or username (NFKC), records the attempt and sets last_login_at", async () => {
    const user = await makeUser();
    const ip = freshIp();
    const byEmail = await authenticate({ db, identifier: user.email.toUpperCase(), password: PASSWORD, ip });
    expect(byEmail).toMatchObject({ id: user.id, role: "user", sessionVersion: 0 });
    const fullWidth = user.username.replace(/[a-z]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));
    await expect(authenticate({ db, identifier: ` ${fullWidth} `, password: PASSWORD, ip })).resolves.toMatchObject({
      id: user.id,
    });

    const { rows } = await pool.query<{ last_login_at: Date | null }>("SELECT last_login_at FROM users WHERE id = $1", [
      user.id,
    ]);
    expect(rows[0]?.last_login_at).toBeInstanceOf(Date);
    const { rows: attempts } = await pool.query<{ account_key: string; succeeded: boolean }>(
      "SELECT account_key::text, succeeded FROM auth_attempts WHERE ip_address = $1",
      [ip],
    );
    expect(attempts).toEqual([
      { account_key: user.email, succeeded: true },
      { account_key: user.email, succeeded: true },
    ]);
  });

  it("answers a wrong password and an unknown account identically", async () => {
    const user = await makeUser();
    const wrong = await appError(
      authenticate({ db, identifier: user.email, password: "not the password", ip: freshIp() }),
    );
    const unknown = await appError(
      authenticate({ db, identifier: `nobody-${tag()}@example.com`, password: "not the password", ip: freshIp() }),
    );
    const unknownName = await appError(
      authenticate({ db, identifier: `nobody-${tag()}`, password: PASSWORD, ip: freshIp() }),
    );
    for (const error of [wrong, unknown, unknownName]) {
      expect(error.code).toBe("UNAUTHORIZED");
      expect(error.message).toBe(WRONG_CREDENTIALS);
      expect(error.data).toBeUndefined();
    }
  });

  it("tells a deactivated account so only when its password is right", async () => {
    const user = await makeUser({ isActive: false });
    const wrong = await appError(
      authenticate({ db, identifier: user.username, password: "nope nope nope", ip: freshIp() }),
    );
    expect(wrong.code).toBe("UNAUTHORIZED");
    const right = await appError(authenticate({ db, identifier: user.username, password: PASSWORD, ip: freshIp() }));
    expect(right.code).toBe("FORBIDDEN");
    expect(right.message).toBe("This account is deactivated. Contact an administrator.");
  });

  it("lets an account with an unverified e-mail sign in", async () => {
    const user = await makeUser({ emailVerified: false });
    await expect(
      authenticate({ db, identifier: user.email, password: PASSWORD, ip: freshIp() }),
    ).resolves.toMatchObject({ id: user.id });
  });

  it("backs off exponentially after repeated failures on an account, never for good", async () => {
    const user = await makeUser();
    // Real failures, from different addresses: the account limit follows the account.
    for (let i = 0; i < ACCOUNT_FREE_FAILURES; i++) {
      const error = await appError(authenticate({ db, identifier: user.email, password: `wrong ${i}`, ip: freshIp() }));
      expect(error.code).toBe("UNAUTHORIZED");
    }
    // Three more recent failures: eight failures in the window, so wait 2^3 = 8 s after the latest.
    await addFailures({ accountKey: user.email, ip: freshIp(), count: 3 });

    const limited = await appError(authenticate({ db, identifier: user.username, password: PASSWORD, ip: freshIp() }));
    expect(limited.code).toBe("TOO_MANY_REQUESTS");
    const retryAfter = limited.data?.retryAfterSeconds as number;
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(8);
    expect(limited.message).toBe(
      `Too many sign-in attempts. Try again in ${retryAfter} second${retryAfter === 1 ? "" : "s"}.`,
    );
    // The refused try was not recorded (it would lengthen the wait) and cost no password check.
    const { rows } = await pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM auth_attempts WHERE account_key = $1",
      [user.email],
    );
    expect(rows[0]?.n).toBe(ACCOUNT_FREE_FAILURES + 3);

    // Many more failures cap the wait at 15 minutes.
    await addFailures({ accountKey: user.email, ip: freshIp(), count: 30 });
    const capped = await appError(authenticate({ db, identifier: user.email, password: PASSWORD, ip: freshIp() }));
    expect(capped.data?.retryAfterSeconds).toBeGreaterThan(800);
    expect(capped.data?.retryAfterSeconds).toBeLessThanOrEqual(MAX_BACKOFF_SECONDS);

    // Fifteen minutes and a bit later the window is empty: the owner signs in.
    await pool.query(
      "UPDATE auth_attempts SET created_at = created_at - interval '16 minutes' WHERE account_key = $1",
      [user.email],
    );
    await expect(
      authenticate({ db, identifier: user.email, password: PASSWORD, ip: freshIp() }),
    ).resolves.toMatchObject({ id: user.id });
  });

  it("waits only the back-off after the latest failure, not the whole window", async () => {
    const user = await makeUser();
    // Six failures, the latest 3 s ago: the wait (2 s) is over.
    await addFailures({ accountKey: user.email, ip: freshIp(), count: ACCOUNT_FREE_FAILURES + 1, ago: "3 seconds" });
    await expect(
      authenticate({ db, identifier: user.email, password: PASSWORD, ip: freshIp() }),
    ).resolves.toMatchObject({ id: user.id });
    // That success reset the count: one new failure does not trigger a wait.
    await appError(authenticate({ db, identifier: user.email, password: "wrong", ip: freshIp() }));
    await expect(
      authenticate({ db, identifier: user.email, password: PASSWORD, ip: freshIp() }),
    ).resolves.toMatchObject({ id: user.id });
  });

  it("limits unknown accounts exactly like known ones", async () => {
    const identifier = `ghost-${tag()}@example.com`;
    await addFailures({ accountKey: identifier, ip: freshIp(), count: ACCOUNT_FREE_FAILURES + 3 });
    const error = await appError(authenticate({ db, identifier, password: PASSWORD, ip: freshIp() }));
    expect(error.code).toBe("TOO_MANY_REQUESTS");
  });

  it(`limits one address after ${IP_FREE_FAILURES} failures across accounts, without touching other addresses`, async () => {
    const user = await makeUser();
    const ip = freshIp();
    await addFailures({ accountKey: `someone-${tag()}@example.com`, ip, count: IP_FREE_FAILURES - 1 });
    // One more real failure reaches the threshold.
    await appError(authenticate({ db, identifier: `another-${tag()}`, password: "guess guess", ip }));
    const limited = await appError(authenticate({ db, identifier: user.email, password: PASSWORD, ip }));
    expect(limited.code).toBe("TOO_MANY_REQUESTS");
    // The owner from their own address is not affected.
    await expect(
      authenticate({ db, identifier: user.email, password: PASSWORD, ip: freshIp() }),
    ).resolves.toMatchObject({ id: user.id });
    // And the address recovers once its failures age out.
    await pool.query("UPDATE auth_attempts SET created_at = created_at - interval '16 minutes' WHERE ip_address = $1", [
      ip,
    ]);
    await expect(authenticate({ db, identifier: user.email, password: PASSWORD, ip })).resolves.toMatchObject({
      id: user.id,
    });
  });

  it("lets only the free failures through when a burst of parallel guesses arrives", async () => {
    const user = await makeUser();
    const results = await Promise.allSettled(
      Array.from({ length: ACCOUNT_FREE_FAILURES + 4 }, (_, i) =>
        authenticate({ db, identifier: user.email, password: `burst ${i}`, ip: freshIp() }),
      ),
    );
    const codes = results.map((result) => (result.status === "rejected" ? (result.reason as AppError).code : "OK"));
    // startSignIn counts and records under a per-account advisory lock, so the free failures are handed out one at
    // a time: once they are spent the next guess must wait 1 second from the latest failure, and a burst's guesses
    // all start within that second, so exactly the free ones get through.
    expect(codes.filter((code) => code === "UNAUTHORIZED").length).toBe(ACCOUNT_FREE_FAILURES);
    expect(codes.filter((code) => code === "TOO_MANY_REQUESTS").length).toBe(4);
  });
});

describe("loadSessionUser", () => {
  it("loads an active user with the same session version, with default preferences", async () => {
    const user = await makeUser({ fullName: "Ada Lovelace" });
    const loaded = await loadSessionUser({ db, userId: user.id, sessionVersion: 0 });
    expect(loaded).toMatchObject({
      id: user.id,
      role: "user",
      email: user.email,
      username: user.username,
      fullName: "Ada Lovelace",
      avatarUrl: null,
    });
    expect(loaded?.preferences).toEqual({
      theme: "system",
      editorFontSize: 14,
      tabSize: 2,
      wordWrap: false,
      autosave: "off",
      autosaveDelayMs: 1000,
      assistantApply: "auto",
    });
  });

  it("answers null for another session version, a deactivated user, an unknown id or a non-uuid", async () => {
    const user = await makeUser();
    expect(await loadSessionUser({ db, userId: user.id, sessionVersion: 1 })).toBeNull();
    expect(await loadSessionUser({ db, userId: "00000000-0000-4000-8000-000000000000", sessionVersion: 0 })).toBeNull();
    expect(await loadSessionUser({ db, userId: "not-a-uuid", sessionVersion: 0 })).toBeNull();
    await pool.query("UPDATE users SET is_active = false WHERE id = $1", [user.id]);
    expect(await loadSessionUser({ db, userId: user.id, sessionVersion: 0 })).toBeNull();
  });

  it("reads stored preferences leniently: a bad value takes its default, the others stay", async () => {
    const user = await makeUser();
    await pool.query(`UPDATE users SET preferences = '{"theme":"neon","tabSize":4,"wordWrap":true}' WHERE id = $1`, [
      user.id,
    ]);
    const loaded = await loadSessionUser({ db, userId: user.id, sessionVersion: 0 });
    expect(loaded?.preferences).toMatchObject({ theme: "system", tabSize: 4, wordWrap: true });
  });
});
