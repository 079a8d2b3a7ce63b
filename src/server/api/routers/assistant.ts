/**
 * PLACEHOLDER of the panel branch (wt/panel): the `assistant` router's shape exactly as
 * /work/notes/assistant-contract.md gives it, so the panel type-checks and renders its "no key" state before the
 * real router (branch wt/assist) is merged. The merge replaces this file with the real router.
 */
import { z } from "zod";
import { createTRPCRouter, projectProcedure } from "~/server/api/trpc";
import { AppError } from "~/server/errors";
import type { BudgetStatus } from "~/server/services/usage/budget";

interface Turn {
  interactionId: string;
  userMessage: string;
  response: string;
  status: "running" | "succeeded" | "failed" | "cancelled";
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
  reviewState: null | "applied" | "pending" | "partial" | "accepted" | "rejected" | "conflict";
  pending: { path: string; action: "write" | "delete"; status: "pending" | "accepted" | "rejected" | "conflict" }[];
  undoneAt: string | null;
  capHit: boolean;
}

const notReady = (): never => {
  throw new AppError("SERVICE_UNAVAILABLE", "The assistant is not configured: set ANTHROPIC_API_KEY.");
};

export const assistantRouter = createTRPCRouter({
  models: projectProcedure.query(() => ({
    configured: false,
    models: [] as { id: string; label: string }[],
    defaultModel: null as string | null,
    apply: "auto" as "auto" | "review",
  })),
  conversations: projectProcedure.query(() => ({
    budget: { level: "ok", message: null } as BudgetStatus,
    conversations: [] as {
      id: string;
      title: string;
      model: string | null;
      updatedAt: string;
      turns: number;
      costUsd: string;
      unpricedTurns: number;
      running: boolean;
    }[],
  })),
  messages: projectProcedure
    .input(z.object({ conversationId: z.uuid() }))
    .query((): { conversation: { id: string; title: string; model: string | null }; turns: Turn[] } => notReady()),
  send: projectProcedure
    .input(
      z.object({
        conversationId: z.uuid().optional(),
        message: z.string().min(1).max(20_000),
        model: z.string().optional(),
      }),
    )
    .mutation((): { interactionId: string; conversationId: string } => notReady()),
  cancel: projectProcedure
    .input(z.object({ interactionId: z.uuid() }))
    .mutation((): { cancelled: boolean } => notReady()),
  turnDiff: projectProcedure
    .input(z.object({ interactionId: z.uuid(), path: z.string() }))
    .query((): { path: string; before: string | null; after: string | null; isBinary: boolean } => notReady()),
  review: projectProcedure
    .input(
      z.object({
        interactionId: z.uuid(),
        decision: z.enum(["accept", "reject"]),
        paths: z.array(z.string()).optional(),
      }),
    )
    .mutation((): { reviewState: Turn["reviewState"]; conflicts: string[] } => notReady()),
  undoTurn: projectProcedure
    .input(z.object({ interactionId: z.uuid(), overwrite: z.boolean().optional() }))
    .mutation((): { restored: string[] } => notReady()),
});
