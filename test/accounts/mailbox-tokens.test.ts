import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { settleAfterResponse } from "~/server/after-response";
import { authenticate } from "~/server/auth/authenticate";
import { RESET_ACCOUNT_LIMIT, RESET_ADDRESS_LIMIT } from "~/server/auth/rate-limit";
import { isEncrypted } from "~/server/crypto";
import { defaultMigrationsDir, migrateDatabase, readMigrations } from "~/server/db/migrator";
import { createEmptyDatabase, queryOnce } from "../support/scratch-database";
import {
  callerFor,
  countRows,
  db,
  freshIp,
  makeUser,
  PASSWORD,
  pool,
  sessionOf,
  tag,
  tokenFromMail,
  trpcError,
} from "./support";

function newAccount() {
  const t = tag();
  return {
    email: `box-${t}@example.com`,
    username: `box-${t}`,
    fullName: `Box ${t}`,
    password: "a fine long passphrase",
  };
}

async function userIdOf(email: string): Promise<string> {
  const { rows } = await pool.query<{ id: string }>("SELECT id FROM users WHERE email = $1", [email]);
  return rows[0]!.id;
}

/** The token of the newest link in the mailbox listing of `items` to `email`. */
function tokenIn(items: { toAddress: string; textBody: string }[], email: string): string {
  const mail = items.find((item) => item.toAddress === email);
  const token = /token=([A-Za-z0-9_-]{43})/.exec(mail?.textBody ?? "")?.[1];
  if (!token) throw new Error(`no link to ${email} in the listing`);
  return token;
}

describe("the mailbox", () => {
  it("shows an anonymous visitor nothing, even from the machine itself (a reverse proxy on the same host)", async () => {
    const victim = await makeUser();
    await (await callerFor(null)).account.requestPasswordReset({ email: victim.email });
    await settleAfterResponse();
    for (const ip of ["127.0.0.1", "::1", freshIp()]) {
      expect((await trpcError((await callerFor(null, ip)).mailbox.list({ page: 1, pageSize: 100 }))).code, ip).toBe(
        "UNAUTHORIZED",
      );
    }
  });

  it("shows a signed-in user only their own mail, and an admin all of it, links readable and working", async () => {
    const mine = newAccount();
    const theirs = newAccount();
    await (await callerFor(null)).account.register(mine);
    await (await callerFor(null)).account.register(theirs);

    const own = await (
      await callerFor(await sessionOf(await userIdOf(mine.email)), "127.0.0.1")
    ).mailbox.list({ page: 1, pageSize: 100 });
    expect(own.total).toBe(1);
    expect(own.items[0]).toMatchObject({ toAddress: mine.email, purpose: "verify_email", sentAt: null, error: null });
    expect(own.items[0]?.subject).toMatch(/Confirm your e-mail/);

    const admin = await makeUser({ role: "admin" });
    const all = await (await callerFor(await sessionOf(admin.id))).mailbox.list({ page: 1, pageSize: 100 });
    expect(all.items.some((item) => item.toAddress === theirs.email)).toBe(true);
    expect(tokenIn(all.items, mine.email)).toBe(tokenIn(own.items, mine.email));

    // The link read in the mailbox works.
    await (await callerFor(null)).account.verifyEmail({ token: tokenIn(own.items, mine.email) });
    expect(await countRows("SELECT 1 FROM users WHERE email = $1 AND email_verified", [mine.email])).toBe(1);
  });

  it("does not show a user mail sent to their address for another account", async () => {
    const user = await makeUser();
    // A mail to this address for nobody's account (say, sent before an account was deleted and the address re-used).
    await pool.query(
      "INSERT INTO mail_outbox (to_address, subject, text_body, purpose) VALUES ($1, 'old', $2, 'reset_password')",
      [user.email, "v1:AAAAAAAAAAAAAAAA:AAAAAAAAAAAAAAAAAAAAAAAA"],
    );
    const listing = await (await callerFor(await sessionOf(user.id))).mailbox.list({ page: 1, pageSize: 100 });
    expect(listing.total).toBe(0);
  });
});

