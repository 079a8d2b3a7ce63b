import type pg from "pg";

/** How far back reconciliation looks by default: older days are settled and re-checking them only costs time. */
export const DEFAULT_ROLLUP_DAYS = 7;

export interface RollupReconciliation {
  /** The first UTC day checked (YYYY-MM-DD); every day from it to today was compared. */
  fromDay: string;
  /** claude_usage_daily rows that differed from claude_interactions: inserted, deleted or corrected. */
  dailyRowsRepaired: number;
  /** Days whose coarse rollups (models, users, projects) differed from claude_usage_daily, per table. */
  coarseDaysRepaired: { models: string[]; users: string[]; projects: string[] };
}

// The SQL below is assembled from these constants only (column and table names fixed in this file); every value
// (the first day, the days to rebuild) is a bound parameter.
const SUMS = `interactions, failures, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens,
              cache_write_1h_tokens, execution_time_ms, cost_usd, unpriced_interactions, unpriced_tokens`;

// What claude_usage_daily must hold for the checked days, computed from the interactions exactly as
// vf_claude_usage_apply adds them (running turns are not counted until they end; a deleted project's turns under
// its former id). $1: the first day.
const EXPECTED_DAILY = `
  WITH src AS (
    SELECT vf_utc_day(created_at) AS day, user_id, COALESCE(project_id, deleted_project_id) AS project_id, model,
           interaction_type,
           (success IS FALSE)::int AS failed, COALESCE(input_tokens, 0) AS input_tokens,
           COALESCE(output_tokens, 0) AS output_tokens, cache_read_tokens, cache_write_tokens, cache_write_1h_tokens,
           COALESCE(execution_time_ms, 0) AS execution_time_ms, COALESCE(cost_usd, 0) AS cost_usd,
           (cost_usd IS NULL)::int AS unpriced,
           CASE WHEN cost_usd IS NULL THEN COALESCE(input_tokens, 0) + COALESCE(output_tokens, 0) + cache_read_tokens
                                           + cache_write_tokens + cache_write_1h_tokens ELSE 0 END AS unpriced_tokens,
           vf_latency_bucket(execution_time_ms) AS bucket
      FROM claude_interactions
     WHERE status <> 'running' AND created_at >= $1::date::timestamp AT TIME ZONE 'UTC'
  ), grouped AS (
    SELECT day, user_id, project_id, model, interaction_type, count(*)::int AS interactions, sum(failed)::int AS failures,
           sum(input_tokens)::bigint AS input_tokens, sum(output_tokens)::bigint AS output_tokens,
           sum(cache_read_tokens)::bigint AS cache_read_tokens, sum(cache_write_tokens)::bigint AS cache_write_tokens,
           sum(cache_write_1h_tokens)::bigint AS cache_write_1h_tokens,
           sum(execution_time_ms)::bigint AS execution_time_ms, sum(cost_usd)::numeric(18,6) AS cost_usd,
           sum(unpriced)::int AS unpriced_interactions, sum(unpriced_tokens)::bigint AS unpriced_tokens,
           array_agg(bucket) AS buckets
      FROM src GROUP BY 1, 2, 3, 4, 5
  )
  SELECT g.day, g.user_id, g.project_id, g.model, g.interaction_type, g.interactions, g.failures, g.input_tokens,
         g.output_tokens, g.cache_read_tokens, g.cache_write_tokens, g.cache_write_1h_tokens, g.execution_time_ms,
         g.cost_usd, g.unpriced_interactions, g.unpriced_tokens,
         (SELECT array_agg((SELECT count(*)::int FROM unnest(g.buckets) b WHERE b = i) ORDER BY i)
            FROM generate_series(0, 47) AS i) AS latency_buckets
    FROM grouped g`;

