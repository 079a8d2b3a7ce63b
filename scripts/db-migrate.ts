/**
 * `npm run db:migrate`: applies prisma/migrations to DATABASE_URL (or the embedded database), creates or upgrades
 * the job queue's own schema (pg-boss, `pgboss`) and runs maintenance.
 */
import { runCli } from "./cli";

runCli(async () => {
  // Imported inside, so an invalid environment is reported by runCli rather than crashing at import.
  const { env } = await import("~/env");
  const { ensureDatabase } = await import("~/server/db/runtime");
  const { migrateDatabase } = await import("~/server/db/migrator");
  const { runMaintenance } = await import("~/server/db/maintenance");
  const { createPool } = await import("~/server/db/pool");
  const { installJobQueue } = await import("~/server/services/jobs/queue");
  const database = await ensureDatabase();
  try {
    const result = await migrateDatabase(database.url, { log: (line) => console.log(line) });
    const pool = createPool(database.url, 2);
    await installJobQueue(pool);
    await runMaintenance(pool, { retentionMonths: env.ACTIVITY_RETENTION_MONTHS });
    await pool.end();
    console.log(
      result.applied.length === 0
        ? `Database is up to date (${result.alreadyApplied.length} migrations applied).`
        : `Applied ${result.applied.length} migration(s).`,
    );
  } finally {
    await database.stop();
  }
});
