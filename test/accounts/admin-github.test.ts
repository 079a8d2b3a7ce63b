import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { settleAfterResponse } from "~/server/after-response";
import { authenticate } from "~/server/auth/authenticate";
import { linkGithubAccount, loadSessionUser, type GithubLinkResult } from "~/server/auth/session-user";
import { callerFor, countRows, db, freshIp, makeUser, PASSWORD, pool, sessionOf, tag, trpcError } from "./support";

describe("admin: users", () => {
  it("lists with search over e-mail, username and name, filters, and pages with a total", async () => {
    const admin = await makeUser({ role: "admin" });
    const api = await callerFor(await sessionOf(admin.id));
    const t = tag();
    const ids: string[] = [];
    for (let i = 0; i < 12; i++) ids.push((await makeUser({ fullName: `Pager ${t} ${i}` })).id);
    await pool.query("UPDATE users SET is_premium = true WHERE id = ANY($1::uuid[])", [ids.slice(0, 3)]);
    await pool.query("UPDATE users SET is_active = false WHERE id = ANY($1::uuid[])", [ids.slice(3, 5)]);
    await pool.query("UPDATE users SET role = 'admin' WHERE id = $1", [ids[5]]);

    const first = await api.admin.users.list({ query: `pager ${t}`, page: 1, pageSize: 10 });
    expect(first).toMatchObject({ total: 12, page: 1, pageSize: 10, pageCount: 2 });
    expect(first.items).toHaveLength(10);
    const second = await api.admin.users.list({ query: `PAGER ${t}`, page: 2, pageSize: 10 });
    expect(second.items).toHaveLength(2);
    expect(new Set([...first.items, ...second.items].map((user) => user.id))).toEqual(new Set(ids));
    const beyond = await api.admin.users.list({ query: `pager ${t}`, page: 3, pageSize: 10 });
    expect(beyond).toMatchObject({ items: [], total: 12 });

    expect((await api.admin.users.list({ query: `pager ${t}`, premium: true, page: 1, pageSize: 10 })).total).toBe(3);
    expect((await api.admin.users.list({ query: `pager ${t}`, premium: false, page: 1, pageSize: 10 })).total).toBe(9);
    expect((await api.admin.users.list({ query: `pager ${t}`, status: "inactive", page: 1, pageSize: 10 })).total).toBe(
      2,
    );
    expect((await api.admin.users.list({ query: `pager ${t}`, status: "active", page: 1, pageSize: 10 })).total).toBe(
      10,
    );
    const admins = await api.admin.users.list({ query: `pager ${t}`, role: "admin", page: 1, pageSize: 10 });
    expect(admins.items.map((user) => user.id)).toEqual([ids[5]]);
    expect(admins.items[0]).toMatchObject({ role: "admin", isActive: true, isPremium: false, emailVerified: false });

    // By e-mail and by username too.
    const one = await makeUser();
    expect(
      (await api.admin.users.list({ query: one.email.toUpperCase(), page: 1, pageSize: 10 })).items.map((u) => u.id),
    ).toEqual([one.id]);
    expect((await api.admin.users.list({ query: one.username, page: 1, pageSize: 10 })).items.map((u) => u.id)).toEqual(
      [one.id],
    );
  });

  it("matches %, _ and \\ in the search literally", async () => {
    const admin = await makeUser({ role: "admin" });
    const api = await callerFor(await sessionOf(admin.id));
    const t = tag();
    const underscore = await makeUser({ fullName: `Under_score ${t}` });
    await makeUser({ fullName: `Underxscore ${t}` });
    const percent = await makeUser({ fullName: `100% ${t}` });
    await makeUser({ fullName: `1000 ${t}` });
    expect(
      (await api.admin.users.list({ query: `r_score ${t}`, page: 1, pageSize: 10 })).items.map((u) => u.id),
    ).toEqual([underscore.id]);
    expect((await api.admin.users.list({ query: `0% ${t}`, page: 1, pageSize: 10 })).items.map((u) => u.id)).toEqual([
      percent.id,
    ]);
    expect((await api.admin.users.list({ query: `\\ ${t}`, page: 1, pageSize: 10 })).total).toBe(0);
  });

  it("refuses bad list input and non-admins", async () => {
    const admin = await makeUser({ role: "admin" });
    const api = await callerFor(await sessionOf(admin.id));
    expect((await trpcError(api.admin.users.list({ page: 0, pageSize: 10 }))).code).toBe("BAD_REQUEST");
    expect((await trpcError(api.admin.users.list({ page: 1, pageSize: 500 }))).code).toBe("BAD_REQUEST");
    expect((await trpcError(api.admin.users.list({ page: 1, pageSize: 10, query: "q".repeat(101) }))).code).toBe(
      "BAD_REQUEST",
    );
    const user = await makeUser();
    const userApi = await callerFor(await sessionOf(user.id));
    expect((await trpcError(userApi.admin.users.list({ page: 1, pageSize: 10 }))).code).toBe("FORBIDDEN");
    expect((await trpcError(userApi.admin.users.update({ userId: user.id, role: "admin" }))).code).toBe("FORBIDDEN");
  });

  it("deactivates a user, whose sessions end at once; sets premium and role", async () => {
    const admin = await makeUser({ role: "admin" });
    const api = await callerFor(await sessionOf(admin.id));
    const user = await makeUser();
    expect(await loadSessionUser({ db, userId: user.id, sessionVersion: 0 })).not.toBeNull();

    const deactivated = await api.admin.users.update({ userId: user.id, isActive: false });
    expect(deactivated).toMatchObject({ isActive: false, sessionVersion: 1 });
    expect(await loadSessionUser({ db, userId: user.id, sessionVersion: 0 })).toBeNull();
    expect(await loadSessionUser({ db, userId: user.id, sessionVersion: 1 })).toBeNull();
    await expect(authenticate({ db, identifier: user.email, password: PASSWORD, ip: freshIp() })).rejects.toMatchObject(
      { code: "FORBIDDEN" },
    );

    // Reactivation does not revive the old sessions.
    await api.admin.users.update({ userId: user.id, isActive: true });
    expect(await loadSessionUser({ db, userId: user.id, sessionVersion: 0 })).toBeNull();
    expect(await loadSessionUser({ db, userId: user.id, sessionVersion: 1 })).not.toBeNull();

    expect(await api.admin.users.update({ userId: user.id, isPremium: true, role: "admin" })).toMatchObject({
      isPremium: true,
      role: "admin",
      isActive: true,
    });
    expect((await loadSessionUser({ db, userId: user.id, sessionVersion: 1 }))?.role).toBe("admin");
    expect((await trpcError(api.admin.users.update({ userId: user.id }))).code).toBe("BAD_REQUEST");
    expect(
      (await trpcError(api.admin.users.update({ userId: "00000000-0000-4000-8000-000000000000", isPremium: true })))
        .code,
    ).toBe("NOT_FOUND");
  });

  it("refuses self-deactivation and self-demotion, and protects the last active admin", async () => {
    const admin = await makeUser({ role: "admin" });
    const other = await makeUser({ role: "admin" });
    const session = await sessionOf(admin.id);
    const api = await callerFor(session);

    expect((await trpcError(api.admin.users.update({ userId: admin.id, isActive: false }))).code).toBe("FORBIDDEN");
    const demote = await trpcError(api.admin.users.update({ userId: admin.id, role: "user" }));
    expect(demote.code).toBe("FORBIDDEN");
    expect(demote.message).toMatch(/cannot deactivate or demote yourself/);
    // Premium on oneself is fine.
    await expect(api.admin.users.update({ userId: admin.id, isPremium: true })).resolves.toMatchObject({
      isPremium: true,
    });

    // Leave `other` the only active admin (a session made earlier still names `admin` as one).
    await pool.query("UPDATE users SET role = 'user' WHERE role = 'admin' AND id <> $1", [other.id]);
    for (const change of [{ isActive: false }, { role: "user" as const }]) {
      const error = await trpcError(api.admin.users.update({ userId: other.id, ...change }));
      expect(error.code).toBe("CONFLICT");
      expect(error.message).toMatch(/last active administrator/);
    }
    expect(await countRows("SELECT 1 FROM users WHERE id = $1 AND role = 'admin' AND is_active", [other.id])).toBe(1);

    // With a second active admin, the change goes through.
    await pool.query("UPDATE users SET role = 'admin' WHERE id = $1", [admin.id]);
    await expect(api.admin.users.update({ userId: other.id, role: "user" })).resolves.toMatchObject({ role: "user" });
  });

  it("lists the mail outbox to admins only", async () => {
    const admin = await makeUser({ role: "admin" });
    const user = await makeUser();
    await (await callerFor(null)).account.requestPasswordReset({ email: user.email });
    // The mail is written after the answer.
    await settleAfterResponse();
    const page = await (await callerFor(await sessionOf(admin.id))).admin.mail.list({ page: 1, pageSize: 100 });
    expect(page.items.some((mail) => mail.toAddress === user.email && mail.purpose === "reset_password")).toBe(true);
    expect((await trpcError((await callerFor(await sessionOf(user.id))).admin.mail.list({ page: 1 }))).code).toBe(
      "FORBIDDEN",
    );
  });
});