// The differences between claude_usage_daily and EXPECTED_DAILY: one row per key that is missing, extra or wrong.
const DAILY_DRIFT = `
  WITH expected AS (${EXPECTED_DAILY}),
  actual AS (SELECT * FROM claude_usage_daily WHERE day >= $1::date)
  SELECT e.day AS e_day, e.user_id AS e_user_id, e.project_id AS e_project_id, e.model AS e_model,
         e.interaction_type AS e_interaction_type,
         a.day AS a_day, a.user_id AS a_user_id, a.project_id AS a_project_id, a.model AS a_model,
         a.interaction_type AS a_interaction_type
    FROM expected e
    FULL JOIN actual a USING (day, user_id, project_id, model, interaction_type)
   WHERE (e.interactions, e.failures, e.input_tokens, e.output_tokens, e.cache_read_tokens, e.cache_write_tokens,
          e.cache_write_1h_tokens, e.execution_time_ms, e.cost_usd, e.unpriced_interactions, e.unpriced_tokens,
          e.latency_buckets)
         IS DISTINCT FROM
         (a.interactions, a.failures, a.input_tokens, a.output_tokens, a.cache_read_tokens, a.cache_write_tokens,
          a.cache_write_1h_tokens, a.execution_time_ms, a.cost_usd, a.unpriced_interactions, a.unpriced_tokens,
          a.latency_buckets)`;

// Sets claude_usage_daily to EXPECTED_DAILY for the checked days; its trigger carries each change into the coarse
// rollups. Answers the number of rows changed.
const REPAIR_DAILY = `
  WITH expected AS (${EXPECTED_DAILY}),
  removed AS (
    DELETE FROM claude_usage_daily a
     WHERE a.day >= $1::date
       AND NOT EXISTS (SELECT 1 FROM expected e WHERE (e.day, e.user_id, e.project_id, e.model, e.interaction_type)
                                                   = (a.day, a.user_id, a.project_id, a.model, a.interaction_type))
    RETURNING 1
  ), upserted AS (
    INSERT INTO claude_usage_daily AS u (day, user_id, project_id, model, interaction_type, ${SUMS}, latency_buckets)
    SELECT day, user_id, project_id, model, interaction_type, ${SUMS}, latency_buckets FROM expected
    ON CONFLICT (day, user_id, project_id, model, interaction_type) DO UPDATE
       SET interactions = EXCLUDED.interactions, failures = EXCLUDED.failures,
           input_tokens = EXCLUDED.input_tokens, output_tokens = EXCLUDED.output_tokens,
           cache_read_tokens = EXCLUDED.cache_read_tokens, cache_write_tokens = EXCLUDED.cache_write_tokens,
           cache_write_1h_tokens = EXCLUDED.cache_write_1h_tokens, execution_time_ms = EXCLUDED.execution_time_ms,
           cost_usd = EXCLUDED.cost_usd, unpriced_interactions = EXCLUDED.unpriced_interactions,
           unpriced_tokens = EXCLUDED.unpriced_tokens, latency_buckets = EXCLUDED.latency_buckets
     WHERE (u.${SUMS.replace(/,\s*/g, ", u.")}, u.latency_buckets)
           IS DISTINCT FROM (EXCLUDED.${SUMS.replace(/,\s*/g, ", EXCLUDED.")}, EXCLUDED.latency_buckets)
    RETURNING 1
  )
  SELECT (SELECT count(*) FROM removed) + (SELECT count(*) FROM upserted) AS changed`;

/** A coarse rollup: its table, the key besides the day, and whether it keeps the latency histogram. */
interface CoarseRollup {
  name: "models" | "users" | "projects";
  table: string;
  key: string[];
  histogram: boolean;
}

const COARSE: CoarseRollup[] = [
  { name: "models", table: "claude_usage_daily_models", key: ["model", "interaction_type"], histogram: true },
  { name: "users", table: "claude_usage_daily_users", key: ["user_id"], histogram: false },
  { name: "projects", table: "claude_usage_daily_projects", key: ["project_id"], histogram: false },
];

/** What `rollup` must hold for the days from $1, summed from claude_usage_daily as vf_claude_usage_rollups_rebuild does. */
function expectedCoarse(rollup: CoarseRollup, daysFilter: string): string {
  const key = ["day", ...rollup.key].join(", ");
  const sums = SUMS.split(",")
    .map(
      (column) =>
        `sum(${column.trim()})${column.trim().startsWith("cost") ? "::numeric(18,6)" : ""} AS ${column.trim()}`,
    )
    .join(", ");
  const histogram = rollup.histogram
    ? `, (SELECT array_agg(t.s ORDER BY t.i) FROM (
           SELECT u.i, sum(u.x)::int AS s FROM claude_usage_daily d2, unnest(d2.latency_buckets) WITH ORDINALITY AS u(x, i)
            WHERE (${["d2.day", ...rollup.key.map((column) => `d2.${column}`)].join(", ")})
                = (${["d.day", ...rollup.key.map((column) => `d.${column}`)].join(", ")})
            GROUP BY u.i) t) AS latency_buckets`
    : "";
  return `SELECT ${key}, ${sums}${histogram} FROM claude_usage_daily d WHERE ${daysFilter}
          GROUP BY ${key} HAVING sum(interactions) <> 0`;
}

