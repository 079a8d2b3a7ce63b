import { Prisma } from "~/generated/prisma/client";
import type { WriteTx } from "~/server/db/write";

/** The things admins do on purpose that `admin_audit_log` records. */
export type AuditAction = "price.create" | "usage.reprice" | "budget.defaults" | "budget.user";

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
