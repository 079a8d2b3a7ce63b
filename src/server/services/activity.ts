import type { Database } from "~/server/db/client";

/**
 * A project's activity log, newest first, one page at a time (keyset on created_at, which the partitioned table's
 * (project_id, created_at DESC) index serves). Who did it: the user's name and the source (user, claude, system,
 * webhook) the triggers recorded.
 */
export async function listProjectActivity(options: {
  db: Database;
  projectId: string;
  filePath?: string;
  limit: number;
  cursor?: Date | null;
}) {
  const rows = await options.db.projectActivity.findMany({
    where: {
      projectId: options.projectId,
      ...(options.cursor ? { createdAt: { lt: options.cursor } } : {}),
      ...(options.filePath ? { affectedResources: { has: options.filePath } } : {}),
    },
    orderBy: { createdAt: "desc" },
    take: options.limit + 1,
    select: {
      id: true,
      activityType: true,
      description: true,
      sourceType: true,
      affectedResources: true,
      createdAt: true,
      user: { select: { id: true, fullName: true, username: true } },
    },
  });
  const items = rows.slice(0, options.limit).map(({ user, ...entry }) => ({
    ...entry,
    actor: user ? { id: user.id, name: user.fullName, username: user.username } : null,
  }));
  return { items, nextCursor: rows.length > options.limit ? (items.at(-1)?.createdAt ?? null) : null };
}
