import type pg from "pg";

/**
 * Keeps the activity log's monthly partitions ready three months ahead and the default partition empty;
 * with `retentionMonths`, drops whole months older than that. Safe to run at any time, by several processes.
 * Run on migrate, on start, and daily by the `activity.maintenance` job (src/server/services/jobs/registry.ts).
 */
export async function runMaintenance(pool: pg.Pool, options: { retentionMonths?: number } = {}) {
  await pool.query("SELECT vf_ensure_activity_partitions()");
  if (options.retentionMonths) {
    await pool.query(
      "SELECT vf_drop_activity_partitions_before((date_trunc('month', now()) - make_interval(months => $1))::date)",
      [options.retentionMonths],
    );
  }
}
