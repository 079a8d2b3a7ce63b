import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { migrateDatabase } from "~/server/db/migrator";
import { createPool } from "~/server/db/pool";
import { ensureDatabase } from "~/server/db/runtime";
import { installJobQueue } from "~/server/services/jobs/queue";

declare module "vitest" {
  export interface ProvidedContext {
    /** URL of the migrated template database that each test file clones. */
    templateDatabaseUrl: string;
    /** Prefix of every database this run creates, so teardown can drop them all. */
    databasePrefix: string;
  }
}

/**
 * Starts one PostgreSQL for the run (DATABASE_URL, or a throwaway embedded cluster), migrates a template
 * database once, and hands its URL to the test files, which each clone it (test/setup-database.ts).
 */
export default async function setup(project: TestProject) {
  const scratch = process.env.DATABASE_URL ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), "vaporform-test-pg-"));
  if (scratch) fs.chmodSync(scratch, 0o755);
  const server = await ensureDatabase({
    dataDir: scratch ? path.join(scratch, "data") : undefined,
    tuning: "fast",
    database: "postgres",
  });
  const prefix = `vf_test_${process.pid}_${Date.now().toString(36)}`;
  const templateName = `${prefix}_template`;
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(templateName)}`);
  const templateUrl = withDatabase(server.url, templateName);
  await migrateDatabase(templateUrl);
  const maintenance = new pg.Client({ connectionString: templateUrl });
  await maintenance.connect();
  await maintenance.query("SELECT vf_ensure_activity_partitions()").catch((error: Error) => {
    if (!/vf_ensure_activity_partitions/.test(error.message)) throw error;
  });
  await maintenance.end();
  // The job queue's own schema (pg-boss), as `npm run db:migrate` creates it: every clone has it.
  const queuePool = createPool(templateUrl, 2);
  await installJobQueue(queuePool);
  await queuePool.end();

  project.provide("templateDatabaseUrl", templateUrl);
  project.provide("databasePrefix", prefix);

  return async () => {
    const { rows } = await admin.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE $1", [
      `${prefix}%`,
    ]);
    for (const { datname } of rows) {
      await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(datname)} WITH (FORCE)`);
    }
    await admin.end();
    await server.stop();
    if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
  };
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
