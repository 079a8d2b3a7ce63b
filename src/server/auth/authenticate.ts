import type { Database } from "~/server/db/client";
import { waitTime } from "~/lib/format";
import { AppError } from "~/server/errors";
import { renewDeviceCookie, trustedDeviceId } from "./device";
import { verifyPassword } from "./password";
import { markAttemptSucceeded, startSignIn } from "./rate-limit";

export interface AuthenticatedUser {
  id: string;
  role: "user" | "admin";
  sessionVersion: number;
}

export interface SignedInUser extends AuthenticatedUser {
  /** The browser's device cookie after this sign-in (src/server/auth/device.ts): set it on the response. */
  deviceCookie: string;
}

/** One message for an unknown account and a wrong password, so the answer never tells which. */
export const WRONG_CREDENTIALS = "Wrong e-mail, username or password.";

/** The identifier as the lookup and the rate limit see it: NFKC and lower case, as usernames are stored. */
function normalizeIdentifier(identifier: string): string {
  return identifier.trim().normalize("NFKC").toLowerCase();
}

/**
 * Checks an e-mail-or-username and password (the next-auth credentials provider calls this).
 *
 * Unknown account and wrong password fail alike, in message and in timing (a dummy hash is verified when there is
 * no account), and both are rate-limited alike (an unknown identifier is its own account key). Limits are checked
 * before any hashing; a rate-limited try answers TOO_MANY_REQUESTS with `retryAfterSeconds`. A deactivated account
 * is told so only once its password matched. An unverified e-mail may sign in.
 *
 * `deviceCookie` is the browser's device cookie: with a valid token for this account, the attempt is judged by that
 * browser's own failures only (see rate-limit.ts). A successful sign-in answers the cookie's renewed value.
 */
export async function authenticate(options: {
  db: Database;
  identifier: string;
  password: string;
  ip: string;
  deviceCookie?: string;
}): Promise<SignedInUser> {
  const { db, password, ip } = options;
  const identifier = normalizeIdentifier(options.identifier);
  const user = await db.user.findFirst({
    where: identifier.includes("@") ? { email: identifier } : { username: identifier },
    select: { id: true, email: true, role: true, passwordHash: true, isActive: true, sessionVersion: true },
  });

  const deviceId = user ? trustedDeviceId(options.deviceCookie, user.id, user.sessionVersion) : null;
  const { retryAfterSeconds, attemptId } = await startSignIn({
    db,
    accountKey: user?.email ?? identifier,
    ip,
    deviceId,
  });
  if (retryAfterSeconds > 0) {
    throw new AppError("TOO_MANY_REQUESTS", `Too many sign-in attempts. Try again in ${waitTime(retryAfterSeconds)}.`, {
      retryAfterSeconds,
    });
  }

  const matches = await verifyPassword(user?.passwordHash, password);
  if (!user || !matches) throw new AppError("UNAUTHORIZED", WRONG_CREDENTIALS);

  await markAttemptSucceeded({ db, attemptId });
  if (!user.isActive) {
    throw new AppError("FORBIDDEN", "This account is deactivated. Contact an administrator.");
  }
  await db.user.update({ where: { id: user.id }, data: { lastLoginAt: new Date() }, select: { id: true } });
  return {
    id: user.id,
    role: user.role === "admin" ? "admin" : "user",
    sessionVersion: user.sessionVersion,
    deviceCookie: renewDeviceCookie(options.deviceCookie, user.id, user.sessionVersion),
  };
}
