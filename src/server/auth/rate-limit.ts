/**
 * Rate limits of sign-in and sign-up, kept in PostgreSQL (`auth_attempts`) so they hold across processes and
 * restarts. Sign-in uses exponential back-off over a sliding window, never a permanent lock: the owner of an
 * attacked account waits at most MAX_BACKOFF_SECONDS after the latest failure, and old failures age out.
 *
 * Policy:
 * - per account: once ACCOUNT_FREE_FAILURES (5) failures fall within SIGNIN_WINDOW_SECONDS (15 min) since the last
 *   success, the next try must wait 2^(failures - 5) s after the latest failure, capped at 15 min;
 * - per address: the same back-off after IP_FREE_FAILURES (20) failures within the window (successes do not reset
 *   it: one address trying many accounts must not clear its record by signing in to its own);
 * - per device: an attempt with a valid device token of the account (src/server/auth/device.ts) is judged by that
 *   device's own failures only (the same back-off after DEVICE_FREE_FAILURES), and its failures count neither
 *   against the account nor the address: whatever strangers try, the owner's browser is not slowed. Each token is
 *   worth free guesses, and whoever knows the password can sign in again and again to collect tokens, so once
 *   MAX_GUESSING_DEVICES other devices have failed on the account within the window, a further device is judged
 *   (and counted) as a browser without a token: many tokens guess no faster than MAX_GUESSING_DEVICES of them;
 * - sign-up: SIGNUP_LIMIT (5) attempts per address per SIGNUP_WINDOW_SECONDS (1 h), successful or not (a refused
 *   duplicate counts too, which bounds e-mail probing through the sign-up form);
 * - password-reset requests: RESET_ADDRESS_LIMIT (10) per address per RESET_WINDOW_SECONDS (1 h), refused beyond it;
 *   and RESET_ACCOUNT_LIMIT (3) mails per requested e-mail address per window: beyond it the request is still
 *   accepted, alike, but sends nothing. Anyone can name anyone's address, so that limit must never refuse: refusing
 *   would let strangers keep the owner's own requests out, and would tell whether an address was asked about. Only
 *   requests that may mail count against it, so strangers cannot keep it full beyond the mails they make us send,
 *   each of which holds a working link for the owner.
 *
 * A refused (rate-limited) try is not recorded, so hammering during a wait does not lengthen it, and it costs no
 * password hash. Attempts are reserved under a per-key advisory lock before the password is checked, so a burst of
 * parallel requests cannot all slip through one free slot.
 */
import { Prisma } from "~/generated/prisma/client";
import type { Database } from "~/server/db/client";

export const SIGNIN_WINDOW_SECONDS = 15 * 60;
export const ACCOUNT_FREE_FAILURES = 5;
export const IP_FREE_FAILURES = 20;
export const MAX_BACKOFF_SECONDS = 15 * 60;
export const SIGNUP_WINDOW_SECONDS = 60 * 60;
export const SIGNUP_LIMIT = 5;
export const DEVICE_FREE_FAILURES = 5;
/** Devices of one account that may each guess on their own budget within the window: more than an owner's browsers. */
export const MAX_GUESSING_DEVICES = 5;
export const RESET_WINDOW_SECONDS = 60 * 60;
export const RESET_ADDRESS_LIMIT = 10;
export const RESET_ACCOUNT_LIMIT = 3;
/** Rows older than this serve no limit and are pruned. */
const RETENTION_SECONDS = 24 * 60 * 60;
/** First key of the two-key advisory locks taken here ("vfrl"), apart from every other lock of the app. */
const LOCK_CLASS = 0x7666726c;

type Tx = Parameters<Parameters<Database["$transaction"]>[0]>[0];

/** Seconds to wait after the latest failure, given `failures` within the window and the number allowed free. */
export function backoffSeconds(failures: number, freeFailures: number): number {
  if (failures < freeFailures) return 0;
  return Math.min(2 ** (failures - freeFailures), MAX_BACKOFF_SECONDS);
}

interface FailureState {
  failures: number;
  /** Seconds since the latest failure (database clock). */
  sinceLatest: number | null;
}

function retryAfter(state: FailureState, freeFailures: number): number {
  const wait = backoffSeconds(state.failures, freeFailures);
  if (wait === 0 || state.sinceLatest === null) return 0;
  return Math.max(0, Math.ceil(wait - state.sinceLatest));
}

/** Failed sign-ins within the window that match `where`, and how long ago the latest was. */
async function failures(db: Tx | Database, where: Prisma.Sql): Promise<FailureState> {
  const [row] = await db.$queryRaw<{ failures: number; since_latest: number | null }[]>`
    SELECT count(*)::int AS failures,
           EXTRACT(EPOCH FROM now() - max(created_at))::float8 AS since_latest
      FROM auth_attempts
     WHERE kind = 'signin' AND NOT succeeded AND ${where}
       AND created_at > now() - ${SIGNIN_WINDOW_SECONDS}::int * interval '1 second'`;
  return { failures: row?.failures ?? 0, sinceLatest: row?.since_latest ?? null };
}

