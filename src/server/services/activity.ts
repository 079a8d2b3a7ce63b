import { Prisma } from "~/generated/prisma/client";
import { MAX_ACTIVITY_EXPORT_ROWS, type TActivityFilter } from "~/lib/schemas/activity";
import type { Database } from "~/server/db/client";
import { csvLine } from "~/server/services/csv";

interface ActivityRow {
  id: string;
  activity_type: string;
  description: string;
  source_type: string;
  affected_resources: string[];
  metadata: unknown;
  before_state: unknown;
  after_state: unknown;
  created_at: Date;
  created_at_text: string;
  user_id: string | null;
  full_name: string | null;
  username: string | null;
}

/** The WHERE of a filtered activity log: one definition for the timeline and the export, so both show the same rows. */
function activityConditions(projectId: string, filter: TActivityFilter): Prisma.Sql {
  const parts: Prisma.Sql[] = [Prisma.sql`a.project_id = ${projectId}::uuid`];
  if (filter.filePath) parts.push(Prisma.sql`a.affected_resources @> ARRAY[${filter.filePath}]::text[]`);
  if (filter.types?.length) parts.push(Prisma.sql`a.activity_type = ANY(${filter.types}::text[])`);
  if (filter.source) parts.push(Prisma.sql`a.source_type = ${filter.source}`);
  if (filter.userId) parts.push(Prisma.sql`a.user_id = ${filter.userId}::uuid`);
  // Days are UTC; bounds on created_at itself (not on a cast of it) keep partition pruning and the index usable.
  if (filter.from) parts.push(Prisma.sql`a.created_at >= (${filter.from}::date)::timestamp AT TIME ZONE 'UTC'`);
  if (filter.to) parts.push(Prisma.sql`a.created_at < (${filter.to}::date + 1)::timestamp AT TIME ZONE 'UTC'`);
  return Prisma.join(parts, " AND ");
}

function selectActivity(
  db: Database,
  where: Prisma.Sql,
  after: { createdAt: string; id: string } | null,
  take: number,
) {
  return db.$queryRaw<ActivityRow[]>`
    SELECT a.id, a.activity_type, a.description, a.source_type,
           coalesce(a.affected_resources, '{}') AS affected_resources,
           a.metadata, a.before_state, a.after_state,
           a.created_at, a.created_at::text AS created_at_text,
           u.id AS user_id, u.full_name, u.username::text AS username
      FROM project_activity a
      LEFT JOIN users u ON u.id = a.user_id
     WHERE ${where}
       ${after ? Prisma.sql`AND (a.created_at, a.id) < (${after.createdAt}::timestamptz, ${after.id}::uuid)` : Prisma.empty}
     ORDER BY a.created_at DESC, a.id DESC
     LIMIT ${take}`;
}

/**
 * A project's activity log, newest first, one page at a time, optionally filtered (type, source, user, UTC days,
 * file). Keyset on (created_at, id): one transaction writes many entries with the same created_at (now() is the
 * transaction's start), so created_at alone would skip rows, and the cursor carries created_at as PostgreSQL prints
 * it (microseconds; a JS Date has only milliseconds). The (project_id, created_at DESC) index serves the scan. Who
 * did it: the user's name and the source (user, claude, system, webhook) the triggers recorded; what changed: the
 * before/after states the triggers or services wrote.
 */
export async function listProjectActivity(
  options: { db: Database; projectId: string; limit: number; cursor?: string | null } & TActivityFilter,
) {
  const after = options.cursor ? parseCursor(options.cursor) : null;
  const rows = await selectActivity(
    options.db,
    activityConditions(options.projectId, options),
    after,
    options.limit + 1,
  );
  const page = rows.slice(0, options.limit);
  const items = page.map((row) => ({
    id: row.id,
    activityType: row.activity_type,
    description: row.description,
    sourceType: row.source_type,
    affectedResources: row.affected_resources,
    metadata: asObject(row.metadata),
    beforeState: asObject(row.before_state),
    afterState: asObject(row.after_state),
    createdAt: row.created_at,
    actor: row.user_id ? { id: row.user_id, name: row.full_name ?? "", username: row.username ?? "" } : null,
  }));
  const last = page.at(-1);
  return { items, nextCursor: rows.length > options.limit && last ? `${last.created_at_text}|${last.id}` : null };
}

