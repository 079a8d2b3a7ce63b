/**
 * What the file services share: their scopes, the transaction type, the project's path lock and how paths and
 * authors are shown. Every write runs in one transaction that first sets the actor (src/server/db/actor.ts): the
 * database triggers keep the project's counters, activity log and file versions from it. Paths arrive normalized
 * (src/lib/paths.ts).
 */
import type { Database } from "~/server/db/client";

export type Tx = Parameters<Parameters<Database["$transaction"]>[0]>[0];
export type Author = { id: string; name: string } | null;

export interface ProjectScope {
  db: Database;
  projectId: string;
}
export interface WriteScope extends ProjectScope {
  userId: string;
}

/** First key of the two-key advisory lock on a project's paths ("vfpp"), apart from every other lock of the app. */
const PATH_LOCK_CLASS = 0x76667070;

/**
 * Serialises the path-changing writes of one project (create, move, restore, import) until the transaction ends.
 * Their file/folder clash check reads before it inserts, and under READ COMMITTED two of them (a file `a` and a
 * file `a/b.ts`) could otherwise both pass the check and both commit. Take it first, right after setActor.
 */
export async function lockProjectPaths(tx: Tx, projectId: string): Promise<void> {
  await tx.$queryRaw`SELECT 1 AS locked FROM pg_advisory_xact_lock(${PATH_LOCK_CLASS}::int, hashtext(${projectId}::text))`;
}

export function quote(path: string): string {
  return `“${path}”`;
}

export function author(id: string | null, name: string | null): Author {
  return id ? { id, name: name ?? "" } : null;
}
