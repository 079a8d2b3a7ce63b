import { describe, expect, it } from "vitest";
import { authenticate } from "~/server/auth/authenticate";
import { loadSessionUser } from "~/server/auth/session-user";
import { decryptSecret } from "~/server/crypto";
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

async function sessionVersion(userId: string): Promise<number> {
  const { rows } = await pool.query<{ session_version: number }>("SELECT session_version FROM users WHERE id = $1", [
    userId,
  ]);
  return rows[0]?.session_version ?? -1;
}

describe("password reset", () => {
  it("mails a single-use link; the new password works, the old one stops, other sessions end", async () => {
    const user = await makeUser();
    const anonymous = await callerFor(null);
    expect(await anonymous.account.requestPasswordReset({ email: user.email.toUpperCase() })).toEqual({
      accepted: true,
    });
    const token = await tokenFromMail(user.email, "reset_password");
    const { rows } = await pool.query<{ text_body: string }>(
      "SELECT text_body FROM mail_outbox WHERE to_address = $1",
      [user.email],
    );
    expect(decryptSecret(rows[0]?.text_body ?? "")).toContain(`http://localhost:3000/reset-password?token=${token}`);

    const newPassword = "a brand new passphrase";
    expect(await anonymous.account.resetPassword({ token, password: newPassword })).toEqual({ reset: true });
    expect(await sessionVersion(user.id)).toBe(1);
    expect(await loadSessionUser({ db, userId: user.id, sessionVersion: 0 })).toBeNull();
    // The link proved the user reads the mailbox.
    expect(await countRows("SELECT 1 FROM users WHERE id = $1 AND email_verified", [user.id])).toBe(1);

    await expect(
      authenticate({ db, identifier: user.email, password: newPassword, ip: freshIp() }),
    ).resolves.toMatchObject({
      id: user.id,
      sessionVersion: 1,
    });
    await expect(authenticate({ db, identifier: user.email, password: PASSWORD, ip: freshIp() })).rejects.toMatchObject(
      {
        code: "UNAUTHORIZED",
      },
    );

    const again = await trpcError(anonymous.account.resetPassword({ token, password: "yet another passphrase" }));
    expect(again.code).toBe("BAD_REQUEST");
    expect(again.message).toMatch(/invalid, used or expired/);
  });

  it("answers the same for an unknown address and sends nothing; applies the password rules", async () => {
    const anonymous = await callerFor(null);
    const email = `unknown-${tag()}@example.com`;
    expect(await anonymous.account.requestPasswordReset({ email })).toEqual({ accepted: true });
    expect(await countRows("SELECT 1 FROM mail_outbox WHERE to_address = $1", [email])).toBe(0);

    const user = await makeUser();
    await anonymous.account.requestPasswordReset({ email: user.email });
    // A second request within the minute answers the same and sends nothing new.
    expect(await anonymous.account.requestPasswordReset({ email: user.email })).toEqual({ accepted: true });
    expect(await countRows("SELECT 1 FROM mail_outbox WHERE to_address = $1", [user.email])).toBe(1);

    const token = await tokenFromMail(user.email, "reset_password");
    const common = await trpcError(anonymous.account.resetPassword({ token, password: "password123" }));
    expect(common.message).toContain("This password is too common; choose another.");
    // The refused attempt did not use up the link.
    await expect(anonymous.account.resetPassword({ token, password: "an uncommon passphrase" })).resolves.toEqual({
      reset: true,
    });
  });

  it("refuses an expired reset link, and sends no link to a deactivated account", async () => {
    const user = await makeUser();
    const anonymous = await callerFor(null);
    await anonymous.account.requestPasswordReset({ email: user.email });
    const token = await tokenFromMail(user.email, "reset_password");
    await pool.query("UPDATE auth_tokens SET expires_at = now() - interval '1 second' WHERE user_id = $1", [user.id]);
    expect((await trpcError(anonymous.account.resetPassword({ token, password: "some new passphrase" }))).code).toBe(
      "BAD_REQUEST",
    );

    const inactive = await makeUser({ isActive: false });
    expect(await anonymous.account.requestPasswordReset({ email: inactive.email })).toEqual({ accepted: true });
    expect(await countRows("SELECT 1 FROM mail_outbox WHERE to_address = $1", [inactive.email])).toBe(0);
  });
});

describe("change password", () => {
  it("needs the current password, then bumps the session version", async () => {
    const user = await makeUser();
    const api = await callerFor(await sessionOf(user.id));

    const wrong = await trpcError(
      api.account.changePassword({ currentPassword: "not my password", newPassword: "a new passphrase" }),
    );
    expect(wrong.code).toBe("BAD_REQUEST");
    expect(wrong.message).toBe("Your current password is wrong.");
    expect(await sessionVersion(user.id)).toBe(0);

    const same = await trpcError(api.account.changePassword({ currentPassword: PASSWORD, newPassword: PASSWORD }));
    expect(same.message).toMatch(/different/);

    const weak = await trpcError(api.account.changePassword({ currentPassword: PASSWORD, newPassword: "12345678" }));
    expect(weak.message).toContain("too common");

    expect(await api.account.changePassword({ currentPassword: PASSWORD, newPassword: "a new passphrase" })).toEqual({
      sessionVersion: 1,
    });
    await expect(
      authenticate({ db, identifier: user.username, password: "a new passphrase", ip: freshIp() }),
    ).resolves.toMatchObject({ sessionVersion: 1 });
    expect(await loadSessionUser({ db, userId: user.id, sessionVersion: 0 })).toBeNull();
  });

  it("is refused to anonymous callers", async () => {
    const api = await callerFor(null);
    expect(
      (await trpcError(api.account.changePassword({ currentPassword: "x", newPassword: "a new passphrase" }))).code,
    ).toBe("UNAUTHORIZED");
  });
});

