/**
 * The one way to change project data: `withWrite` opens the transaction, sets the transaction-local actor read
 * by the database triggers (they keep the project's counters, activity log and file versions), and takes the
 * project's path lock when asked. Setting the actor is private to this module, and an `Actor` is made only by
 * `makeActor`, so a write cannot forget who made it: without an actor it does not type-check.
 */
import { Prisma } from "~/generated/prisma/client";
import type { Database } from "./client";

export const ACTOR_SOURCES = ["user", "claude", "system", "webhook"] as const;
export type ActorSource = (typeof ACTOR_SOURCES)[number];

declare const actorBrand: unique symbol;

/** Who is making a change (`userId` null: nobody in particular, e.g. the system); made by `makeActor` only. */
export interface Actor {
  readonly userId: string | null;
  readonly source: ActorSource;
  /** The Claude interaction behind the change (source "claude"). */
  readonly interactionId: string | null;
  readonly [actorBrand]: true;
}

/** An actor, frozen so that no write can change it on the way. */
export function makeActor(actor: { userId: string | null; source: ActorSource; interactionId?: string | null }): Actor {
  return Object.freeze({
    userId: actor.userId,
    source: actor.source,
    interactionId: actor.interactionId ?? null,
  }) as Actor;
}

export type WriteTx = Parameters<Parameters<Database["$transaction"]>[0]>[0];

export interface WriteOptions {
  /**
   * Serialise the path-changing writes of this project (create, move, restore, import) until the transaction ends.
   * Their file/folder clash check reads before it inserts, and under READ COMMITTED two of them (a file `a` and a
   * file `a/b.ts`) could otherwise both pass the check and both commit.
   */
  lockPathsOf?: string;
  /** Prisma's interactive transaction limits (ms), for writes of many files. */
  timeout?: number;
  maxWait?: number;
}

/** Runs `fn` in one transaction as `actor` (and under the project's path lock when asked); answers its result. */
export async function withWrite<T>(
  db: Database,
  actor: Actor,
  fn: (tx: WriteTx) => Promise<T>,
  options: WriteOptions = {},
): Promise<T> {
  const { lockPathsOf, timeout, maxWait } = options;
  return db.$transaction(
    async (tx) => {
      await setActor(tx, actor);
      if (lockPathsOf !== undefined) await lockProjectPaths(tx, lockPathsOf);
      return fn(tx);
    },
    { ...(timeout === undefined ? {} : { timeout }), ...(maxWait === undefined ? {} : { maxWait }) },
  );
}

/** Sets the transaction-local actor settings (`vaporform.actor_id`, `.source_type`, `.interaction_id`). */
async function setActor(tx: WriteTx, actor: Actor): Promise<void> {
  await tx.$queryRaw(Prisma.sql`
    SELECT set_config('vaporform.actor_id', ${actor.userId ?? ""}, true),
           set_config('vaporform.source_type', ${actor.source}, true),
           set_config('vaporform.interaction_id', ${actor.interactionId ?? ""}, true)`);
}

/** First key of the two-key advisory lock on a project's paths ("vfpp"), apart from every other lock of the app. */
const PATH_LOCK_CLASS = 0x76667070;

async function lockProjectPaths(tx: WriteTx, projectId: string): Promise<void> {
  await tx.$queryRaw`SELECT 1 AS locked FROM pg_advisory_xact_lock(${PATH_LOCK_CLASS}::int, hashtext(${projectId}::text))`;
}
