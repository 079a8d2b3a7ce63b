/**
 * Reviewing a turn's changes (preference assistantApply = "review", or a turn whose files changed under it):
 * accept all or some of them (one safe save: written only when none of their files changed since Claude read
 * them; otherwise those are marked conflicts and nothing is written), or reject them. A decided change keeps no
 * content: an accepted one is in the file's versions, a rejected one is gone.
 */
import { makeActor, withWrite, type WriteTx } from "~/server/db/write";
import type { Database } from "~/server/db/client";
import { AppError } from "~/server/errors";
import { applyFileChanges, findChangeConflicts, type FileChange } from "~/server/services/files";
import type { ReviewState } from "./turns";
import { getTurn, readContext } from "./turns";

/** The turn's review state from the state of each of its changes. */
export function reviewStateOf(statuses: string[]): ReviewState | null {
  if (statuses.length === 0) return null;
  if (statuses.includes("conflict")) return "conflict";
  if (statuses.every((status) => status === "pending")) return "pending";
  if (statuses.every((status) => status === "accepted")) return "accepted";
  if (statuses.every((status) => status === "rejected")) return "rejected";
  return "partial";
}

export async function updateReviewState(tx: WriteTx, interactionId: string): Promise<ReviewState | null> {
  const rows = await tx.claudePendingChange.findMany({ where: { interactionId }, select: { status: true } });
  const reviewState = reviewStateOf(rows.map((row) => row.status));
  await tx.claudeInteraction.update({ where: { id: interactionId }, data: { reviewState } });
  return reviewState;
}

export async function reviewTurn({
  db,
  userId,
  projectId,
  interactionId,
  decision,
  paths,
}: {
  db: Database;
  userId: string;
  projectId: string;
  interactionId: string;
  decision: "accept" | "reject";
  paths?: string[];
}): Promise<{ reviewState: ReviewState | null; conflicts: string[] }> {
  const turn = await getTurn({ db, userId, projectId, interactionId });
  if (turn.status === "running") throw new AppError("CONFLICT", "Claude is still working on this turn.");
  const actor = makeActor({ userId, source: "claude", interactionId });
  return withWrite(
    db,
    actor,
    async (tx) => {
      // Read in the write (undo takes the same project lock): a turn undone meanwhile is refused too.
      const current = await tx.claudeInteraction.findUniqueOrThrow({
        where: { id: interactionId },
        select: { undoneAt: true },
      });
      if (current.undoneAt) {
        throw new AppError(
          "CONFLICT",
          "This turn was undone, so its remaining changes can no longer be accepted or rejected. Ask Claude again.",
        );
      }
      const open = await tx.claudePendingChange.findMany({
        where: { interactionId, status: { in: ["pending", "conflict"] } },
        orderBy: { filePath: "asc" },
      });
      const chosen = paths ? open.filter((change) => paths.includes(change.filePath)) : open;
      const missing = (paths ?? []).filter((path) => !open.some((change) => change.filePath === path));
      if (missing.length > 0) {
        throw new AppError("BAD_REQUEST", `Not a change of this turn waiting for review: ${missing.join(", ")}.`);
      }
      if (chosen.length === 0) throw new AppError("BAD_REQUEST", "This turn has no changes waiting for review.");
      const ids = chosen.map((change) => change.id);

      if (decision === "reject") {
        await tx.claudePendingChange.updateMany({
          where: { id: { in: ids } },
          data: { status: "rejected", decidedAt: new Date(), content: null },
        });
        return { reviewState: await updateReviewState(tx, interactionId), conflicts: [] };
      }

      const changes: FileChange[] = chosen.map((change) => ({
        path: change.filePath,
        content: change.content,
        isBinary: change.isBinary,
        base:
          change.baseFileId && change.baseVersion !== null
            ? { fileId: change.baseFileId, version: change.baseVersion }
            : null,
      }));
      const conflicts = await findChangeConflicts(tx, projectId, changes);
      if (conflicts.length > 0) {
        await tx.claudePendingChange.updateMany({
          where: { interactionId, filePath: { in: conflicts } },
          data: { status: "conflict" },
        });
        return { reviewState: await updateReviewState(tx, interactionId), conflicts };
      }
      const applied = await applyFileChanges(tx, projectId, actor, changes, { generated: true });
      await tx.claudePendingChange.updateMany({
        where: { id: { in: ids } },
        data: { status: "accepted", decidedAt: new Date(), content: null },
      });
      const row = await tx.claudeInteraction.findUniqueOrThrow({
        where: { id: interactionId },
        select: { contextData: true, affectedFiles: true },
      });
      const context = readContext(row.contextData);
      context.changes = [...context.changes.filter((c) => !applied.some((a) => a.path === c.path)), ...applied];
      await tx.claudeInteraction.update({
        where: { id: interactionId },
        data: { contextData: context as object },
      });
      return { reviewState: await updateReviewState(tx, interactionId), conflicts: [] };
    },
    { lockPathsOf: projectId, timeout: 60_000 },
  );
}