describe("profile and preferences", () => {
  it("returns the signed-in user with initials, and saves a validated profile", async () => {
    const user = await makeUser({ fullName: "Grace Brewster Hopper" });
    const api = await callerFor(await sessionOf(user.id));
    const me = await api.account.me();
    expect(me).toMatchObject({
      id: user.id,
      email: user.email,
      initials: "GH",
      hasPassword: true,
      emailVerified: false,
      avatarUrl: null,
    });
    expect(me).not.toHaveProperty("passwordHash");

    const saved = await api.account.updateProfile({
      fullName: "  Grace Hopper ",
      avatarUrl: "https://example.com/grace.png",
      bio: "Wrote the first compiler.",
      location: "Arlington",
      websiteUrl: "https://example.com",
      githubUsername: "grace-hopper",
    });
    expect(saved).toMatchObject({
      fullName: "Grace Hopper",
      avatarUrl: "https://example.com/grace.png",
      bio: "Wrote the first compiler.",
      location: "Arlington",
      websiteUrl: "https://example.com",
      githubUsername: "grace-hopper",
    });

    // Empty strings clear; fields left out stay.
    const cleared = await api.account.updateProfile({ fullName: "Grace Hopper", avatarUrl: "", bio: "   " });
    expect(cleared).toMatchObject({ avatarUrl: null, bio: null, location: "Arlington", initials: "GH" });
  });

  it("refuses data: and oversized avatar URLs and bad fields, writing nothing", async () => {
    const user = await makeUser({ fullName: "Unchanged Name" });
    const api = await callerFor(await sessionOf(user.id));
    const bad = [
      { fullName: "X", avatarUrl: "data:image/png;base64,iVBORw0KGgo=" },
      { fullName: "X", avatarUrl: "javascript:alert(1)" },
      { fullName: "X", avatarUrl: `https://example.com/${"a".repeat(2048)}` },
      { fullName: "X", websiteUrl: "ftp://example.com" },
      { fullName: "X", githubUsername: "-bad-" },
      { fullName: "X", bio: "b".repeat(1001) },
      { fullName: "" },
      { fullName: "x".repeat(101) },
    ];
    for (const input of bad) {
      const error = await trpcError(api.account.updateProfile(input));
      expect(error.code, JSON.stringify(input).slice(0, 60)).toBe("BAD_REQUEST");
    }
    const oversized = await trpcError(
      api.account.updateProfile({ fullName: "X", avatarUrl: `https://example.com/${"a".repeat(3000)}` }),
    );
    expect(oversized.message).toContain("Use a link of at most 2048 characters.");
    const dataUrl = await trpcError(
      api.account.updateProfile({ fullName: "X", avatarUrl: "data:image/png;base64,AAAA" }),
    );
    expect(dataUrl.message).toContain("Use a link starting with http:// or https://.");
    expect((await api.account.me()).fullName).toBe("Unchanged Name");
  });

  it("merges valid preferences and refuses out-of-range ones", async () => {
    const user = await makeUser();
    const api = await callerFor(await sessionOf(user.id));
    expect(await api.account.updatePreferences({ theme: "dark", tabSize: 4 })).toEqual({
      theme: "dark",
      editorFontSize: 14,
      tabSize: 4,
      wordWrap: false,
      autosave: "off",
      autosaveDelayMs: 1000,
      assistantApply: "auto",
    });
    // A second change keeps the first.
    const prefs = await api.account.updatePreferences({ autosave: "afterDelay", autosaveDelayMs: 500 });
    expect(prefs).toMatchObject({ theme: "dark", tabSize: 4, autosave: "afterDelay", autosaveDelayMs: 500 });
    expect((await api.account.me()).preferences).toEqual(prefs);

    const refused: unknown[] = [
      { theme: "neon" },
      { editorFontSize: 9 },
      { editorFontSize: 33 },
      { tabSize: 0 },
      { tabSize: 2.5 },
      { autosaveDelayMs: 10 },
      { wordWrap: "yes" },
      { assistantApply: "sometimes" },
      { unknownKey: true },
      {},
    ];
    for (const input of refused) {
      const error = await trpcError(api.account.updatePreferences(input as never));
      expect(error.code, JSON.stringify(input)).toBe("BAD_REQUEST");
    }
    expect((await api.account.me()).preferences).toEqual(prefs);
    // The session loader sees them too.
    expect((await loadSessionUser({ db, userId: user.id, sessionVersion: 0 }))?.preferences).toEqual(prefs);
  });
});
