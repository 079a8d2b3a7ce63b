/**
 * Saving a turn as it ended: one transaction that writes its changes (auto) or keeps them for review and records
 * its row, retried when the database fails; when the changes cannot be written they are kept for review with the
 * reason, and when even that fails the turn is recorded as failed.
 */
import { sumUsage } from "~/lib/pricing";
import { makeActor, withWrite } from "~/server/db/write";
import { AppError } from "~/server/errors";
import { applyFileChanges, findChangeConflicts, type FileChange } from "~/server/services/files";
import { priceTurn } from "./cost";
import type { CallResult } from "./model-call";
import { callsOf, finalData, finishRow, tokenColumns, TurnNotRunning } from "./record";
import type { RunningTurn } from "./registry";
import type { Outcome, Totals, TurnContext, TurnStart } from "./turn-types";

const RECORD_ATTEMPTS = 3;

/** Runs `write`, again up to RECORD_ATTEMPTS times in all when the database fails (not for a refusal). */
async function retrying<T>(interactionId: string, what: string, write: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (error instanceof AppError || error instanceof TurnNotRunning || attempt >= RECORD_ATTEMPTS) throw error;
      console.error(`[assistant] turn ${interactionId}: ${what} failed (attempt ${attempt}), trying again:`, error);
      await new Promise((resolve) => setTimeout(resolve, 250 * 2 ** attempt));
    }
  }
}

/**
 * Records the turn, and writes its changes (auto) or keeps them for review, in one transaction; retried when the
 * database fails. When the changes cannot be written (a refusal such as the storage limit or a file/folder clash,
 * or the database failing every time), they are kept for review with the reason, so Claude's work is not lost;
 * when even that fails, the turn is recorded as failed.
 */
export async function recordTurn(
  start: TurnStart,
  turn: RunningTurn,
  calls: CallResult[],
  outcome: Outcome,
  changes: FileChange[],
): Promise<void> {
  const { db, interactionId } = start;
  const usage = sumUsage(calls.map((call) => call.usage));
  const price = await retrying(interactionId, "pricing", () =>
    priceTurn(
      db,
      start.model,
      start.startedAt,
      calls.map((call) => call.usage),
    ),
  ).catch((error: unknown) => {
    console.error(`[assistant] turn ${interactionId}: could not be priced:`, error);
    return { costUsd: null, priceId: null };
  });
  const totals: Totals = {
    usage,
    price,
    context: {
      calls: callsOf(calls),
      tools: turn.tools,
      capHit: outcome.status === "succeeded" && outcome.capHit,
      ...(outcome.status === "succeeded" && outcome.budgetHit ? { budgetHit: true } : {}),
      changes: [],
    },
  };

  let failure: unknown;
  try {
    await retrying(interactionId, "saving", () => commitTurn(start, turn, outcome, changes, totals));
    return;
  } catch (error) {
    if (error instanceof TurnNotRunning) {
      console.warn(`[assistant] ${error.message} Its changes were not written.`);
      return;
    }
    failure = error;
  }
  if (!(failure instanceof AppError)) console.error(`[assistant] turn ${interactionId} could not be saved:`, failure);
  const reason =
    failure instanceof AppError ? failure.message : "the database did not answer in time (it was tried 3 times)";
  try {
    if (outcome.status === "succeeded" && changes.length > 0) {
      await retrying(interactionId, "keeping the changes for review", () =>
        keepForReview(start, turn, outcome, changes, totals, reason),
      );
      return;
    }
  } catch (error) {
    if (error instanceof TurnNotRunning) return;
    console.error(`[assistant] turn ${interactionId}: its changes could not be kept for review either:`, error);
  }
  await retrying(interactionId, "recording the failure", () =>
    finishRow(db, start, {
      status: "failed",
      success: false,
      claudeResponse: turn.text,
      errorMessage: `Claude's changes could not be saved: ${reason.replace(/\.$/, "")}. No file was changed.`,
      contextData: totals.context as object,
      executionTimeMs: Math.max(0, Date.now() - start.startedAt.getTime()),
      completedAt: new Date(),
      stopReason: calls.at(-1)?.stopReason ?? null,
      ...tokenColumns(usage),
      costUsd: price.costUsd,
      priceId: price.priceId,
    }),
  ).catch((error: unknown) => {
    if (!(error instanceof TurnNotRunning)) {
      console.error(`[assistant] turn ${interactionId} could not be recorded; recovery will mark it failed:`, error);
    }
  });
}

