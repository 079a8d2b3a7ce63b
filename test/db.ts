import type pg from "pg";
import { afterAll } from "vitest";
import { createPool, withTransaction as withPoolTransaction } from "~/server/db/pool";

/** A pool on this test file's own database (see test/setup-database.ts). */
export const pool: pg.Pool = createPool(process.env.DATABASE_URL ?? "", 20);

afterAll(async () => {
  await pool.end();
});

/** Runs `fn` in a transaction on this file's database (committed when it resolves, rolled back when it throws). */
export function withTransaction<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  return withPoolTransaction(pool, fn);
}