function asObject(value: unknown): Record<string, unknown> | null {
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
}

function parseCursor(cursor: string): { createdAt: string; id: string } {
  const at = cursor.lastIndexOf("|");
  return { createdAt: cursor.slice(0, at), id: cursor.slice(at + 1) };
}

export const ACTIVITY_CSV_COLUMNS = [
  "created_at",
  "activity_type",
  "source_type",
  "user_id",
  "username",
  "description",
  "affected_resources",
  "before_state",
  "after_state",
] as const;

const EXPORT_BATCH = 1_000;

/** What an export held: its data rows (the header not counted), and whether the bound left rows out. */
export interface ActivityCsvSummary {
  rows: number;
  truncated: boolean;
}

/**
 * The filtered activity log as CSV, newest first like the timeline, read in keyset batches so a long log streams
 * without being held in memory, and cut at `maxRows` (MAX_ACTIVITY_EXPORT_ROWS). The one CSV writer of the activity
 * log: the download route streams it, `activity.export` collects it. When the bound cuts the log, a last line says
 * so (unless `truncationNote` is false, for a caller that reports it otherwise); the generator's return value
 * carries the row count and whether it was cut.
 */
export async function* activityCsv(options: {
  db: Database;
  projectId: string;
  filter: TActivityFilter;
  maxRows?: number;
  truncationNote?: boolean;
}): AsyncGenerator<string, ActivityCsvSummary> {
  const maxRows = options.maxRows ?? MAX_ACTIVITY_EXPORT_ROWS;
  const where = activityConditions(options.projectId, options.filter);
  yield csvLine(ACTIVITY_CSV_COLUMNS);
  let after: { createdAt: string; id: string } | null = null;
  let written = 0;
  while (written < maxRows) {
    const take = Math.min(EXPORT_BATCH, maxRows - written);
    // One more than needed tells, at the bound, whether rows were left out.
    const rows: ActivityRow[] = await selectActivity(options.db, where, after, take + 1);
    const batch = rows.slice(0, take);
    if (batch.length > 0) {
      yield batch
        .map((row) =>
          csvLine([
            row.created_at.toISOString(),
            row.activity_type,
            row.source_type,
            row.user_id,
            row.username,
            row.description,
            row.affected_resources.join(" "),
            row.before_state === null ? null : JSON.stringify(row.before_state),
            row.after_state === null ? null : JSON.stringify(row.after_state),
          ]),
        )
        .join("");
    }
    written += batch.length;
    if (rows.length <= take) return { rows: written, truncated: false };
    const last = batch.at(-1)!;
    after = { createdAt: last.created_at_text, id: last.id };
  }
  if (options.truncationNote ?? true) yield `# truncated at ${maxRows} rows: narrow the filters to export the rest\r\n`;
  return { rows: written, truncated: true };
}

/**
 * `activity.export`: the filtered log as one CSV text, written by `activityCsv` (the download route's writer) and
 * bounded by `maxRows` (at most MAX_ACTIVITY_EXPORT_QUERY_ROWS, since the answer is held in memory and sent in
 * one response); `truncated` says the bound left rows out, and the CSV then has no note line of its own.
 */
export async function exportProjectActivity(options: {
  db: Database;
  projectId: string;
  filter: TActivityFilter;
  maxRows: number;
}): Promise<{ csv: string; rows: number; truncated: boolean; maxRows: number }> {
  const chunks = activityCsv({ ...options, truncationNote: false });
  let csv = "";
  for (;;) {
    const next = await chunks.next();
    if (next.done) return { csv, ...next.value, maxRows: options.maxRows };
    csv += next.value;
  }
}
