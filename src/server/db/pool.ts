import pg from "pg";
import { env } from "~/env";
import { DatabaseSetupError } from "./errors";

/**
 * Pool settings from the reference, translated to `pg`: never wait forever for a connection, never let a
 * statement or an idle transaction hold locks for more than 30 s.
 */
export function poolConfig(connectionString: string, max = env.DATABASE_POOL_MAX): pg.PoolConfig {
  return {
    connectionString,
    max,
    idleTimeoutMillis: 10_000,
    connectionTimeoutMillis: 30_000,
    statement_timeout: 30_000,
    idle_in_transaction_session_timeout: 30_000,
    application_name: "vaporform",
  };
}

/** Creates a pool that logs, instead of crashing the process on, errors of idle clients (e.g. a server restart). */
export function createPool(connectionString: string, max?: number): pg.Pool {
  const pool = new pg.Pool(poolConfig(connectionString, max));
  pool.on("error", (error) => {
    console.warn(`[db] idle connection lost: ${error.message}`);
  });
  return pool;
}

const globalForPool = globalThis as unknown as { vaporformPool?: pg.Pool };

/** The app's shared pool on DATABASE_URL (set by `npm start`, or by the operator). */
export function getPool(): pg.Pool {
  if (!globalForPool.vaporformPool) {
    if (!env.DATABASE_URL) {
      throw new DatabaseSetupError(
        "DATABASE_URL is not set: start the app with `npm start`, which provides a database.",
      );
    }
    globalForPool.vaporformPool = createPool(env.DATABASE_URL);
  }
  return globalForPool.vaporformPool;
}

/** Runs `fn` in a transaction on one connection: committed when it resolves, rolled back when it throws. */
export async function withTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const result = await fn(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
