/**
 * Reading turns as the panel shows them (the `Turn` of docs/assistant contract): one shape for assistant.messages,
 * and for the snapshot and done frames of the server-sent-events route.
 */
import type { Database } from "~/server/db/client";
import { AppError } from "~/server/errors";
import { runningTurn } from "./registry";
import type { TurnContext } from "./turn-types";

export type TurnStatus = "running" | "succeeded" | "failed" | "cancelled";
export type ReviewState = "applied" | "pending" | "partial" | "accepted" | "rejected" | "conflict";

export interface Turn {
  interactionId: string;
  userMessage: string;
  response: string;
  status: TurnStatus;
  errorMessage: string | null;
  stopReason: string | null;
  model: string;
  createdAt: string;
  completedAt: string | null;
  executionTimeMs: number | null;
  tokens: {
    input: number;
    output: number;
    cacheRead: number;
    cacheWrite5m: number;
    cacheWrite1h: number;
    total: number;
  };
  costUsd: string | null;
  toolCalls: { name: string; summary: string; ok: boolean }[];
  changedFiles: { path: string; action: "created" | "modified" | "deleted" }[];
  reviewState: ReviewState | null;
  pending: { path: string; action: "write" | "delete"; status: "pending" | "accepted" | "rejected" | "conflict" }[];
  undoneAt: string | null;
  capHit: boolean;
}

export const turnSelect = {
  id: true,
  userMessage: true,
  claudeResponse: true,
  status: true,
  errorMessage: true,
  stopReason: true,
  model: true,
  createdAt: true,
  completedAt: true,
  executionTimeMs: true,
  inputTokens: true,
  outputTokens: true,
  cacheReadTokens: true,
  cacheWriteTokens: true,
  cacheWrite1hTokens: true,
  totalTokens: true,
  costUsd: true,
  contextData: true,
  reviewState: true,
  undoneAt: true,
  pendingChanges: { select: { filePath: true, action: true, status: true }, orderBy: { filePath: "asc" } },
} as const;

type TurnRow = {
  id: string;
  userMessage: string;
  claudeResponse: string;
  status: string;
  errorMessage: string | null;
  stopReason: string | null;
  model: string;
  createdAt: Date | null;
  completedAt: Date | null;
  executionTimeMs: number | null;
  inputTokens: number | null;
  outputTokens: number | null;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  cacheWrite1hTokens: number;
  totalTokens: number | null;
  costUsd: { toFixed(digits: number): string } | null;
  contextData: unknown;
  reviewState: string | null;
  undoneAt: Date | null;
  pendingChanges: { filePath: string; action: string; status: string }[];
};

/** The stored context of a turn, tolerant of rows written before the assistant existed (the demo's). */
export function readContext(data: unknown): TurnContext {
  const value = (data && typeof data === "object" ? data : {}) as Partial<TurnContext>;
  return {
    calls: Array.isArray(value.calls) ? value.calls : [],
    tools: Array.isArray(value.tools) ? value.tools : [],
    capHit: value.capHit === true,
    changes: Array.isArray(value.changes) ? value.changes : [],
  };
}

export function toTurn(row: TurnRow): Turn {
  const context = readContext(row.contextData);
  const live = row.status === "running" ? runningTurn(row.id) : undefined;
  return {
    interactionId: row.id,
    userMessage: row.userMessage,
    response: live ? live.text : row.claudeResponse,
    status: row.status as TurnStatus,
    errorMessage: row.errorMessage,
    stopReason: row.stopReason,
    model: row.model,
    createdAt: (row.createdAt ?? new Date(0)).toISOString(),
    completedAt: row.completedAt?.toISOString() ?? null,
    executionTimeMs: row.executionTimeMs,
    tokens: {
      input: row.inputTokens ?? 0,
      output: row.outputTokens ?? 0,
      cacheRead: row.cacheReadTokens,
      cacheWrite5m: row.cacheWriteTokens,
      cacheWrite1h: row.cacheWrite1hTokens,
      total: row.totalTokens ?? 0,
    },
    costUsd: row.status === "running" || row.costUsd === null ? null : row.costUsd.toFixed(6),
    toolCalls: live ? [...live.tools] : context.tools,
    changedFiles: context.changes.map((change) => ({ path: change.path, action: change.action })),
    reviewState: row.reviewState as ReviewState | null,
    pending: row.pendingChanges.map((change) => ({
      path: change.filePath,
      action: change.action as "write" | "delete",
      status: change.status as "pending" | "accepted" | "rejected" | "conflict",
    })),
    undoneAt: row.undoneAt?.toISOString() ?? null,
    capHit: context.capHit,
  };
}

/** The row of one turn of the user (NOT_FOUND otherwise); `toTurn` it in the same tick as reading live state. */
export async function findTurnRow({
  db,
  userId,
  projectId,
  interactionId,
}: {
  db: Database;
  userId: string;
  projectId?: string;
  interactionId: string;
}) {
  const row = await db.claudeInteraction.findFirst({
    where: { id: interactionId, userId, ...(projectId ? { projectId } : {}), project: { userId } },
    select: { ...turnSelect, projectId: true },
  });
  if (!row) throw new AppError("NOT_FOUND", "This turn does not exist.");
  return row;
}

/** One turn of the user in the project (NOT_FOUND otherwise). */
export async function getTurn({
  db,
  userId,
  projectId,
  interactionId,
}: {
  db: Database;
  userId: string;
  projectId?: string;
  interactionId: string;
}): Promise<Turn & { projectId: string }> {
  const row = await findTurnRow({ db, userId, projectId, interactionId });
  // findTurnRow matches only turns of a live project of the user's; a deleted project's turns have none.
  if (row.projectId === null) throw new AppError("NOT_FOUND", "This turn does not exist.");
  return { ...toTurn(row), projectId: row.projectId };
}
