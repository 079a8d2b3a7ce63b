import { createHash, randomBytes } from "node:crypto";
import { env } from "~/env";
import {
  readPreferences,
  type TChangePasswordInput,
  type TPreferences,
  type TRegisterInput,
  type TUpdatePreferencesInput,
  type TUpdateProfileInput,
} from "~/lib/schemas/account";
import { hashPassword, verifyPassword } from "~/server/auth/password";
import { trustedDeviceId } from "~/server/auth/device";
import { markAttemptSucceeded, startPasswordReset, startSignIn, startSignUp } from "~/server/auth/rate-limit";
import { afterResponse } from "~/server/after-response";
import type { Database } from "~/server/db/client";
import { isUniqueViolation } from "~/server/db/errors";
import { avatarInitials, waitTime } from "~/lib/format";
import { AppError } from "~/server/errors";
import { sendMail } from "./mail";

type Tx = Parameters<Parameters<Database["$transaction"]>[0]>[0];
type TokenPurpose = "verify_email" | "reset_password";

const TOKEN_LIFETIME_MS: Record<TokenPurpose, number> = {
  verify_email: 24 * 60 * 60 * 1000,
  reset_password: 60 * 60 * 1000,
};
/** One mail of a kind per user per minute: a form clicked twice, or a script, must not flood an inbox. */
const MAIL_INTERVAL_SECONDS = 60;

const INVALID_VERIFY_LINK = "This confirmation link is invalid, used or expired. Ask for a new one.";
const INVALID_RESET_LINK = "This reset link is invalid, used or expired. Ask for a new one.";

// ---------------------------------------------------------------------------------------------------------------
// Tokens and mails
// ---------------------------------------------------------------------------------------------------------------

/** Tokens are stored as their SHA-256 only: the mail holds the one usable copy. */
function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** Ends every unused token of `purpose` of the user: its links stop working. */
async function revokeTokens(tx: Tx, userId: string, purpose: TokenPurpose): Promise<void> {
  await tx.authToken.updateMany({ where: { userId, purpose, usedAt: null }, data: { usedAt: new Date() } });
}

/**
 * Issues a token of `purpose` for `userId`, ending that user's earlier unused ones (only the latest link works).
 * Answers the token itself, to be mailed.
 */
async function issueToken(tx: Tx, userId: string, purpose: TokenPurpose): Promise<string> {
  await revokeTokens(tx, userId, purpose);
  const token = randomBytes(32).toString("base64url");
  await tx.authToken.create({
    data: {
      userId,
      purpose,
      tokenHash: hashToken(token),
      expiresAt: new Date(Date.now() + TOKEN_LIFETIME_MS[purpose]),
    },
    select: { id: true },
  });
  return token;
}

/**
 * Uses a token: marks it used in the same statement that checks it is unused and unexpired, so two concurrent
 * uses cannot both succeed. Answers the user it belongs to, or null.
 */
async function consumeToken(tx: Tx, token: string, purpose: TokenPurpose): Promise<string | null> {
  const [row] = await tx.authToken.updateManyAndReturn({
    where: { tokenHash: hashToken(token), purpose, usedAt: null, expiresAt: { gt: new Date() } },
    data: { usedAt: new Date() },
    select: { userId: true },
  });
  return row?.userId ?? null;
}

/** Seconds until another mail of `purpose` may go to `userId` (0: now). */
async function mailWait(db: Database | Tx, userId: string, purpose: TokenPurpose): Promise<number> {
  const latest = await db.authToken.findFirst({
    where: { userId, purpose },
    orderBy: { createdAt: "desc" },
    select: { createdAt: true },
  });
  if (!latest) return 0;
  const elapsed = (Date.now() - latest.createdAt.getTime()) / 1000;
  return Math.max(0, Math.ceil(MAIL_INTERVAL_SECONDS - elapsed));
}

