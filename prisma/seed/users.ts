/** 1. Users: the admin and the demo user, and the lines that tell a newcomer how to sign in as them. */
import type pg from "pg";
import { env } from "~/env";
import { hashPassword } from "~/server/auth/password";
import type { DemoOwner } from "./demo-content";
import { DAY_MS, seedUuid } from "./helpers";

export interface SeedCredential {
  email: string;
  username: string;
  role: "admin" | "user";
  password: string;
  /** false: the user existed already and its password was left alone (it may differ from `password`). */
  created: boolean;
}

export interface SeedUsersOptions {
  /** Used only when the admin is missing (or still on the old default address); defaults to SEED_ADMIN_EMAIL. */
  adminEmail?: string;
  /** Only used when the admin does not exist yet. The CLIs pass a generated one (passwords.ts); tests may omit it. */
  adminPassword?: string;
  /** Defaults to `vaporform-demo`. Only used when the demo user does not exist yet. */
  demoPassword?: string;
}

/**
 * The admin's address before SEED_ADMIN_EMAIL: on a real domain, whose owner could receive the admin's reset mail.
 * An admin still using it is moved to the configured address.
 */
export const LEGACY_ADMIN_EMAIL = "admin@vaporform.dev";

interface UserSpec {
  key: DemoOwner;
  email: string;
  /** An address the existing user is moved off (to `email`). */
  replacesEmail?: string;
  username: string;
  fullName: string;
  role: "admin" | "user";
  password: string;
  bio: string;
  createdAt: Date;
}

/** The admin and the demo user, created when missing (their passwords hashed by the app's own hashPassword). */
export async function ensureSeedUsers(db: pg.Pool, options: SeedUsersOptions, now: Date) {
  const admin = await ensureUser(db, {
    key: "admin",
    email: options.adminEmail ?? env.SEED_ADMIN_EMAIL,
    replacesEmail: LEGACY_ADMIN_EMAIL,
    username: "admin",
    fullName: "Vaporform Admin",
    role: "admin",
    password: options.adminPassword ?? "vaporform-admin",
    bio: "Runs this Vaporform install.",
    createdAt: new Date(now.getTime() - 75 * DAY_MS),
  });
  const demo = await ensureUser(db, {
    key: "demo",
    email: "demo@vaporform.dev",
    username: "demo",
    fullName: "Alex Rivera",
    role: "user",
    password: options.demoPassword ?? "vaporform-demo",
    bio: "Frontend developer trying Vaporform.",
    createdAt: new Date(now.getTime() - 70 * DAY_MS),
  });
  return { admin, demo };
}

/** The lines that tell a newcomer how to sign in. */
export function describeCredentials(credentials: SeedCredential[]): string[] {
  return credentials.map((credential) => {
    const password = credential.created ? credential.password : `${credential.password} (unless changed since)`;
    return `${credential.role.padEnd(5)}  ${credential.email.padEnd(20)}  ${password}`;
  });
}

async function ensureUser(db: pg.Pool, spec: UserSpec) {
  const credential = (created: boolean, email = spec.email): SeedCredential => ({
    email,
    username: spec.username,
    role: spec.role,
    password: spec.password,
    created,
  });
  // The seeded user by its id first: its address may differ from today's setting.
  const existing = await db.query<{ id: string; email: string }>(
    "SELECT id, email::text FROM users WHERE id = $1 OR email = $2 ORDER BY id = $1 DESC LIMIT 1",
    [seedUuid(`user:${spec.key}`), spec.email],
  );
  const found = existing.rows[0];
  if (found && spec.replacesEmail && found.email.toLowerCase() === spec.replacesEmail && found.email !== spec.email) {
    const moved = await db.query(
      "UPDATE users SET email = $2 WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM users WHERE email = $2)",
      [found.id, spec.email],
    );
    if (moved.rowCount !== 1) throw new Error(`Cannot move ${spec.username} to ${spec.email}: another account has it.`);
    return { id: found.id, created: false, credential: credential(false) };
  }
  if (found) return { id: found.id, created: false, credential: credential(false, found.email) };

  const passwordHash = await hashPassword(spec.password);
  const inserted = await db.query<{ id: string }>(
    `INSERT INTO users (id, email, username, full_name, password_hash, role, bio, email_verified, email_verified_at,
                        is_active, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, true, $8, true, $8, $8)
     ON CONFLICT DO NOTHING
     RETURNING id`,
    [
      seedUuid(`user:${spec.key}`),
      spec.email,
      spec.username,
      spec.fullName,
      passwordHash,
      spec.role,
      spec.bio,
      spec.createdAt,
    ],
  );
  if (inserted.rows[0]) return { id: inserted.rows[0].id, created: true, credential: credential(true) };

  // Lost a race with a concurrent seed, or the username belongs to another account.
  const raced = await db.query<{ id: string }>("SELECT id FROM users WHERE email = $1", [spec.email]);
  if (raced.rows[0]) return { id: raced.rows[0].id, created: false, credential: credential(false) };
  throw new Error(`Cannot create ${spec.email}: the username "${spec.username}" is taken by another account.`);
}
