import { Prisma } from "~/generated/prisma/client";
import { db } from "./client";

export const ACTOR_SOURCES = ["user", "claude", "system", "webhook"] as const;
export type ActorSource = (typeof ACTOR_SOURCES)[number];

/** Who is making a change: read by the database triggers that log activity and keep file versions. */
export interface Actor {
  userId: string | null;
  source: ActorSource;
  interactionId?: string | null;
}

type TransactionClient = Parameters<Parameters<typeof db.$transaction>[0]>[0];

/** Sets the transaction-local actor settings (`vaporform.actor_id`, `.source_type`, `.interaction_id`). */
export async function setActor(tx: TransactionClient, actor: Actor): Promise<void> {
  await tx.$queryRaw(Prisma.sql`
    SELECT set_config('vaporform.actor_id', ${actor.userId ?? ""}, true),
           set_config('vaporform.source_type', ${actor.source}, true),
           set_config('vaporform.interaction_id', ${actor.interactionId ?? ""}, true)`);
}
