import { Prisma } from "~/generated/prisma/client";
import type { Database } from "~/server/db/client";

interface ActivityRow {
  id: string;
  activity_type: string;
  description: string;
  source_type: string;
  affected_resources: string[];
  created_at: Date;
  created_at_text: string;
  user_id: string | null;
  full_name: string | null;
  username: string | null;
}

/**
 * A project's activity log, newest first, one page at a time. Keyset on (created_at, id): one transaction writes
 * many entries with the same created_at (now() is the transaction's start), so created_at alone would skip rows,
 * and the cursor carries created_at as PostgreSQL prints it (microseconds; a JS Date has only milliseconds).
 * The (project_id, created_at DESC) index serves the scan. Who did it: the user's name and the source (user,
 * claude, system, webhook) the triggers recorded.
 */
export async function listProjectActivity(options: {
  db: Database;
  projectId: string;
  filePath?: string;
  limit: number;
  cursor?: string | null;
}) {
  const after = options.cursor ? parseCursor(options.cursor) : null;
  const rows = await options.db.$queryRaw<ActivityRow[]>`
    SELECT a.id, a.activity_type, a.description, a.source_type,
           coalesce(a.affected_resources, '{}') AS affected_resources,
           a.created_at, a.created_at::text AS created_at_text,
           u.id AS user_id, u.full_name, u.username::text AS username
      FROM project_activity a
      LEFT JOIN users u ON u.id = a.user_id
     WHERE a.project_id = ${options.projectId}::uuid
       ${after ? Prisma.sql`AND (a.created_at, a.id) < (${after.createdAt}::timestamptz, ${after.id}::uuid)` : Prisma.empty}
       ${options.filePath ? Prisma.sql`AND a.affected_resources @> ARRAY[${options.filePath}]::text[]` : Prisma.empty}
     ORDER BY a.created_at DESC, a.id DESC
     LIMIT ${options.limit + 1}`;
  const page = rows.slice(0, options.limit);
  const items = page.map((row) => ({
    id: row.id,
    activityType: row.activity_type,
    description: row.description,
    sourceType: row.source_type,
    affectedResources: row.affected_resources,
    createdAt: row.created_at,
    actor: row.user_id ? { id: row.user_id, name: row.full_name ?? "", username: row.username ?? "" } : null,
  }));
  const last = page.at(-1);
  return { items, nextCursor: rows.length > options.limit && last ? `${last.created_at_text}|${last.id}` : null };
}

function parseCursor(cursor: string): { createdAt: string; id: string } {
  const at = cursor.lastIndexOf("|");
  return { createdAt: cursor.slice(0, at), id: cursor.slice(at + 1) };
}