describe("GitHub sign-in", () => {
  const githubId = () => String(randomBytes(4).readUInt32BE());
  /** The user a GitHub sign-in let in (fails the test when it was refused). */
  const signedIn = (result: GithubLinkResult) => {
    if ("refused" in result) throw new Error(`refused: ${result.refused}`);
    return result.user;
  };

  it("creates a verified account without a password, with a username from the login, and finds it again", async () => {
    const t = tag();
    const email = `octo-${t}@example.com`;
    const providerAccountId = githubId();
    const linked = signedIn(
      await linkGithubAccount({
        db,
        providerAccountId,
        verifiedEmails: [email],
        profile: { login: `Octo.Cat-${t}`, name: "Octo Cat", avatar_url: "https://avatars.example.com/u/1" },
      }),
    );
    expect(linked).toMatchObject({ role: "user", sessionVersion: 0 });
    const { rows } = await pool.query(
      `SELECT username::text, email::text, full_name, password_hash, email_verified, github_username, avatar_url
         FROM users WHERE id = $1`,
      [linked?.id],
    );
    expect(rows[0]).toEqual({
      username: `octo-cat-${t}`,
      email,
      full_name: "Octo Cat",
      password_hash: null,
      email_verified: true,
      github_username: `Octo.Cat-${t}`,
      avatar_url: "https://avatars.example.com/u/1",
    });
    // A GitHub-only account has no password to sign in with.
    await expect(
      authenticate({ db, identifier: email, password: "anything at all", ip: freshIp() }),
    ).rejects.toMatchObject({
      code: "UNAUTHORIZED",
    });
    expect((await (await callerFor(await sessionOf(linked!.id))).account.me()).hasPassword).toBe(false);

    // Next time the identity alone is enough, even if GitHub reports no verified address.
    const again = signedIn(
      await linkGithubAccount({ db, providerAccountId, verifiedEmails: [], profile: { login: "renamed" } }),
    );
    expect(again?.id).toBe(linked?.id);
  });

  it("derives a free, unreserved username", async () => {
    const admin = signedIn(
      await linkGithubAccount({
        db,
        providerAccountId: githubId(),
        verifiedEmails: [`a-${tag()}@example.com`],
        profile: { login: "admin" },
      }),
    );
    const { rows } = await pool.query<{ username: string }>("SELECT username::text FROM users WHERE id = $1", [
      admin?.id,
    ]);
    expect(rows[0]?.username).toMatch(/^admin-gh(-\d)?$/);

    const taken = await makeUser();
    const clash = signedIn(
      await linkGithubAccount({
        db,
        providerAccountId: githubId(),
        verifiedEmails: [`b-${tag()}@example.com`],
        profile: { login: taken.username },
      }),
    );
    const { rows: clashRows } = await pool.query<{ username: string }>(
      "SELECT username::text FROM users WHERE id = $1",
      [clash?.id],
    );
    expect(clashRows[0]?.username).toBe(`${taken.username}-2`);
  });

  it("links to an existing account only through an address GitHub verified, and never trusts the development mailbox", async () => {
    const user = await makeUser({ emailVerified: true });
    // GitHub did not verify the address: no link, no new account.
    expect(
      await linkGithubAccount({
        db,
        providerAccountId: githubId(),
        verifiedEmails: [],
        profile: { login: `x${tag()}` },
      }),
    ).toEqual({
      refused: "GithubEmailNotVerified",
    });
    expect(await countRows("SELECT 1 FROM oauth_accounts WHERE user_id = $1", [user.id])).toBe(0);

    const linked = signedIn(
      await linkGithubAccount({
        db,
        providerAccountId: githubId(),
        verifiedEmails: ["not an email", user.email.toUpperCase()],
        profile: { login: `x${tag()}` },
      }),
    );
    expect(linked?.id).toBe(user.id);
    // Without SMTP (as in tests) "verified" only means someone read the development mailbox, which proves nothing:
    // the account is taken over like an unverified one, so whoever set its password loses it and its sessions.
    // (With SMTP_URL set, a verified local account keeps its password and sessions.)
    expect(linked?.sessionVersion).toBe(1);
    await expect(authenticate({ db, identifier: user.email, password: PASSWORD, ip: freshIp() })).rejects.toMatchObject(
      {
        code: "UNAUTHORIZED",
      },
    );
  });

  it("takes over an unverified local account by removing its password and its open reset links, and refuses a deactivated one", async () => {
    const squatted = await makeUser({ emailVerified: false });
    await (await callerFor(null)).account.requestPasswordReset({ email: squatted.email });
    await settleAfterResponse();
    expect(
      await countRows(
        "SELECT 1 FROM auth_tokens WHERE user_id = $1 AND purpose = 'reset_password' AND used_at IS NULL",
        [squatted.id],
      ),
    ).toBe(1);
    const linked = signedIn(
      await linkGithubAccount({
        db,
        providerAccountId: githubId(),
        verifiedEmails: [squatted.email],
        profile: { login: `y${tag()}` },
      }),
    );
    expect(linked).toMatchObject({ id: squatted.id, sessionVersion: 1 });
    await expect(
      authenticate({ db, identifier: squatted.email, password: PASSWORD, ip: freshIp() }),
    ).rejects.toMatchObject({
      code: "UNAUTHORIZED",
    });
    expect(await countRows("SELECT 1 FROM users WHERE id = $1 AND email_verified", [squatted.id])).toBe(1);
    expect(
      await countRows(
        "SELECT 1 FROM auth_tokens WHERE user_id = $1 AND purpose = 'reset_password' AND used_at IS NULL",
        [squatted.id],
      ),
    ).toBe(0);

    const inactive = await makeUser({ isActive: false, emailVerified: true });
    expect(
      await linkGithubAccount({
        db,
        providerAccountId: githubId(),
        verifiedEmails: [inactive.email],
        profile: { login: `z${tag()}` },
      }),
    ).toEqual({ refused: "AccessDenied" });
  });

  it("never links itself to an administrator, who links GitHub from settings instead", async () => {
    const admin = await makeUser({ role: "admin", emailVerified: true });
    const providerAccountId = githubId();
    const refused = await linkGithubAccount({
      db,
      providerAccountId,
      verifiedEmails: [admin.email],
      profile: { login: `a${tag()}` },
    });
    expect(refused).toEqual({ refused: "GithubAdminLink" });
    // Nothing changed: no link, and the admin keeps the password and sessions.
    expect(await countRows("SELECT 1 FROM oauth_accounts WHERE provider_account_id = $1", [providerAccountId])).toBe(0);
    expect(
      await countRows("SELECT 1 FROM users WHERE id = $1 AND session_version = 0 AND password_hash IS NOT NULL", [
        admin.id,
      ]),
    ).toBe(1);

    // Signed in with the password, the admin links it from settings; from then on GitHub signs the admin in.
    const fromSettings = await linkGithubAccount({
      db,
      providerAccountId,
      verifiedEmails: [],
      profile: undefined,
      signedInUserId: admin.id,
    });
    expect(signedIn(fromSettings)).toMatchObject({ id: admin.id, role: "admin", sessionVersion: 0 });
    expect((await (await callerFor(await sessionOf(admin.id))).account.me()).githubLinked).toBe(true);
    expect(
      signedIn(await linkGithubAccount({ db, providerAccountId, verifiedEmails: [], profile: undefined })).id,
    ).toBe(admin.id);
    await expect(
      authenticate({ db, identifier: admin.email, password: PASSWORD, ip: freshIp() }),
    ).resolves.toMatchObject({ id: admin.id });
  });

  it("links from settings only an identity no other account has", async () => {
    const owner = await makeUser();
    const providerAccountId = githubId();
    signedIn(
      await linkGithubAccount({
        db,
        providerAccountId,
        verifiedEmails: [],
        profile: undefined,
        signedInUserId: owner.id,
      }),
    );
    // Linking again to the same account is fine; to another one is refused and changes nothing.
    signedIn(
      await linkGithubAccount({
        db,
        providerAccountId,
        verifiedEmails: [],
        profile: undefined,
        signedInUserId: owner.id,
      }),
    );
    const other = await makeUser();
    expect(
      await linkGithubAccount({
        db,
        providerAccountId,
        verifiedEmails: [],
        profile: undefined,
        signedInUserId: other.id,
      }),
    ).toEqual({
      refused: "GithubLinkedElsewhere",
    });
    expect(
      await countRows("SELECT 1 FROM oauth_accounts WHERE provider_account_id = $1 AND user_id = $2", [
        providerAccountId,
        owner.id,
      ]),
    ).toBe(1);
    expect((await (await callerFor(await sessionOf(other.id))).account.me()).githubLinked).toBe(false);
  });
});
