/**
 * Undoing a turn: every file it changed goes back to its state before the turn, as new versions written by the
 * user (a file it deleted comes back, a file it created goes). A file changed since by someone else is a CONFLICT
 * naming it, unless the user chose to overwrite. The undo is recorded on the interaction and in the activity log.
 */
import { makeActor, withWrite } from "~/server/db/write";
import type { Database } from "~/server/db/client";
import { AppError } from "~/server/errors";
import { applyFileChanges, findChangeConflicts, versionContent, type FileChange } from "~/server/services/files";
import { updateReviewState } from "./review";
import { getTurn } from "./turns";
import { readContext } from "./turns";

export async function undoTurn({
  db,
  userId,
  projectId,
  interactionId,
  overwrite = false,
}: {
  db: Database;
  userId: string;
  projectId: string;
  interactionId: string;
  overwrite?: boolean;
}): Promise<{ restored: string[] }> {
  const turn = await getTurn({ db, userId, projectId, interactionId });
  if (turn.status === "running") throw new AppError("CONFLICT", "Claude is still working on this turn.");
  if (turn.undoneAt) throw new AppError("CONFLICT", "This turn was already undone.");
  const row = await db.claudeInteraction.findUniqueOrThrow({
    where: { id: interactionId },
    select: { contextData: true },
  });
  const applied = readContext(row.contextData).changes;
  if (applied.length === 0)
    throw new AppError("BAD_REQUEST", "This turn changed no file, so there is nothing to undo.");

  const changes: FileChange[] = [];
  for (const change of applied) {
    const before = change.before ? await versionContent(db, change.before) : null;
    if (change.before && !before) {
      throw new AppError("CONFLICT", `The version of ${change.path} before this turn is no longer in its history.`);
    }
    changes.push({
      path: change.path,
      content: before ? before.content : null,
      isBinary: before?.isBinary ?? false,
      base: change.after,
    });
  }

  const actor = makeActor({ userId, source: "user" });
  return withWrite(
    db,
    actor,
    async (tx) => {
      if (!overwrite) {
        const conflicts = await findChangeConflicts(tx, projectId, changes);
        if (conflicts.length > 0) {
          throw new AppError(
            "CONFLICT",
            `Changed since this turn: ${conflicts.join(", ")}. Undoing would overwrite ${conflicts.length === 1 ? "that change" : "those changes"}; undo anyway to overwrite.`,
            { paths: conflicts },
          );
        }
      }
      const restored = await applyFileChanges(tx, projectId, actor, changes);
      const marked = await tx.claudeInteraction.updateMany({
        where: { id: interactionId, undoneAt: null },
        data: { undoneAt: new Date(), undoneBy: userId },
      });
      if (marked.count === 0) throw new AppError("CONFLICT", "This turn was already undone.");
      // Changes still waiting for review go with the undo: none of them can be accepted afterwards.
      const dropped = await tx.claudePendingChange.updateMany({
        where: { interactionId, status: { in: ["pending", "conflict"] } },
        data: { status: "rejected", decidedAt: new Date(), content: null },
      });
      if (dropped.count > 0) await updateReviewState(tx, interactionId);
      const paths = changes.map((change) => change.path);
      await tx.projectActivity.create({
        data: {
          projectId,
          userId,
          activityType: "claude_turn_undone",
          description: `Undid Claude's changes to ${paths.length === 1 ? paths[0] : `${paths.length} files`}`,
          metadata: { interaction_id: interactionId, restored: restored.map((change) => change.path), overwrite },
          affectedResources: paths,
          sourceType: "user",
          sourceId: interactionId,
        },
      });
      return { restored: paths };
    },
    { lockPathsOf: projectId, timeout: 60_000 },
  );
}
