import { PrismaPg } from "@prisma/adapter-pg";
import type pg from "pg";
import { PrismaClient } from "~/generated/prisma/client";
import { isTransientDatabaseError } from "./errors";
import { getPool } from "./pool";
import { isReadOnlyRawQuery } from "./read-only-sql";

const READ_OPERATIONS = new Set([
  "findUnique",
  "findUniqueOrThrow",
  "findFirst",
  "findFirstOrThrow",
  "findMany",
  "count",
  "aggregate",
  "groupBy",
]);
const READ_RETRIES = 3;

/**
 * Whether a lost connection may be cured by running the operation again: only a read (a model read, or a raw
 * query whose SQL only reads), and only outside a transaction, whose connection, and with it the transaction,
 * is gone (the caller retries the whole transaction, or asks the user to). Writes are never repeated: the lost
 * one may have committed.
 */
function retryable(operation: string, args: unknown, inTransaction: boolean): boolean {
  if (inTransaction) return false;
  if (READ_OPERATIONS.has(operation)) return true;
  return (operation === "$queryRaw" || operation === "$queryRawUnsafe") && isReadOnlyRawQuery(args);
}

/** A Prisma client on `pool` with the app's retry of reads; the app uses `db`, on the shared pool. */
export function createDatabase(pool: pg.Pool) {
  const base = new PrismaClient({ adapter: new PrismaPg(pool) });
  return base.$extends({
    query: {
      async $allOperations(params) {
        const { operation, args, query } = params;
        // Prisma passes the transaction (interactive or batch) an operation runs in; not part of its typed API.
        const internal = (params as { __internalParams?: { transaction?: unknown } }).__internalParams;
        if (!retryable(operation, args, internal?.transaction !== undefined)) return query(args);
        for (let attempt = 0; ; attempt++) {
          try {
            return await query(args);
          } catch (error) {
            if (attempt >= READ_RETRIES || !isTransientDatabaseError(error)) throw error;
            console.warn(`[db] connection lost; ${operation} retried (${attempt + 1} of ${READ_RETRIES})`);
            await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt));
          }
        }
      },
    },
  });
}

export type Database = ReturnType<typeof createDatabase>;

const globalForPrisma = globalThis as unknown as { vaporformPrisma?: Database };

function getClient(): Database {
  return (globalForPrisma.vaporformPrisma ??= createDatabase(getPool()));
}

/**
 * The Prisma client on the shared pool: one per process, surviving dev hot reloads, created on first use so
 * that importing it (e.g. while `next build` collects pages) needs no database.
 */
export const db: Database = new Proxy({} as Database, {
  get(_target, property) {
    const client = getClient();
    const value: unknown = Reflect.get(client, property, client);
    return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(client) : value;
  },
});
