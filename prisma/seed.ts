/**
 * `npm run db:seed`: fills DATABASE_URL (or the embedded database) with the official templates, an admin, a
 * demo user and demo data. Safe to run again: nothing is added twice. Run `npm run db:migrate` first.
 */
import { runCli } from "../scripts/cli";

runCli(async () => {
  // Imported inside, so an invalid environment is reported by runCli rather than crashing at import.
  const { ensureDatabase } = await import("~/server/db/runtime");
  const { createPool } = await import("~/server/db/pool");
  const { DatabaseSetupError } = await import("~/server/db/errors");
  const { describeCredentials, seedDatabase } = await import("./seed/index");
  const { seedAccounts } = await import("./seed/passwords");

  const database = await ensureDatabase();
  const pool = createPool(database.url, 2);
  try {
    const { rows } = await pool.query<{ migrated: boolean }>(
      "SELECT to_regclass('public.users') IS NOT NULL AS migrated",
    );
    if (!rows[0]?.migrated) {
      throw new DatabaseSetupError("The database has no schema yet: run `npm run db:migrate` first, then seed.");
    }
    const summary = await seedDatabase(pool, {
      log: (line) => console.log(`  ${line}`),
      ...seedAccounts(),
    });
    console.log("\nSeeded. Sign in with:");
    for (const line of describeCredentials(summary.credentials)) console.log(`  ${line}`);
  } finally {
    await pool.end();
    await database.stop();
  }
});
