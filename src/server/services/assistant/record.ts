/**
 * The turn's claude_interactions row: its progress after each model call, its final update (only while it is
 * still running, else TurnNotRunning), and the columns that update writes (tokens, calls, interaction type).
 */
import { sumUsage, totalTokens, type CallUsage } from "~/lib/pricing";
import type { Database } from "~/server/db/client";
import type { CallResult } from "./model-call";
import type { RunningTurn } from "./registry";
import type { Outcome, Totals, TurnContext, TurnStart } from "./turn-types";

function interactionType(kind: TurnStart["kind"], message: string, changed: boolean): string {
  if (kind === "project_creation") return kind;
  if (changed) return "file_modification";
  if (/\b(error|bug|debug|crash(es|ed)?|exception|stack ?trace|traceback|fails?|failing|broken)\b/i.test(message))
    return "debug";
  return "chat";
}

/** The row is no longer running (recovery marked it failed): nothing of the turn may be written. */
export class TurnNotRunning extends Error {
  override name = "TurnNotRunning";
}

export function tokenColumns(usage: CallUsage) {
  return {
    inputTokens: usage.inputTokens,
    outputTokens: usage.outputTokens,
    cacheReadTokens: usage.cacheReadTokens,
    cacheWriteTokens: usage.cacheWrite5mTokens,
    cacheWrite1hTokens: usage.cacheWrite1hTokens,
    totalTokens: totalTokens(usage),
  };
}

export function callsOf(calls: CallResult[]): TurnContext["calls"] {
  return calls.map((call) => ({
    requestId: call.requestId,
    model: call.model,
    stopReason: call.stopReason,
    usage: call.usage,
    ...(call.partial ? { partial: true as const } : {}),
  }));
}

/**
 * After each model call: the running row gets the tokens and calls so far, so a turn that never records (the
 * process dies) still shows what it used. The rollup ignores running rows, so it counts them once, at the end.
 */
export async function recordProgress(start: TurnStart, turn: RunningTurn, calls: CallResult[]): Promise<void> {
  const context: TurnContext = { calls: callsOf(calls), tools: turn.tools, capHit: false, changes: [] };
  await start.db.claudeInteraction
    .updateMany({
      where: { id: start.interactionId, status: "running" },
      data: {
        ...tokenColumns(sumUsage(calls.map((call) => call.usage))),
        contextData: context as object,
        heartbeatAt: new Date(),
      },
    })
    .catch((error: unknown) => console.error(`[assistant] turn ${start.interactionId}: progress not saved:`, error));
}

/** The final update of the row, only while it is still running (else TurnNotRunning: the write rolls back). */
export async function finishRow(
  tx: Pick<Database, "claudeInteraction">,
  start: TurnStart,
  data: object,
): Promise<void> {
  const updated = await tx.claudeInteraction.updateMany({
    where: { id: start.interactionId, status: "running" },
    data,
  });
  if (updated.count === 0) throw new TurnNotRunning(`The turn ${start.interactionId} is no longer running.`);
}

export function finalData(
  start: TurnStart,
  turn: RunningTurn,
  outcome: Outcome,
  totals: Totals,
  fields: { errorMessage: string | null; affected: string[]; reviewState: string | null },
) {
  return {
    status: outcome.status,
    success: outcome.status === "succeeded",
    interactionType: interactionType(start.kind, start.message, fields.affected.length > 0),
    claudeResponse: turn.text,
    errorMessage: fields.errorMessage,
    contextData: totals.context as object,
    affectedFiles: fields.affected,
    executionTimeMs: Math.max(0, Date.now() - start.startedAt.getTime()),
    completedAt: new Date(),
    stopReason:
      outcome.status === "cancelled" ? null : (outcome.stopReason ?? totals.context.calls.at(-1)?.stopReason ?? null),
    ...tokenColumns(totals.usage),
    costUsd: totals.price.costUsd,
    priceId: totals.price.priceId,
    reviewState: fields.reviewState,
  };
}
