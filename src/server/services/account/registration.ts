/** Sign-up and e-mail verification. */
import { type TRegisterInput } from "~/lib/schemas/account";
import { hashPassword } from "~/server/auth/password";
import { markAttemptSucceeded, startSignUp } from "~/server/auth/rate-limit";
import type { Database } from "~/server/db/client";
import { isUniqueViolation } from "~/server/db/errors";
import { waitTime } from "~/lib/format";
import { AppError } from "~/server/errors";
import { consumeToken, issueToken, mailVerification, mailWait } from "./tokens";

const EMAIL_TAKEN = "An account with this e-mail address already exists. Sign in, or reset your password.";
const USERNAME_TAKEN = "This username is taken; choose another.";
const INVALID_VERIFY_LINK = "This confirmation link is invalid, used or expired. Ask for a new one.";

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
