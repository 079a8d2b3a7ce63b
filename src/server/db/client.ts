import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "~/generated/prisma/client";
import { isTransientDatabaseError } from "./errors";
import { getPool } from "./pool";

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

function createClient() {
  const base = new PrismaClient({ adapter: new PrismaPg(getPool()) });
  // Reads are safe to repeat: retry them when the connection was lost (e.g. the database restarted).
  return base.$extends({
    query: {
      async $allOperations({ operation, args, query }) {
        if (!READ_OPERATIONS.has(operation)) return query(args);
        for (let attempt = 0; ; attempt++) {
          try {
            return await query(args);
          } catch (error) {
            if (attempt >= READ_RETRIES || !isTransientDatabaseError(error)) throw error;
            await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt));
          }
        }
      },
    },
  });
}

export type Database = ReturnType<typeof createClient>;

const globalForPrisma = globalThis as unknown as { vaporformPrisma?: Database };

function getClient(): Database {
  return (globalForPrisma.vaporformPrisma ??= createClient());
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
