import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { migrateDatabase } from "~/server/db/migrator";
import { ensureDatabase, type DatabaseHandle } from "~/server/db/runtime";

/**
 * A migrated database for one benchmark run: a fresh database on DATABASE_URL's server, or on a throwaway
 * embedded cluster. Everything it creates is dropped by `close()`.
 */
export async function benchDatabase(): Promise<{
  url: string;
  pool: pg.Pool;
  server: DatabaseHandle;
  close(): Promise<void>;
}> {
  const scratch = process.env.DATABASE_URL ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), "vaporform-bench-"));
  if (scratch) fs.chmodSync(scratch, 0o755);
  // Durable settings: the numbers should be those of a real install.
  const server = await ensureDatabase({
    dataDir: scratch ? path.join(scratch, "data") : undefined,
    database: "postgres",
  });
  const name = `vf_bench_${randomBytes(4).toString("hex")}`;
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
  const url = new URL(server.url);
  url.pathname = `/${name}`;
  await migrateDatabase(url.toString());
  const pool = new pg.Pool({ connectionString: url.toString(), max: 4 });
  // close() drops the database WITH (FORCE): an idle client cut then must not crash the process after the results.
  pool.on("error", () => {});
  return {
    url: url.toString(),
    pool,
    server,
    async close() {
      await pool.end();
      await admin.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`);
      await admin.end();
      await server.stop();
      if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
    },
  };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

export function verdict(ok: boolean): string {
  return ok ? "PASS" : "FAIL";
}
