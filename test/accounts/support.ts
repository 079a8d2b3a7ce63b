import { randomBytes } from "node:crypto";
import { createCaller } from "~/server/api/root";
import { createTRPCContext } from "~/server/api/trpc";
import { hashPassword } from "~/server/auth/password";
import type { Session } from "~/server/auth/session";
import { loadSessionUser } from "~/server/auth/session-user";
import { settleAfterResponse } from "~/server/after-response";
import { decryptSecret } from "~/server/crypto";
import { db } from "~/server/db/client";
import { pool } from "../db";

export { db, pool };

export const PASSWORD = "correct horse battery staple";

/** Hashing costs ~50 ms: one hash of PASSWORD per test file, shared by the users made with SQL. */
let passwordHash: Promise<string> | undefined;

export function tag(): string {
  return randomBytes(4).toString("hex");
}

/** A fresh client address (documentation range), so rate limits of one test never touch another's. */
export function freshIp(): string {
  return `2001:db8::${randomBytes(2).toString("hex")}:${randomBytes(2).toString("hex")}`;
}

export interface TestUser {
  id: string;
  email: string;
  username: string;
}

/** A user whose password is PASSWORD, made with SQL (no sign-up limit, no mail). */
export async function makeUser(
  options: { role?: "user" | "admin"; isActive?: boolean; fullName?: string; emailVerified?: boolean } = {},
): Promise<TestUser> {
  const t = tag();
  const { rows } = await pool.query<TestUser>(
    `INSERT INTO users (email, username, full_name, password_hash, role, is_active, email_verified)
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id, email::text, username::text`,
    [
      `user-${t}@example.com`,
      `user-${t}`,
      options.fullName ?? `Test User ${t}`,
      await (passwordHash ??= hashPassword(PASSWORD)),
      options.role ?? "user",
      options.isActive ?? true,
      options.emailVerified ?? false,
    ],
  );
  return rows[0]!;
}

/** The session a signed-in request of `userId` would carry (as the lead's getSession builds it). */
export async function sessionOf(userId: string): Promise<Session> {
  const { rows } = await pool.query<{ session_version: number }>("SELECT session_version FROM users WHERE id = $1", [
    userId,
  ]);
  const user = await loadSessionUser({ db, userId, sessionVersion: rows[0]?.session_version ?? 0 });
  if (!user) throw new Error(`user ${userId} cannot have a session`);
  return { user };
}

export async function callerFor(session: Session | null, ip = freshIp()) {
  return createCaller(await createTRPCContext({ headers: new Headers(), session, ip }));
}

export { trpcError } from "../support/trpc";

/** The link token of the latest mail of `purpose` to `email` (bodies are stored encrypted with the app's key). */
export async function tokenFromMail(email: string, purpose: "verify_email" | "reset_password"): Promise<string> {
  await settleAfterResponse();
  const { rows } = await pool.query<{ text_body: string }>(
    `SELECT text_body FROM mail_outbox WHERE to_address = $1 AND purpose = $2 ORDER BY created_at DESC LIMIT 1`,
    [email, purpose],
  );
  const match = /token=([A-Za-z0-9_-]{43})/.exec(rows[0] ? decryptSecret(rows[0].text_body) : "");
  if (!match?.[1]) throw new Error(`no ${purpose} mail to ${email}`);
  return match[1];
}

/** Counts the rows of a query, once the work started after earlier answers (mail) is done. */
export async function countRows(sql: string, values: unknown[] = []): Promise<number> {
  await settleAfterResponse();
  const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM (${sql}) AS q`, values);
  return rows[0]?.n ?? 0;
}