/** The days (from $1) on which `rollup` differs from claude_usage_daily. */
function coarseDriftDays(rollup: CoarseRollup): string {
  const key = ["day", ...rollup.key].join(", ");
  const columns = [...SUMS.split(",").map((column) => column.trim()), ...(rollup.histogram ? ["latency_buckets"] : [])];
  return `
    WITH expected AS (${expectedCoarse(rollup, "d.day >= $1::date")}),
    actual AS (SELECT * FROM ${rollup.table} WHERE day >= $1::date)
    SELECT DISTINCT to_char(day, 'YYYY-MM-DD') AS day
      FROM expected e FULL JOIN actual a USING (${key})
     WHERE (${columns.map((column) => `e.${column}`).join(", ")})
           IS DISTINCT FROM (${columns.map((column) => `a.${column}`).join(", ")})
     ORDER BY 1`;
}

/** Replaces `rollup`'s rows of the days in $1 (a date array) by their sums from claude_usage_daily. */
function rebuildCoarseDays(rollup: CoarseRollup): string[] {
  const columns = ["day", ...rollup.key, ...SUMS.split(",").map((column) => column.trim())];
  if (rollup.histogram) columns.push("latency_buckets");
  return [
    `DELETE FROM ${rollup.table} WHERE day = ANY($1::date[])`,
    `INSERT INTO ${rollup.table} (${columns.join(", ")}) ${expectedCoarse(rollup, "d.day = ANY($1::date[])")}`,
  ];
}

/**
 * Checks the AI usage rollups of the last `days` UTC days (today included) and repairs what drifted:
 * claude_usage_daily against the interactions it sums, then each coarse rollup (claude_usage_daily_models, _users,
 * _projects; see the usage_rollups migration) against claude_usage_daily. The triggers keep them exact, so this
 * finds drift only after something bypassed them (a bulk load, a restore, a hand edit); a second run is a no-op.
 *
 * The check reads without locks; only when it finds drift does it lock claude_usage_daily against writers (as
 * vf_claude_usage_rollups_rebuild does) and check and repair again inside that lock, so a turn finishing during the
 * check is never "repaired" away.
 */
export async function reconcileUsageRollups(options: { pool: pg.Pool; days?: number }): Promise<RollupReconciliation> {
  const { pool, days = DEFAULT_ROLLUP_DAYS } = options;
  const { rows: start } = await pool.query<{ day: string }>(
    "SELECT to_char(vf_utc_day(now()) - ($1::int - 1), 'YYYY-MM-DD') AS day",
    [days],
  );
  const fromDay = start[0]!.day;
  const result: RollupReconciliation = {
    fromDay,
    dailyRowsRepaired: 0,
    coarseDaysRepaired: { models: [], users: [], projects: [] },
  };
  if (!(await hasDrift(pool, fromDay))) return result;

  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query("LOCK TABLE claude_usage_daily IN SHARE ROW EXCLUSIVE MODE");
    const drifted = await client.query(DAILY_DRIFT, [fromDay]);
    if (drifted.rowCount) {
      const { rows } = await client.query<{ changed: string }>(REPAIR_DAILY, [fromDay]);
      result.dailyRowsRepaired = Number(rows[0]?.changed ?? 0);
    }
    for (const rollup of COARSE) {
      const { rows } = await client.query<{ day: string }>(coarseDriftDays(rollup), [fromDay]);
      const driftDays = rows.map((row) => row.day);
      if (driftDays.length === 0) continue;
      for (const statement of rebuildCoarseDays(rollup)) await client.query(statement, [driftDays]);
      result.coarseDaysRepaired[rollup.name] = driftDays;
    }
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
  return result;
}

async function hasDrift(pool: pg.Pool, fromDay: string): Promise<boolean> {
  const daily = await pool.query(`${DAILY_DRIFT} LIMIT 1`, [fromDay]);
  if (daily.rowCount) return true;
  for (const rollup of COARSE) {
    const coarse = await pool.query(`${coarseDriftDays(rollup)} LIMIT 1`, [fromDay]);
    if (coarse.rowCount) return true;
  }
  return false;
}
