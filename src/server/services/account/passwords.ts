/** Passwords: reset by mail, and change while signed in. */
import type { TChangePasswordInput } from "~/lib/schemas/account";
import { hashPassword, verifyPassword } from "~/server/auth/password";
import { trustedDeviceId } from "~/server/auth/device";
import { markAttemptSucceeded, startPasswordReset, startSignIn } from "~/server/auth/rate-limit";
import { afterResponse } from "~/server/after-response";
import type { Database } from "~/server/db/client";
import { waitTime } from "~/lib/format";
import { AppError } from "~/server/errors";
import { consumeToken, hashToken, issueToken, mailPasswordReset, mailWait, revokeTokens } from "./tokens";

const INVALID_RESET_LINK = "This reset link is invalid, used or expired. Ask for a new one.";

/**
 * Mails a reset link to the account with this e-mail address. Rate-limited per client address (TOO_MANY_REQUESTS
 * with `retryAfterSeconds`). Per requested address, at most RESET_ACCOUNT_LIMIT mails an hour, counted alike whether
 * or not an account has it: beyond that the request is answered as any other and sends nothing (never refused, or
 * strangers naming the address could keep its owner's requests out), while the link already mailed keeps working.
 * Everything that depends on the account (finding it, the link, the mail, which may wait on SMTP) happens after the
 * answer, so the answer is the same, in content and in time, whether or not there is one (nor whether it is
 * deactivated, or was mailed less than a minute ago, in which case nothing new is sent either).
 */
export async function requestPasswordReset(options: {
  db: Database;
  email: string;
  ip: string;
}): Promise<{ accepted: true }> {
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
  if (!user || !user.isActive) return;
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
export async function resetPassword(options: {
  db: Database;
  token: string;
  password: string;
}): Promise<{ reset: true }> {
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
    throw new AppError("BAD_REQUEST", "Choose a new password different from the current one.", {
      field: "newPassword",
    });
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