/** The account's failures from browsers without its device token, since its latest such success. */
function accountFailures(db: Tx | Database, accountKey: string): Promise<FailureState> {
  return failures(
    db,
    Prisma.sql`account_key = ${accountKey}::citext AND device_id IS NULL
      AND created_at > COALESCE((SELECT max(created_at) FROM auth_attempts
                                  WHERE kind = 'signin' AND account_key = ${accountKey}::citext AND succeeded
                                    AND device_id IS NULL), '-infinity')`,
  );
}

/** The address's failures from browsers without a device token. */
function addressFailures(db: Tx | Database, ip: string): Promise<FailureState> {
  return failures(db, Prisma.sql`ip_address = ${ip} AND device_id IS NULL`);
}

/** A device's failures (its token is renewed at each success, so all of them count). */
function deviceFailures(db: Tx | Database, deviceId: string): Promise<FailureState> {
  return failures(db, Prisma.sql`device_id = ${deviceId}`);
}

/** How many devices other than `deviceId` failed to sign in to the account within the window. */
async function otherFailingDevices(db: Tx | Database, accountKey: string, deviceId: string): Promise<number> {
  const [row] = await db.$queryRaw<{ devices: number }[]>`
    SELECT count(DISTINCT device_id)::int AS devices
      FROM auth_attempts
     WHERE kind = 'signin' AND NOT succeeded AND account_key = ${accountKey}::citext
       AND device_id IS NOT NULL AND device_id <> ${deviceId}
       AND created_at > now() - ${SIGNIN_WINDOW_SECONDS}::int * interval '1 second'`;
  return row?.devices ?? 0;
}

async function lock(tx: Tx, key: string): Promise<void> {
  await tx.$queryRaw`SELECT 1 AS locked FROM pg_advisory_xact_lock(${LOCK_CLASS}::int, hashtext(${key}))`;
}

/** Addresses longer than the column (a forged header) are cut: the limit still applies to the prefix. */
function addressKey(ip: string): string {
  return ip.slice(0, 64);
}

/**
 * Checks the limits and, when allowed, records the attempt as a failure before the password is checked (a crash
 * mid-check then counts against the caller, as it should). Call `markAttemptSucceeded` once the password matched.
 * `deviceId`: the id of the caller's valid device token for this account, if it has one.
 */
export async function startSignIn(options: {
  db: Database;
  accountKey: string;
  ip: string;
  deviceId?: string | null;
}): Promise<{ retryAfterSeconds: number; attemptId: bigint | null }> {
  const ip = addressKey(options.ip);
  const result = await options.db.$transaction(async (tx) => {
    // Always account first, then device or address, so two requests never wait on each other's second lock.
    await lock(tx, `signin:account:${options.accountKey.toLowerCase()}`);
    const deviceId =
      options.deviceId && (await otherFailingDevices(tx, options.accountKey, options.deviceId)) < MAX_GUESSING_DEVICES
        ? options.deviceId
        : null;
    if (deviceId) {
      await lock(tx, `signin:device:${deviceId}`);
      const wait = retryAfter(await deviceFailures(tx, deviceId), DEVICE_FREE_FAILURES);
      if (wait > 0) return { retryAfterSeconds: wait, attemptId: null };
      const [row] = await tx.$queryRaw<{ id: bigint }[]>`
        INSERT INTO auth_attempts (kind, account_key, ip_address, succeeded, device_id)
        VALUES ('signin', ${options.accountKey}::citext, ${ip}, false, ${deviceId}) RETURNING id`;
      return { retryAfterSeconds: 0, attemptId: row?.id ?? null };
    }
    await lock(tx, `signin:ip:${ip}`);
    const [account, address] = [await accountFailures(tx, options.accountKey), await addressFailures(tx, ip)];
    const wait = Math.max(retryAfter(account, ACCOUNT_FREE_FAILURES), retryAfter(address, IP_FREE_FAILURES));
    if (wait > 0) return { retryAfterSeconds: wait, attemptId: null };
    const [row] = await tx.$queryRaw<{ id: bigint }[]>`
      INSERT INTO auth_attempts (kind, account_key, ip_address, succeeded)
      VALUES ('signin', ${options.accountKey}::citext, ${ip}, false) RETURNING id`;
    return { retryAfterSeconds: 0, attemptId: row?.id ?? null };
  });
  await pruneOccasionally(options.db);
  return result;
}

