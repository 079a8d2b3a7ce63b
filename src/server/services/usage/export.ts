import { Prisma } from "~/generated/prisma/client";
import type { Database } from "~/server/db/client";
import { csvField } from "~/server/services/csv";

/**
 * The rollup rows of a range of days as CSV (one row per day, user, project, model and interaction type), read in
 * keyset batches so a long range streams without holding it in memory.
 */
export const CSV_COLUMNS = [
  "day",
  "user_id",
  "username",
  "project_id",
  "project_name",
  "model",
  "interaction_type",
  "turns",
  "failures",
  "input_tokens",
  "output_tokens",
  "cache_read_tokens",
  "cache_write_5m_tokens",
  "cache_write_1h_tokens",
  "cost_usd",
  "unpriced_turns",
  "unpriced_tokens",
] as const;

const BATCH = 2_000;

interface ExportRow {
  day: Date;
  user_id: string;
  username: string | null;
  project_id: string;
  project_name: string | null;
  model: string;
  interaction_type: string;
  turns: number;
  failures: number;
  input: bigint;
  output: bigint;
  cache_read: bigint;
  cache_write: bigint;
  cache_write_1h: bigint;
  cost: string;
  unpriced_turns: number;
  unpriced_tokens: bigint;
}

export async function* usageCsv(db: Database, range: { from: string; to: string }): AsyncGenerator<string> {
  yield `${CSV_COLUMNS.join(",")}\r\n`;
  let after: ExportRow | null = null;
  for (;;) {
    const cursor: Prisma.Sql = after
      ? Prisma.sql`AND (d.day, d.user_id, d.project_id, d.model, d.interaction_type) >
                       (${after.day}::date, ${after.user_id}::uuid, ${after.project_id}::uuid, ${after.model}, ${after.interaction_type})`
      : Prisma.empty;
    const rows: ExportRow[] = await db.$queryRaw<ExportRow[]>`
      SELECT d.day, d.user_id, u.username::text AS username, d.project_id, p.name AS project_name, d.model,
             d.interaction_type, d.interactions AS turns, d.failures, d.input_tokens AS input, d.output_tokens AS output,
             d.cache_read_tokens AS cache_read, d.cache_write_tokens AS cache_write,
             d.cache_write_1h_tokens AS cache_write_1h, d.cost_usd::text AS cost,
             d.unpriced_interactions AS unpriced_turns, d.unpriced_tokens
        FROM claude_usage_daily d
        LEFT JOIN users u ON u.id = d.user_id
        LEFT JOIN projects p ON p.id = d.project_id
       WHERE d.day >= ${range.from}::date AND d.day <= ${range.to}::date ${cursor}
       ORDER BY d.day, d.user_id, d.project_id, d.model, d.interaction_type
       LIMIT ${BATCH}`;
    if (rows.length === 0) return;
    yield rows
      .map(
        (row) =>
          [
            row.day.toISOString().slice(0, 10),
            row.user_id,
            row.username,
            row.project_id,
            row.project_name,
            row.model,
            row.interaction_type,
            row.turns,
            row.failures,
            String(row.input),
            String(row.output),
            String(row.cache_read),
            String(row.cache_write),
            String(row.cache_write_1h),
            row.cost,
            row.unpriced_turns,
            String(row.unpriced_tokens),
          ]
            .map((value, index) => (index >= 7 ? String(value) : csvField(value)))
            .join(",") + "\r\n",
      )
      .join("");
    after = rows[rows.length - 1]!;
    if (rows.length < BATCH) return;
  }
}
