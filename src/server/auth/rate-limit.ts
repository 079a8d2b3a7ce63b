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
 * - sign-up: SIGNUP_LIMIT (5) attempts per address per SIGNUP_WINDOW_SECONDS (1 h), successful or not (a refused
 *   duplicate counts too, which bounds e-mail probing through the sign-up form).
 *
 * A refused (rate-limited) try is not recorded, so hammering during a wait does not lengthen it, and it costs no
 * password hash. Attempts are reserved under a per-key advisory lock before the password is checked, so a burst of
 * parallel requests cannot all slip through one free slot.
 */
import type { Database } from "~/server/db/client";

export const SIGNIN_WINDOW_SECONDS = 15 * 60;
export const ACCOUNT_FREE_FAILURES = 5;
export const IP_FREE_FAILURES = 20;
export const MAX_BACKOFF_SECONDS = 15 * 60;
export const SIGNUP_WINDOW_SECONDS = 60 * 60;
export const SIGNUP_LIMIT = 5;
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

async function accountFailures(db: Tx | Database, accountKey: string): Promise<FailureState> {
  const [row] = await db.$queryRaw<{ failures: number; since_latest: number | null }[]>`
    SELECT count(*)::int AS failures,
           EXTRACT(EPOCH FROM now() - max(created_at))::float8 AS since_latest
      FROM auth_attempts
     WHERE kind = 'signin' AND account_key = ${accountKey}::citext AND NOT succeeded
       AND created_at > GREATEST(
             now() - ${SIGNIN_WINDOW_SECONDS}::int * interval '1 second',
             (SELECT max(created_at) FROM auth_attempts
               WHERE kind = 'signin' AND account_key = ${accountKey}::citext AND succeeded
                 AND created_at > now() - ${SIGNIN_WINDOW_SECONDS}::int * interval '1 second'))`;
  return { failures: row?.failures ?? 0, sinceLatest: row?.since_latest ?? null };
}

async function addressFailures(db: Tx | Database, ip: string): Promise<FailureState> {
  const [row] = await db.$queryRaw<{ failures: number; since_latest: number | null }[]>`
    SELECT count(*)::int AS failures,
           EXTRACT(EPOCH FROM now() - max(created_at))::float8 AS since_latest
      FROM auth_attempts
     WHERE kind = 'signin' AND ip_address = ${ip} AND NOT succeeded
       AND created_at > now() - ${SIGNIN_WINDOW_SECONDS}::int * interval '1 second'`;
  return { failures: row?.failures ?? 0, sinceLatest: row?.since_latest ?? null };
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
 */
export async function startSignIn(options: {
  db: Database;
  accountKey: string;
  ip: string;
}): Promise<{ retryAfterSeconds: number; attemptId: bigint | null }> {
  const ip = addressKey(options.ip);
  const result = await options.db.$transaction(async (tx) => {
    // Always account before address, so two requests never wait on each other's second lock.
    await lock(tx, `signin:account:${options.accountKey.toLowerCase()}`);
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
    const [row] = await tx.$queryRaw<{ attempts: number; until_oldest_expires: number | null }[]>`
      SELECT count(*)::int AS attempts,
             EXTRACT(EPOCH FROM min(created_at) + ${SIGNUP_WINDOW_SECONDS}::int * interval '1 second' - now())::float8
               AS until_oldest_expires
        FROM auth_attempts
       WHERE kind = 'signup' AND ip_address = ${ip}
         AND created_at > now() - ${SIGNUP_WINDOW_SECONDS}::int * interval '1 second'`;
    if ((row?.attempts ?? 0) >= SIGNUP_LIMIT) {
      const wait = Math.max(1, Math.ceil(row?.until_oldest_expires ?? SIGNUP_WINDOW_SECONDS));
      return { retryAfterSeconds: wait, attemptId: null };
    }
    const [inserted] = await tx.$queryRaw<{ id: bigint }[]>`
      INSERT INTO auth_attempts (kind, account_key, ip_address, succeeded) VALUES ('signup', NULL, ${ip}, false)
      RETURNING id`;
    return { retryAfterSeconds: 0, attemptId: inserted?.id ?? null };
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
