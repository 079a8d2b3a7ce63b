import type pg from "pg";

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Keeps the activity log's monthly partitions ready three months ahead and the default partition empty;
 * with `retentionMonths`, drops whole months older than that. Safe to run at any time, by several processes.
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

/** Runs maintenance once a day in this process; the timer never keeps the process alive. */
export function scheduleMaintenance(
  pool: pg.Pool,
  options: { retentionMonths?: number; log?: (line: string) => void } = {},
) {
  const timer = setInterval(() => {
    runMaintenance(pool, options).catch((error: Error) => options.log?.(`[maintenance] failed: ${error.message}`));
  }, DAY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