function pendingRows(start: TurnStart, changes: FileChange[], conflicts: string[]) {
  return changes.map((change) => ({
    interactionId: start.interactionId,
    projectId: start.projectId,
    filePath: change.path,
    action: change.content === null ? "delete" : "write",
    content: change.content,
    isBinary: change.isBinary ?? false,
    baseFileId: change.base?.fileId ?? null,
    baseVersion: change.base?.version ?? null,
    status: conflicts.includes(change.path) ? "conflict" : "pending",
  }));
}
/** The turn's one transaction: its changes written (auto) or kept for review, and its row recorded. */
async function commitTurn(
  start: TurnStart,
  turn: RunningTurn,
  outcome: Outcome,
  changes: FileChange[],
  totals: Totals,
): Promise<void> {
  const actor = makeActor({ userId: start.userId, source: "claude", interactionId: start.interactionId });
  const context: TurnContext = { ...totals.context, changes: [] };
  await withWrite(
    start.db,
    actor,
    async (tx) => {
      let reviewState: string | null = null;
      let errorMessage = outcome.status === "succeeded" ? null : outcome.error;
      let affected: string[] = [];
      if (changes.length > 0) {
        const conflicts = await findChangeConflicts(tx, start.projectId, changes);
        if (start.apply === "review" || conflicts.length > 0) {
          // Kept for the user's review; a change whose file changed since Claude read it is marked a conflict.
          await tx.claudePendingChange.createMany({ data: pendingRows(start, changes, conflicts) });
          reviewState = conflicts.length > 0 ? "conflict" : "pending";
          if (conflicts.length > 0) {
            errorMessage = `Not applied: ${conflicts.join(", ")} changed since Claude read ${conflicts.length === 1 ? "it" : "them"}. Nothing was overwritten; review the changes.`;
          }
          affected = changes.map((change) => change.path);
        } else {
          context.changes = await applyFileChanges(tx, start.projectId, actor, changes, { generated: true });
          reviewState = context.changes.length > 0 ? "applied" : null;
          affected = context.changes.map((change) => change.path);
        }
      }
      await finishRow(
        tx,
        start,
        finalData(start, turn, outcome, { ...totals, context }, { errorMessage, affected, reviewState }),
      );
    },
    { lockPathsOf: start.projectId, timeout: 60_000 },
  );
}

/** The changes could not be written: they are kept for review with the reason (nothing is written now). */
async function keepForReview(
  start: TurnStart,
  turn: RunningTurn,
  outcome: Outcome,
  changes: FileChange[],
  totals: Totals,
  reason: string,
): Promise<void> {
  const actor = makeActor({ userId: start.userId, source: "claude", interactionId: start.interactionId });
  await withWrite(
    start.db,
    actor,
    async (tx) => {
      const conflicts = await findChangeConflicts(tx, start.projectId, changes);
      await tx.claudePendingChange.deleteMany({ where: { interactionId: start.interactionId } });
      await tx.claudePendingChange.createMany({ data: pendingRows(start, changes, conflicts) });
      await finishRow(
        tx,
        start,
        finalData(start, turn, outcome, totals, {
          errorMessage: `Not applied: ${reason.replace(/\.$/, "")}. Claude's changes are kept for review: fix that, then accept them (or reject them).`,
          affected: changes.map((change) => change.path),
          reviewState: conflicts.length > 0 ? "conflict" : "pending",
        }),
      );
    },
    { lockPathsOf: start.projectId, timeout: 60_000 },
  );
}
