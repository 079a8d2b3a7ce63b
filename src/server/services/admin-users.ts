import type { TAdminListUsersInput, TAdminUpdateUserInput, TUserRole } from "~/lib/schemas/account";
import { Prisma } from "~/generated/prisma/client";
import type { Database } from "~/server/db/client";
import { escapeLike } from "~/server/db/sql";
import { withWrite, type Actor } from "~/server/db/write";
import { AppError } from "~/server/errors";

export interface AdminUserRow {
  id: string;
  email: string;
  username: string;
  fullName: string;
  avatarUrl: string | null;
  role: TUserRole;
  isActive: boolean;
  isPremium: boolean;
  emailVerified: boolean;
  createdAt: Date | null;
  lastLoginAt: Date | null;
  /** The user's own monthly AI budget (USD, 2 decimals); null: the install default applies. */
  aiBudgetUsd: string | null;
}

interface UserSqlRow {
  id: string;
  email: string;
  username: string;
  full_name: string;
  avatar_url: string | null;
  role: string;
  is_active: boolean;
  is_premium: boolean | null;
  email_verified: boolean;
  created_at: Date | null;
  last_login_at: Date | null;
  ai_budget_usd: string | null;
  total: bigint;
}

/** `%`, `_` and the escape character itself match literally in ILIKE once escaped. */
function likePattern(query: string): string {
  return `%${escapeLike(query)}%`;
}

/**
 * Users for the admin list, newest first: search over e-mail, username and name (substring, case-insensitive),
 * filters by role, status and premium; one page plus the total.
 */
export async function listUsers(options: { db: Database } & TAdminListUsersInput) {
  const { db, query, role, status, premium, page, pageSize } = options;
  const conditions: Prisma.Sql[] = [Prisma.sql`TRUE`];
  if (query) {
    const pattern = likePattern(query);
    conditions.push(Prisma.sql`(email ILIKE ${pattern} OR username ILIKE ${pattern} OR full_name ILIKE ${pattern})`);
  }
  if (role) conditions.push(Prisma.sql`role = ${role}`);
  if (status) conditions.push(status === "active" ? Prisma.sql`is_active` : Prisma.sql`NOT is_active`);
  if (premium !== undefined)
    conditions.push(premium ? Prisma.sql`is_premium IS TRUE` : Prisma.sql`is_premium IS NOT TRUE`);

  const rows = await db.$queryRaw<UserSqlRow[]>`
    SELECT id, email::text, username::text, full_name, avatar_url, role, is_active, is_premium, email_verified,
           created_at, last_login_at, ai_budget_usd::text, count(*) OVER () AS total
      FROM users
     WHERE ${Prisma.join(conditions, " AND ")}
     ORDER BY created_at DESC NULLS LAST, id
     LIMIT ${pageSize} OFFSET ${(page - 1) * pageSize}`;

  // Past the last page the window count is missing; count separately only then.
  const total =
    rows[0] !== undefined
      ? Number(rows[0].total)
      : page > 1
        ? Number(
            (
              await db.$queryRaw<{ total: bigint }[]>`
                SELECT count(*) AS total FROM users WHERE ${Prisma.join(conditions, " AND ")}`
            )[0]?.total ?? 0,
          )
        : 0;

  const items: AdminUserRow[] = rows.map((row) => ({
    id: row.id,
    email: row.email,
    username: row.username,
    fullName: row.full_name,
    avatarUrl: row.avatar_url,
    role: row.role === "admin" ? "admin" : "user",
    isActive: row.is_active,
    isPremium: row.is_premium === true,
    emailVerified: row.email_verified,
    createdAt: row.created_at,
    lastLoginAt: row.last_login_at,
    aiBudgetUsd: row.ai_budget_usd,
  }));
  return { items, total, page, pageSize, pageCount: Math.max(1, Math.ceil(total / pageSize)) };
}

/**
 * Changes a user's active flag, premium flag or role. An admin cannot deactivate or demote themselves, and the last
 * active admin cannot be deactivated or demoted (by anyone). Deactivation bumps the session version, so the user's
 * open sessions end at their next request.
 */
export async function updateUser(options: { db: Database; actor: Actor } & TAdminUpdateUserInput) {
  const { db, actor, userId, isActive, isPremium, role } = options;
  if (userId === actor.userId && (isActive === false || role === "user")) {
    throw new AppError("FORBIDDEN", "You cannot deactivate or demote yourself. Ask another administrator.");
  }

  return withWrite(db, actor, async (tx) => {
    // Locks the active admins, so two admins demoting each other at once cannot both pass the last-admin check.
    const admins = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM users WHERE role = 'admin' AND is_active ORDER BY id FOR UPDATE`;
    const target = await tx.user.findUnique({
      where: { id: userId },
      select: { id: true, role: true, isActive: true },
    });
    if (!target) throw new AppError("NOT_FOUND", "User not found.");

    const wasActiveAdmin = target.role === "admin" && target.isActive;
    const staysActiveAdmin = (role ?? target.role) === "admin" && (isActive ?? target.isActive);
    if (wasActiveAdmin && !staysActiveAdmin && admins.every((admin) => admin.id === target.id)) {
      throw new AppError(
        "CONFLICT",
        "This is the last active administrator. Make another user an administrator first.",
      );
    }

    const deactivating = isActive === false && target.isActive;
    const user = await tx.user.update({
      where: { id: userId },
      data: {
        isActive,
        isPremium,
        role,
        ...(deactivating ? { sessionVersion: { increment: 1 } } : {}),
      },
      select: {
        id: true,
        email: true,
        username: true,
        fullName: true,
        role: true,
        isActive: true,
        isPremium: true,
        sessionVersion: true,
      },
    });
    return {
      ...user,
      role: user.role === "admin" ? ("admin" as const) : ("user" as const),
      isPremium: user.isPremium === true,
    };
  });
}
