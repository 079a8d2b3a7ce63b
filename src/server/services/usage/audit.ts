import type { TAuditAction, TListAuditLogInput } from "~/lib/schemas/usage";
import { Prisma } from "~/generated/prisma/client";
import type { Database } from "~/server/db/client";
import type { WriteTx } from "~/server/db/write";

/** The things admins do on purpose that `admin_audit_log` records. */
export type AuditAction = TAuditAction;

/** One row of the audit log, written in the transaction of the change it records. */
export async function recordAudit(
  tx: WriteTx,
  entry: {
    adminId: string | null;
    action: AuditAction;
    target: Record<string, unknown>;
    details: Record<string, unknown>;
  },
): Promise<void> {
  await tx.adminAuditLog.create({
    data: {
      adminId: entry.adminId,
      action: entry.action,
      target: entry.target as Prisma.InputJsonObject,
      details: entry.details as Prisma.InputJsonObject,
    },
  });
}

/** The newest audit rows (of the given actions, or all), with who did each (null once their account is gone). */
export async function listAuditLog(options: { db: Database } & TListAuditLogInput) {
  const { db, actions } = options;
  const rows = await db.adminAuditLog.findMany({
    where: actions ? { action: { in: actions } } : {},
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: options.limit ?? 20,
    select: {
      id: true,
      action: true,
      target: true,
      details: true,
      createdAt: true,
      admin: { select: { id: true, username: true } },
    },
  });
  return rows.map((row) => ({
    id: row.id,
    action: row.action as AuditAction,
    target: row.target as Record<string, unknown>,
    details: row.details as Record<string, unknown>,
    createdAt: row.createdAt,
    admin: row.admin,
  }));
}
