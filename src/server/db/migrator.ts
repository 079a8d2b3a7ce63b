import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { DatabaseSetupError } from "./errors";

/** Prisma's own advisory lock key for migrations, so we also exclude a concurrent `prisma migrate deploy`. */
const MIGRATION_LOCK_KEY = 72707369;

export const defaultMigrationsDir = path.resolve(process.cwd(), "prisma/migrations");

export interface MigrationFile {
  name: string;
  checksum: string;
  sql: string;
}

export interface MigrateResult {
  applied: string[];
  alreadyApplied: string[];
}

/** Reads `prisma/migrations/<name>/migration.sql` in name order, with Prisma's checksum (sha-256 of the file). */
export function readMigrations(dir = defaultMigrationsDir): MigrationFile[] {
  if (!fs.existsSync(dir)) throw new DatabaseSetupError(`No migrations directory at ${dir}.`);
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .flatMap((name) => {
      const file = path.join(dir, name, "migration.sql");
      if (!fs.existsSync(file)) return [];
      const bytes = fs.readFileSync(file);
      return [{ name, checksum: createHash("sha256").update(bytes).digest("hex"), sql: bytes.toString("utf8") }];
    });
}

/**
 * Applies pending migrations the way `prisma migrate deploy` does: rows in `_prisma_migrations` with the same
 * columns and checksums, one transaction per migration, under Prisma's advisory lock. Before applying anything it
 * refuses a database whose applied migrations no longer match their files, or that has a failed migration.
 */
export async function migrateDatabase(url: string, options: { dir?: string; log?: (line: string) => void } = {}) {
  const log = options.log ?? (() => {});
  const migrations = readMigrations(options.dir);
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 30_000 });
  await client.connect();
  try {
    await client.query("SET client_min_messages = warning");
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
    await client.query(`
      CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
        "id"                  VARCHAR(36) PRIMARY KEY NOT NULL,
        "checksum"            VARCHAR(64) NOT NULL,
        "finished_at"         TIMESTAMPTZ,
        "migration_name"      VARCHAR(255) NOT NULL,
        "logs"                TEXT,
        "rolled_back_at"      TIMESTAMPTZ,
        "started_at"          TIMESTAMPTZ NOT NULL DEFAULT now(),
        "applied_steps_count" INTEGER NOT NULL DEFAULT 0
      )`);
    const { rows } = await client.query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
      `SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL ORDER BY started_at`,
    );
    const byName = new Map(migrations.map((migration) => [migration.name, migration]));
    for (const row of rows) {
      if (row.finished_at === null) {
        throw new DatabaseSetupError(
          `Migration ${row.migration_name} was started but never finished. Inspect the database, then mark it rolled back ` +
            `(UPDATE "_prisma_migrations" SET rolled_back_at = now() WHERE migration_name = '${row.migration_name}').`,
        );
      }
      const file = byName.get(row.migration_name);
      if (!file) {
        throw new DatabaseSetupError(
          `Migration ${row.migration_name} is applied to the database but missing from ${options.dir ?? defaultMigrationsDir}. ` +
            `Restore it; this checkout is older than the database.`,
        );
      }
      if (file.checksum !== row.checksum) {
        throw new DatabaseSetupError(
          `Migration ${row.migration_name} was modified after it was applied (checksum ${row.checksum.slice(0, 12)}… ` +
            `in the database, ${file.checksum.slice(0, 12)}… on disk). Restore the original file and put the change in a new migration.`,
        );
      }
    }
    const applied = new Set(rows.map((row) => row.migration_name));
    const result: MigrateResult = { applied: [], alreadyApplied: [...applied] };
    for (const migration of migrations) {
      if (applied.has(migration.name)) continue;
      log(`Applying migration ${migration.name}`);
      await client.query("BEGIN");
      try {
        const id = randomUUID();
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count) VALUES ($1, $2, $3, now(), 0)`,
          [id, migration.checksum, migration.name],
        );
        await client.query(migration.sql);
        await client.query(
          `UPDATE "_prisma_migrations" SET finished_at = clock_timestamp(), applied_steps_count = 1 WHERE id = $1`,
          [id],
        );
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK").catch(() => {});
        const message = error instanceof Error ? error.message : String(error);
        throw new DatabaseSetupError(
          `Migration ${migration.name} failed and was rolled back (nothing changed): ${message}`,
        );
      }
      result.applied.push(migration.name);
    }
    return result;
  } finally {
    await client.query("SELECT pg_advisory_unlock_all()").catch(() => {});
    await client.end().catch(() => {});
  }
}