describe("links at rest", () => {
  it("keeps no readable token in the outbox; the link still works from the mailbox", async () => {
    const user = await makeUser();
    await (await callerFor(null)).account.requestPasswordReset({ email: user.email });
    await settleAfterResponse();
    const listing = await (await callerFor(await sessionOf(user.id))).mailbox.list({ page: 1, pageSize: 100 });
    const token = tokenIn(listing.items, user.email);

    const { rows } = await pool.query<{ text_body: string; html_body: string }>(
      "SELECT text_body, html_body FROM mail_outbox WHERE user_id = $1",
      [user.id],
    );
    expect(rows).toHaveLength(1);
    for (const body of [rows[0]!.text_body, rows[0]!.html_body]) {
      expect(isEncrypted(body)).toBe(true);
      expect(body).not.toContain(token);
    }
    // Nowhere else in clear either: auth_tokens keeps its SHA-256 only.
    expect(await countRows("SELECT 1 FROM auth_tokens WHERE token_hash = $1", [token])).toBe(0);
    // The database refuses a body in clear.
    await expect(
      pool.query(
        "INSERT INTO mail_outbox (to_address, subject, text_body, purpose) VALUES ($1, 's', 'token=abc', 'reset_password')",
        [user.email],
      ),
    ).rejects.toThrow(/mail_outbox_bodies_encrypted/);

    await (await callerFor(null)).account.resetPassword({ token, password: "a brand new passphrase" });
    await expect(
      authenticate({ db, identifier: user.email, password: "a brand new passphrase", ip: freshIp() }),
    ).resolves.toMatchObject({
      id: user.id,
    });
  });

  it("revokes open reset links when the password changes", async () => {
    const user = await makeUser();
    const anonymous = await callerFor(null);
    await anonymous.account.requestPasswordReset({ email: user.email });
    await settleAfterResponse();
    const token = tokenIn(
      (await (await callerFor(await sessionOf(user.id))).mailbox.list({ page: 1 })).items,
      user.email,
    );

    await (
      await callerFor(await sessionOf(user.id))
    ).account.changePassword({ currentPassword: PASSWORD, newPassword: "my own new passphrase" });
    const error = await trpcError(anonymous.account.resetPassword({ token, password: "the attacker's passphrase" }));
    expect(error.code).toBe("BAD_REQUEST");
    expect(error.message).toMatch(/invalid, used or expired/);
    await expect(
      authenticate({ db, identifier: user.email, password: "my own new passphrase", ip: freshIp() }),
    ).resolves.toMatchObject({
      id: user.id,
    });
  });
});

describe("upgrading an install whose outbox holds links in clear", () => {
  it("revokes those links and blanks them out of the old mails", async () => {
    const before = fs.mkdtempSync(path.join(os.tmpdir(), "vf-migrations-"));
    try {
      const hardening = readMigrations().findIndex((migration) => migration.name.endsWith("_accounts_hardening"));
      for (const migration of readMigrations().slice(0, hardening)) {
        fs.cpSync(path.join(defaultMigrationsDir, migration.name), path.join(before, migration.name), {
          recursive: true,
        });
      }
      const url = await createEmptyDatabase();
      await migrateDatabase(url, { dir: before });
      const token = "A".repeat(43);
      await queryOnce(
        url,
        `WITH u AS (INSERT INTO users (email, username, full_name, password_hash) VALUES ('old@example.com', 'old', 'Old', 'x') RETURNING id),
              t AS (INSERT INTO auth_tokens (user_id, purpose, token_hash, expires_at)
                    SELECT id, 'reset_password', encode(sha256($1::bytea), 'hex'), now() + interval '1 hour' FROM u)
         INSERT INTO mail_outbox (to_address, subject, text_body, html_body, purpose, user_id)
         SELECT 'old@example.com', 'Reset', $2, $3, 'reset_password', id FROM u`,
        [
          token,
          `Open http://localhost:3000/reset-password?token=${token}\n`,
          `<a href="http://x/reset-password?token=${token}">Reset</a>`,
        ],
      );

      await migrateDatabase(url);
      const { rows } = await queryOnce<{ text_body: string; html_body: string; open: number }>(
        url,
        "SELECT text_body, html_body, (SELECT count(*)::int FROM auth_tokens WHERE used_at IS NULL) AS open FROM mail_outbox",
      );
      expect(rows).toEqual([
        {
          text_body: "Open http://localhost:3000/reset-password?token=(removed)\n",
          html_body: '<a href="http://x/reset-password?token=(removed)">Reset</a>',
          open: 0,
        },
      ]);
    } finally {
      fs.rmSync(before, { recursive: true, force: true });
    }
  });
});