function appUrl(pathAndQuery: string): string {
  return `${(env.NEXTAUTH_URL ?? "http://localhost:3000").replace(/\/+$/, "")}${pathAndQuery}`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

async function mailVerification(db: Database, user: { id: string; email: string; fullName: string }, token: string) {
  const link = appUrl(`/verify-email?token=${encodeURIComponent(token)}`);
  await sendMail({
    db,
    to: user.email,
    subject: "Confirm your e-mail address for Vaporform",
    text: `Hello ${user.fullName},\n\nConfirm your e-mail address by opening this link (valid for 24 hours):\n\n${link}\n\nIf you did not create a Vaporform account, ignore this mail.\n`,
    html: `<p>Hello ${escapeHtml(user.fullName)},</p><p>Confirm your e-mail address by opening this link (valid for 24 hours):</p><p><a href="${escapeHtml(link)}">Confirm my e-mail address</a></p><p>If you did not create a Vaporform account, ignore this mail.</p>`,
    purpose: "verify_email",
    userId: user.id,
  });
}

async function mailPasswordReset(db: Database, user: { id: string; email: string; fullName: string }, token: string) {
  const link = appUrl(`/reset-password?token=${encodeURIComponent(token)}`);
  await sendMail({
    db,
    to: user.email,
    subject: "Reset your Vaporform password",
    text: `Hello ${user.fullName},\n\nChoose a new password by opening this link (valid for 1 hour, usable once):\n\n${link}\n\nIf you did not ask for this, ignore this mail: your password stays as it is.\n`,
    html: `<p>Hello ${escapeHtml(user.fullName)},</p><p>Choose a new password by opening this link (valid for 1 hour, usable once):</p><p><a href="${escapeHtml(link)}">Reset my password</a></p><p>If you did not ask for this, ignore this mail: your password stays as it is.</p>`,
    purpose: "reset_password",
    userId: user.id,
  });
}

const EMAIL_TAKEN = "An account with this e-mail address already exists. Sign in, or reset your password.";
const USERNAME_TAKEN = "This username is taken; choose another.";

// ---------------------------------------------------------------------------------------------------------------
// Sign-up and e-mail verification
// ---------------------------------------------------------------------------------------------------------------

/**
 * Creates an account and mails its verification link. Rate-limited per address (`ip`); a taken e-mail or
 * username answers CONFLICT with `data.field` naming it. The account may sign in at once.
 */
export async function registerUser(options: { db: Database; ip: string } & TRegisterInput) {
  const { db, email, username, fullName, password } = options;
  const { retryAfterSeconds, attemptId } = await startSignUp({ db, ip: options.ip });
  if (retryAfterSeconds > 0) {
    throw new AppError(
      "TOO_MANY_REQUESTS",
      `Too many sign-ups from your network. Try again in ${waitTime(retryAfterSeconds)}.`,
      { retryAfterSeconds },
    );
  }

  // Checked before hashing, for a clear answer without the cost; the unique indexes still decide under a race.
  const clash = await db.user.findFirst({
    where: { OR: [{ email }, { username }] },
    select: { email: true },
  });
  if (clash) {
    const field = clash.email.toLowerCase() === email.toLowerCase() ? "email" : "username";
    throw new AppError("CONFLICT", field === "email" ? EMAIL_TAKEN : USERNAME_TAKEN, { field });
  }

  const passwordHash = await hashPassword(password);
  let created: { user: { id: string; email: string; username: string; fullName: string }; token: string };
  try {
    created = await db.$transaction(async (tx) => {
      const user = await tx.user.create({
        data: { email, username, fullName, passwordHash },
        select: { id: true, email: true, username: true, fullName: true },
      });
      return { user, token: await issueToken(tx, user.id, "verify_email") };
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    const field = JSON.stringify(error.meta ?? {}).includes("email") ? "email" : "username";
    throw new AppError("CONFLICT", field === "email" ? EMAIL_TAKEN : USERNAME_TAKEN, { field });
  }

  await markAttemptSucceeded({ db, attemptId });
  await mailVerification(db, created.user, created.token);
  return { id: created.user.id, email: created.user.email, username: created.user.username };
}

/** Confirms the e-mail address of the token's user. Each link works once, within 24 hours. */
export async function verifyEmail(options: { db: Database; token: string }): Promise<{ verified: true }> {
  await options.db.$transaction(async (tx) => {
    const userId = await consumeToken(tx, options.token, "verify_email");
    if (!userId) throw new AppError("BAD_REQUEST", INVALID_VERIFY_LINK);
    await tx.user.update({
      where: { id: userId },
      data: { emailVerified: true, emailVerifiedAt: new Date() },
      select: { id: true },
    });
  });
  return { verified: true };
}

/**
 * Mails a new verification link to the signed-in user (earlier links stop working). At most one a minute;
 * nothing is sent once the address is confirmed.
 */
export async function resendVerification(options: {
  db: Database;
  userId: string;
}): Promise<{ sent: boolean; alreadyVerified: boolean }> {
  const { db, userId } = options;
  const user = await db.user.findUnique({
    where: { id: userId },
    select: { id: true, email: true, fullName: true, emailVerified: true },
  });
  if (!user) throw new AppError("NOT_FOUND", "Account not found.");
  if (user.emailVerified) return { sent: false, alreadyVerified: true };
  const wait = await mailWait(db, userId, "verify_email");
  if (wait > 0) {
    throw new AppError("TOO_MANY_REQUESTS", `We just sent a link. Try again in ${waitTime(wait)}.`, {
      retryAfterSeconds: wait,
    });
  }
  const token = await db.$transaction((tx) => issueToken(tx, userId, "verify_email"));
  await mailVerification(db, user, token);
  return { sent: true, alreadyVerified: false };
}

// ---------------------------------------------------------------------------------------------------------------
// Passwords
// ---------------------------------------------------------------------------------------------------------------

/**
 * Mails a reset link to the account with this e-mail address. Rate-limited per client address (TOO_MANY_REQUESTS
 * with `retryAfterSeconds`). Per requested address, at most RESET_ACCOUNT_LIMIT mails an hour, counted alike whether
 * or not an account has it: beyond that the request is answered as any other and sends nothing (never refused, or
 * strangers naming the address could keep its owner's requests out), while the link already mailed keeps working.
 * Everything that depends on the account (finding it, the link, the mail, which may wait on SMTP) happens after the
 * answer, so the answer is the same, in content and in time, whether or not there is one (nor whether it is
 * deactivated, or was mailed less than a minute ago, in which case nothing new is sent either).
 */
export async function requestPasswordReset(options: { db: Database; email: string; ip: string }): Promise<{ accepted: true }> {
  const { db, email } = options;
  const { retryAfterSeconds, mayMail } = await startPasswordReset({ db, ip: options.ip, accountKey: email });
  if (retryAfterSeconds > 0) {
    throw new AppError("TOO_MANY_REQUESTS", `Too many reset requests. Try again in ${waitTime(retryAfterSeconds)}.`, {
      retryAfterSeconds,
    });
  }
  if (mayMail) afterResponse("password reset mail", () => mailResetLink(db, email));
  return { accepted: true };
}

async function mailResetLink(db: Database, email: string): Promise<void> {
  const user = await db.user.findUnique({
    where: { email },
    select: { id: true, email: true, fullName: true, isActive: true },
  });
  if (!user || user.isActive === false) return;
  const token = await db.$transaction(async (tx) => {
    // One request at a time per account: two a moment apart must not both see "nothing sent yet".
    await tx.$queryRaw`SELECT 1 AS locked FROM users WHERE id = ${user.id}::uuid FOR UPDATE`;
    if ((await mailWait(tx, user.id, "reset_password")) > 0) return null;
    return issueToken(tx, user.id, "reset_password");
  });
  if (token) await mailPasswordReset(db, user, token);
}

/**
 * Sets a new password with a reset link (once, within the hour). Ends every open session of the account, and
 * confirms its e-mail address (the link proved the user reads it).
 */
export async function resetPassword(options: { db: Database; token: string; password: string }): Promise<{ reset: true }> {
  const { db, token } = options;
  // A cheap look first, so a made-up token costs no password hash; the transaction below decides.
  const valid = await db.authToken.findFirst({
    where: { tokenHash: hashToken(token), purpose: "reset_password", usedAt: null, expiresAt: { gt: new Date() } },
    select: { id: true },
  });
  if (!valid) throw new AppError("BAD_REQUEST", INVALID_RESET_LINK);
  const passwordHash = await hashPassword(options.password);

  await db.$transaction(async (tx) => {
    const userId = await consumeToken(tx, token, "reset_password");
    if (!userId) throw new AppError("BAD_REQUEST", INVALID_RESET_LINK);
    const user = await tx.user.findUniqueOrThrow({ where: { id: userId }, select: { emailVerifiedAt: true } });
    await tx.user.update({
      where: { id: userId },
      data: {
        passwordHash,
        sessionVersion: { increment: 1 },
        emailVerified: true,
        emailVerifiedAt: user.emailVerifiedAt ?? new Date(),
      },
      select: { id: true },
    });
    await revokeTokens(tx, userId, "reset_password");
  });
  return { reset: true };
}

/**
 * Changes the signed-in user's password after checking the current one (rate-limited like a sign-in, so a stolen
 * session cannot guess it; `deviceCookie` as for a sign-in). Ends every other session and revokes open reset links:
 * answers the new session version, which the caller's own session must adopt to stay signed in.
 */
export async function changePassword(
  options: { db: Database; userId: string; ip: string; deviceCookie?: string } & TChangePasswordInput,
): Promise<{ sessionVersion: number }> {
  const { db, userId } = options;
  const user = await db.user.findUnique({
    where: { id: userId },
    select: { email: true, passwordHash: true, sessionVersion: true },
  });
  if (!user) throw new AppError("NOT_FOUND", "Account not found.");
  if (!user.passwordHash) {
    throw new AppError("BAD_REQUEST", "This account has no password yet. Use “Forgot password” to set one.");
  }
  if (options.currentPassword === options.newPassword) {
    throw new AppError("BAD_REQUEST", "Choose a new password different from the current one.", { field: "newPassword" });
  }

  const { retryAfterSeconds, attemptId } = await startSignIn({
    db,
    accountKey: user.email,
    ip: options.ip,
    deviceId: trustedDeviceId(options.deviceCookie, userId, user.sessionVersion),
  });
  if (retryAfterSeconds > 0) {
    throw new AppError("TOO_MANY_REQUESTS", `Too many attempts. Try again in ${waitTime(retryAfterSeconds)}.`, {
      retryAfterSeconds,
    });
  }
  if (!(await verifyPassword(user.passwordHash, options.currentPassword))) {
    throw new AppError("BAD_REQUEST", "Your current password is wrong.", { field: "currentPassword" });
  }
  await markAttemptSucceeded({ db, attemptId });

  const passwordHash = await hashPassword(options.newPassword);
  return db.$transaction(async (tx) => {
    const updated = await tx.user.update({
      where: { id: userId },
      data: { passwordHash, sessionVersion: { increment: 1 } },
      select: { sessionVersion: true },
    });
    // A link mailed before would otherwise undo the change (say, one an attacker asked for).
    await revokeTokens(tx, userId, "reset_password");
    return { sessionVersion: updated.sessionVersion };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Profile and preferences
// ---------------------------------------------------------------------------------------------------------------

/** The signed-in user's own account: profile, preferences, and what the settings pages show. */
export async function getMe(options: { db: Database; userId: string }) {
  const user = await options.db.user.findUnique({
    where: { id: options.userId },
    select: {
      id: true,
      email: true,
      username: true,
      fullName: true,
      avatarUrl: true,
      bio: true,
      location: true,
      websiteUrl: true,
      githubUsername: true,
      role: true,
      emailVerified: true,
      isPremium: true,
      passwordHash: true,
      preferences: true,
      createdAt: true,
      lastLoginAt: true,
      _count: { select: { oauthAccounts: true } },
    },
  });
  if (!user) throw new AppError("NOT_FOUND", "Account not found.");
  const { passwordHash, preferences, _count, ...rest } = user;
  return {
    ...rest,
    role: user.role === "admin" ? ("admin" as const) : ("user" as const),
    emailVerified: user.emailVerified === true,
    isPremium: user.isPremium === true,
    /** Shown in place of a picture when avatarUrl is null. */
    initials: avatarInitials(user.fullName),
    /** False for an account made through GitHub that never set one (changing it then needs a reset link). */
    hasPassword: passwordHash !== null,
    /** Whether a GitHub identity signs in to this account. */
    githubLinked: _count.oauthAccounts > 0,
    preferences: readPreferences(preferences),
  };
}

/** Updates the profile: a field left out stays as it is, null clears it. Answers the account as getMe does. */
export async function updateProfile(options: { db: Database; userId: string } & TUpdateProfileInput) {
  const { db, userId, fullName, avatarUrl, bio, location, websiteUrl, githubUsername } = options;
  await db.user.update({
    where: { id: userId },
    data: { fullName, avatarUrl, bio, location, websiteUrl, githubUsername },
    select: { id: true },
  });
  return getMe({ db, userId });
}

/**
 * Changes some preferences, leaving the others (merged in the database, so two tabs saving different fields do not
 * undo each other). Answers all of them.
 */
export async function updatePreferences(options: {
  db: Database;
  userId: string;
  preferences: TUpdatePreferencesInput;
}): Promise<TPreferences> {
  const [row] = await options.db.$queryRaw<{ preferences: unknown }[]>`
    UPDATE users
       SET preferences = CASE WHEN jsonb_typeof(preferences) = 'object' THEN preferences ELSE '{}'::jsonb END
                         || ${JSON.stringify(options.preferences)}::jsonb
     WHERE id = ${options.userId}::uuid
    RETURNING preferences`;
  if (!row) throw new AppError("NOT_FOUND", "Account not found.");
  return readPreferences(row.preferences);
}
