/**
 * The shapes a turn's files share: what a turn starts from (TurnStart), what its row's context_data holds
 * (TurnContext), how the loop ended (Outcome) and the totals the final write records (Totals).
 */
import type Anthropic from "@anthropic-ai/sdk";
import type { CallUsage } from "~/lib/pricing";
import type { Database } from "~/server/db/client";
import type { AppliedChange } from "~/server/services/files";
import type { ToolCallView } from "./registry";

export interface TurnStart {
  db: Database;
  interactionId: string;
  conversationId: string;
  userId: string;
  projectId: string;
  projectName: string;
  /** project_creation: the first turn of a project from a prompt (its own system prompt and interaction type). */
  kind: "chat" | "project_creation";
  model: string;
  message: string;
  apply: "auto" | "review";
  startedAt: Date;
  /** The conversation's earlier turns as the model's messages (read when the turn starts running). */
  history: () => Promise<Anthropic.MessageParam[]>;
}

/** What context_data holds for a turn (the panel, undo and the dashboards read it). */
export interface TurnContext {
  calls: {
    requestId: string | null;
    model: string;
    stopReason: string | null;
    usage: CallUsage;
    /** The call failed or was cancelled mid-way: its usage is what the API reported until then. */
    partial?: true;
  }[];
  tools: ToolCallView[];
  capHit: boolean;
  /** The turn stopped before a further model call because the AI budget was used up. */
  budgetHit?: boolean;
  /** Files written by the turn (at once, or when its changes were accepted), with the file before and after. */
  changes: AppliedChange[];
}

export type Outcome =
  | { status: "succeeded"; stopReason: string | null; capHit: boolean; budgetHit: boolean }
  | { status: "failed"; error: string; stopReason: string | null }
  | { status: "cancelled"; error: string };

export interface Totals {
  usage: CallUsage;
  price: { costUsd: string | null; priceId: string | null };
  context: TurnContext;
}
