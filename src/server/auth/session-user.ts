import { env } from "~/env";
import { randomBytes } from "node:crypto";
import { isReservedUsername, readPreferences, ZEmail, ZHttpUrl, type TPreferences } from "~/lib/schemas/account";
import type { Database } from "~/server/db/client";
import { isUniqueViolation } from "~/server/db/errors";
import { revokeTokens } from "~/server/services/account/tokens";
import type { AuthenticatedUser } from "./authenticate";

export interface SessionUser {
  id: string;
  role: "user" | "admin";
  email: string;
  username: string;
  fullName: string;
  avatarUrl: string | null;
  preferences: TPreferences;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The user behind a session, read on every request so that a change takes effect at once: null when the user is
 * gone, deactivated, or its session version moved on (password changed or reset, deactivated) since the session
 * was issued. One primary-key read.
 */
export async function loadSessionUser(options: {
  db: Database;
  userId: string;
  sessionVersion: number;
}): Promise<SessionUser | null> {
  // A forged or stale token may carry anything; only a uuid can name a user.
  if (!UUID.test(options.userId)) return null;
  const user = await options.db.user.findUnique({
    where: { id: options.userId },
    select: {
      id: true,
      role: true,
      email: true,
      username: true,
      fullName: true,
      avatarUrl: true,
      preferences: true,
      isActive: true,
      sessionVersion: true,
    },
  });
  if (!user || !user.isActive || user.sessionVersion !== options.sessionVersion) return null;
  return {
    id: user.id,
    role: user.role === "admin" ? "admin" : "user",
    email: user.email,
    username: user.username,
    fullName: user.fullName,
    avatarUrl: user.avatarUrl,
    preferences: readPreferences(user.preferences),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// GitHub sign-in
// ---------------------------------------------------------------------------------------------------------------

const PROVIDER = "github";

/** The fields of GitHub's user profile (`GET /user`) used here. */
export interface GithubProfile {
  login?: string;
  name?: string | null;
  avatar_url?: string | null;
}

/**
 * A username for a new account from a GitHub login: our charset and length, not reserved, not taken ("octocat",
 * then "octocat-2" ... "octocat-9", then a random suffix).
 */
async function availableUsername(db: Database, login: string): Promise<string> {
  // 22 (+ "-gh") is at most 25, so even the 5-character suffixes below stay within the 30 allowed.
  let base = login
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, "-")
    .replace(/^[-_]+/, "")
    .slice(0, 22);
  if (base.length < 3 || isReservedUsername(base)) base = `${base || "user"}-gh`;
  const candidates = [base, ...Array.from({ length: 8 }, (_, i) => `${base}-${i + 2}`)];
  const taken = await db.user.findMany({ where: { username: { in: candidates } }, select: { username: true } });
  const takenSet = new Set(taken.map((row) => row.username.toLowerCase()));
  return candidates.find((name) => !takenSet.has(name)) ?? `${base}-${randomBytes(2).toString("hex")}`;
}

function toAuthenticated(user: { id: string; role: string; sessionVersion: number }): AuthenticatedUser {
  return { id: user.id, role: user.role === "admin" ? "admin" : "user", sessionVersion: user.sessionVersion };
}

const userSelect = { id: true, role: true, sessionVersion: true, isActive: true, emailVerified: true } as const;

/** Why a GitHub sign-in was refused; the sign-in and settings pages explain each. */
export type GithubRefusal = "GithubEmailNotVerified" | "GithubAdminLink" | "GithubLinkedElsewhere" | "AccessDenied";

export type GithubLinkResult = { user: AuthenticatedUser } | { refused: GithubRefusal };

/**
 * Signs in through GitHub (the next-auth GitHub provider's callback calls this with the e-mails GitHub reports as
 * verified), or links GitHub to the signed-in user (`signedInUserId`: the settings page started the flow).
 *
 * Linking from settings: the identity is linked to the signed-in user, unless another user has it already.
 *
 * Signing in:
 * - An identity linked before signs in its user (unless deactivated).
 * - Otherwise it is linked to the existing user whose e-mail is one of `verifiedEmails`; never through an
 *   unverified address, which anyone could have typed into GitHub, and never to an administrator: whoever controls
 *   a GitHub account with that address (or the address's domain) would hold the install; an admin links GitHub
 *   from settings after signing in with the password. When that local account had not verified its e-mail,
 *   whoever registered it never proved owning the address: its password is removed and its sessions ended, so a
 *   squatter who pre-registered the address cannot keep access (the owner can set a password with "forgot
 *   password").
 * - Otherwise a new, verified user is created with a username derived from the login and no password.
 */
export function linkGithubAccount(options: {
  db: Database;
  providerAccountId: string;
  verifiedEmails: string[];
  profile: GithubProfile | undefined;
  signedInUserId?: string | null;
}): Promise<GithubLinkResult> {
  return options.signedInUserId ? linkToSignedIn({ ...options, userId: options.signedInUserId }) : link(options, 1);
}

async function linkToSignedIn(options: {
  db: Database;
  providerAccountId: string;
  userId: string;
}): Promise<GithubLinkResult> {
  const { db, providerAccountId, userId } = options;
  const user = await db.user.findUnique({ where: { id: userId }, select: userSelect });
  if (!user || !user.isActive) return { refused: "AccessDenied" };
  try {
    await db.oAuthAccount.create({ data: { provider: PROVIDER, providerAccountId, userId } });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const owner = await db.oAuthAccount.findUnique({
      where: { provider_providerAccountId: { provider: PROVIDER, providerAccountId } },
      select: { userId: true },
    });
    if (owner?.userId !== userId) return { refused: "GithubLinkedElsewhere" };
  }
  return { user: toAuthenticated(user) };
}

async function link(options: Parameters<typeof linkGithubAccount>[0], retries: number): Promise<GithubLinkResult> {
  const { db, providerAccountId } = options;
  const profile = options.profile ?? {};
  const linked = await db.oAuthAccount.findUnique({
    where: { provider_providerAccountId: { provider: PROVIDER, providerAccountId } },
    select: { user: { select: userSelect } },
  });
  if (linked) return !linked.user.isActive ? { refused: "AccessDenied" } : { user: toAuthenticated(linked.user) };

  const emails = options.verifiedEmails.flatMap((email) => {
    const parsed = ZEmail.safeParse(email);
    return parsed.success ? [parsed.data] : [];
  });
  if (emails.length === 0) return { refused: "GithubEmailNotVerified" };

  try {
    const existing = await db.user.findFirst({ where: { email: { in: emails } }, select: userSelect });
    if (existing) {
      if (!existing.isActive) return { refused: "AccessDenied" };
      if (existing.role === "admin") return { refused: "GithubAdminLink" };
      const user = await db.$transaction(async (tx) => {
        await tx.oAuthAccount.create({ data: { provider: PROVIDER, providerAccountId, userId: existing.id } });
        // Without real mail (no SMTP_URL) "verified" only means someone read the development mailbox, which proves
        // nothing about owning the address: treat such an account like an unverified one.
        if (existing.emailVerified && env.SMTP_URL) return existing;
        // The password goes, and with it every open reset link: one requested before the takeover must not
        // bring a password back.
        await revokeTokens(tx, existing.id, "reset_password");
        return tx.user.update({
          where: { id: existing.id },
          data: {
            emailVerified: true,
            emailVerifiedAt: new Date(),
            passwordHash: null,
            sessionVersion: { increment: 1 },
          },
          select: userSelect,
        });
      });
      return { user: toAuthenticated(user) };
    }

    const email = emails[0] ?? "";
    const login = profile.login?.trim() || email.slice(0, email.indexOf("@"));
    const avatar = ZHttpUrl.safeParse(profile.avatar_url ?? "");
    const username = await availableUsername(db, login);
    const user = await db.$transaction(async (tx) => {
      const created = await tx.user.create({
        data: {
          email,
          username,
          fullName: (profile.name?.trim() || login).slice(0, 100),
          passwordHash: null,
          avatarUrl: avatar.success ? avatar.data : null,
          githubUsername: profile.login?.slice(0, 39) ?? null,
          emailVerified: true,
          emailVerifiedAt: new Date(),
        },
        select: userSelect,
      });
      await tx.oAuthAccount.create({ data: { provider: PROVIDER, providerAccountId, userId: created.id } });
      return created;
    });
    return { user: toAuthenticated(user) };
  } catch (error) {
    // A concurrent first sign-in of the same person, or the username taken meanwhile: once more finds what won.
    if (retries > 0 && isUniqueViolation(error)) {
      return link(options, retries - 1);
    }
    throw error;
  }
}
