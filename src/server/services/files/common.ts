/**
 * What the file services share: their scopes and how paths and authors are shown. Every write runs through
 * withWrite (src/server/db/write.ts) as its actor: the database triggers keep the project's counters, activity log
 * and file versions from it. Paths arrive normalized (src/lib/paths.ts).
 */
import type { Database } from "~/server/db/client";
import type { Actor, WriteTx } from "~/server/db/write";

export type Tx = WriteTx;
export type Author = { id: string; name: string } | null;

export interface ProjectScope {
  db: Database;
  projectId: string;
}
export interface WriteScope extends ProjectScope {
  actor: Actor;
}

export function quote(path: string): string {
  return `“${path}”`;
}

export function author(id: string | null, name: string | null): Author {
  return id ? { id, name: name ?? "" } : null;
}