describe("password-reset requests", () => {
  it("answer before the account is looked up or mailed", async () => {
    const user = await makeUser();
    const blocker = await pool.connect();
    try {
      // Holds off every write to the outbox: the answer must not wait for the mail.
      await blocker.query("BEGIN");
      await blocker.query("LOCK TABLE mail_outbox IN EXCLUSIVE MODE");
      const answer = await Promise.race([
        (await callerFor(null)).account.requestPasswordReset({ email: user.email }),
        new Promise((resolve) => setTimeout(() => resolve("still waiting on the mail"), 10_000)),
      ]);
      expect(answer).toEqual({ accepted: true });
      expect((await pool.query("SELECT 1 FROM mail_outbox WHERE user_id = $1", [user.id])).rowCount).toBe(0);
    } finally {
      await blocker.query("COMMIT");
      blocker.release();
    }
    expect(await countRows("SELECT 1 FROM mail_outbox WHERE user_id = $1", [user.id])).toBe(1);
  });

  it("send one mail for two requests at once", async () => {
    const user = await makeUser();
    await Promise.all(
      [0, 1].map(async () => (await callerFor(null)).account.requestPasswordReset({ email: user.email })),
    );
    expect(await countRows("SELECT 1 FROM mail_outbox WHERE user_id = $1", [user.id])).toBe(1);
  });

  it("are never refused per requested address: beyond its mail budget they send nothing, and the mailed link works", async () => {
    const user = await makeUser();
    const unknown = `nobody-${tag()}@example.com`;
    const mailsToUser = () => countRows("SELECT 1 FROM mail_outbox WHERE user_id = $1", [user.id]);
    /** One request from a fresh address, once a minute has passed since the last mail (no interval in the way). */
    const request = async (email: string) => {
      await settleAfterResponse();
      await pool.query("UPDATE auth_tokens SET created_at = created_at - interval '2 minutes' WHERE user_id = $1", [
        user.id,
      ]);
      return (await callerFor(null)).account.requestPasswordReset({ email });
    };
    for (let i = 0; i < RESET_ACCOUNT_LIMIT; i++) expect(await request(user.email)).toEqual({ accepted: true });
    expect(await mailsToUser()).toBe(RESET_ACCOUNT_LIMIT);
    const mailed = await tokenFromMail(user.email, "reset_password");

    // Strangers naming the address get the same answer as anyone, for an account or not, and send nothing more.
    for (const email of [user.email, unknown, user.email, unknown])
      expect(await request(email)).toEqual({ accepted: true });
    expect(await mailsToUser()).toBe(RESET_ACCOUNT_LIMIT);
    // The owner's own request is not refused either, and the link already in their mailbox still works.
    expect(await request(user.email)).toEqual({ accepted: true });
    await (await callerFor(null)).account.resetPassword({ token: mailed, password: "a brand new passphrase" });
    await expect(
      authenticate({ db, identifier: user.email, password: "a brand new passphrase", ip: freshIp() }),
    ).resolves.toMatchObject({
      id: user.id,
    });
  });

  it("count requests beyond an address's mail budget against the client address", async () => {
    const ip = freshIp();
    const victim = `victim-${tag()}@example.com`;
    for (let i = 0; i < RESET_ADDRESS_LIMIT; i++) {
      expect(await (await callerFor(null, ip)).account.requestPasswordReset({ email: victim })).toEqual({
        accepted: true,
      });
    }
    const refused = await trpcError(
      (await callerFor(null, ip)).account.requestPasswordReset({ email: `other-${tag()}@example.com` }),
    );
    expect(refused.code).toBe("TOO_MANY_REQUESTS");
    expect(refused.message).toMatch(/^Too many reset requests\. Try again in \d+ minutes?\.$/);
  });

  it("are limited per client address, and a refused one sends nothing", async () => {
    const ip = freshIp();
    for (let i = 0; i < RESET_ADDRESS_LIMIT; i++) {
      await (await callerFor(null, ip)).account.requestPasswordReset({ email: `spray-${tag()}@example.com` });
    }
    const user = await makeUser();
    const refused = await trpcError((await callerFor(null, ip)).account.requestPasswordReset({ email: user.email }));
    expect(refused.code).toBe("TOO_MANY_REQUESTS");
    expect(await countRows("SELECT 1 FROM mail_outbox WHERE user_id = $1", [user.id])).toBe(0);
    // Another address is not affected.
    await expect((await callerFor(null)).account.requestPasswordReset({ email: user.email })).resolves.toEqual({
      accepted: true,
    });
  });

  it("refuse a malformed address without counting it", async () => {
    const ip = freshIp();
    expect(
      (await trpcError((await callerFor(null, ip)).account.requestPasswordReset({ email: "not an address" }))).code,
    ).toBe("BAD_REQUEST");
    expect(await countRows("SELECT 1 FROM auth_attempts WHERE ip_address = $1", [ip])).toBe(0);
  });
});