/**
 * Marks a reserved attempt as successful: for a sign-in this resets the account's failure count; for a sign-up it
 * only tells a created account from a refused one (both count against the limit).
 */
export async function markAttemptSucceeded(options: { db: Database; attemptId: bigint | null }): Promise<void> {
  if (options.attemptId === null) return;
  await options.db.$executeRaw`UPDATE auth_attempts SET succeeded = true WHERE id = ${options.attemptId}`;
}

/**
 * Seconds until `kind` attempts by this address or account key fall under `limit` within `windowSeconds` (0: now).
 * Every attempt counts, allowed or not, so the limit is a fixed budget per window.
 */
async function windowWait(
  tx: Tx,
  kind: "signup" | "reset",
  by: { ip: string } | { accountKey: string },
  limit: number,
  windowSeconds: number,
): Promise<number> {
  const match = "ip" in by ? Prisma.sql`ip_address = ${by.ip}` : Prisma.sql`account_key = ${by.accountKey}::citext`;
  const [row] = await tx.$queryRaw<{ attempts: number; until_oldest_expires: number | null }[]>`
    SELECT count(*)::int AS attempts,
           EXTRACT(EPOCH FROM min(created_at) + ${windowSeconds}::int * interval '1 second' - now())::float8
             AS until_oldest_expires
      FROM auth_attempts
     WHERE kind = ${kind} AND ${match} AND created_at > now() - ${windowSeconds}::int * interval '1 second'`;
  if ((row?.attempts ?? 0) < limit) return 0;
  return Math.max(1, Math.ceil(row?.until_oldest_expires ?? windowSeconds));
}

/**
 * Checks the sign-up limit of `ip` and, when allowed, records the attempt (every attempt counts, see above).
 * Answers the seconds to wait (0: recorded and allowed); `markAttemptSucceeded` once the account exists.
 */
export async function startSignUp(options: {
  db: Database;
  ip: string;
}): Promise<{ retryAfterSeconds: number; attemptId: bigint | null }> {
  const ip = addressKey(options.ip);
  return options.db.$transaction(async (tx) => {
    await lock(tx, `signup:ip:${ip}`);
    const wait = await windowWait(tx, "signup", { ip }, SIGNUP_LIMIT, SIGNUP_WINDOW_SECONDS);
    if (wait > 0) return { retryAfterSeconds: wait, attemptId: null };
    const [inserted] = await tx.$queryRaw<{ id: bigint }[]>`
      INSERT INTO auth_attempts (kind, account_key, ip_address, succeeded) VALUES ('signup', NULL, ${ip}, false)
      RETURNING id`;
    return { retryAfterSeconds: 0, attemptId: inserted?.id ?? null };
  });
}

/**
 * Checks the password-reset limits of `ip` and of the requested address `accountKey` (whether or not an account
 * has it) and, unless the address is refused, records the request. Answers the seconds the address must wait (0:
 * accepted) and whether a mail may go to `accountKey` (false once it had RESET_ACCOUNT_LIMIT within the window).
 */
export async function startPasswordReset(options: {
  db: Database;
  ip: string;
  accountKey: string;
}): Promise<{ retryAfterSeconds: number; mayMail: boolean }> {
  const ip = addressKey(options.ip);
  return options.db.$transaction(async (tx) => {
    // Account before address, as for sign-in.
    await lock(tx, `reset:account:${options.accountKey.toLowerCase()}`);
    await lock(tx, `reset:ip:${ip}`);
    const retryAfterSeconds = await windowWait(tx, "reset", { ip }, RESET_ADDRESS_LIMIT, RESET_WINDOW_SECONDS);
    if (retryAfterSeconds > 0) return { retryAfterSeconds, mayMail: false };
    const { accountKey } = options;
    const mayMail = (await windowWait(tx, "reset", { accountKey }, RESET_ACCOUNT_LIMIT, RESET_WINDOW_SECONDS)) === 0;
    // A request that may not mail counts against the address only.
    await tx.$executeRaw`
      INSERT INTO auth_attempts (kind, account_key, ip_address, succeeded)
      VALUES ('reset', ${mayMail ? accountKey : null}::citext, ${ip}, true)`;
    return { retryAfterSeconds: 0, mayMail };
  });
}

/** Deletes attempts older than a day: no limit reads them. */
export async function pruneAuthAttempts(options: { db: Database }): Promise<number> {
  return options.db.$executeRaw`
    DELETE FROM auth_attempts WHERE created_at < now() - ${RETENTION_SECONDS}::int * interval '1 second'`;
}

/** About one sign-in in a hundred prunes, so the table stays small without a scheduled job. */
async function pruneOccasionally(db: Database): Promise<void> {
  if (Math.random() < 0.01) await pruneAuthAttempts({ db }).catch(() => undefined);
}
