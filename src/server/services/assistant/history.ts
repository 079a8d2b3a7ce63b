/**
 * A conversation's earlier turns as the model's message history, within HISTORY_LIMITS, each answer noted with
 * what happened to its changes (undone, rejected, not applied, failed), so the model does not assume they exist.
 */
import type Anthropic from "@anthropic-ai/sdk";
import type { Database } from "~/server/db/client";

/** How much of a conversation's earlier turns is sent with a new turn (characters; the newest turns first). */
export const HISTORY_LIMITS = { turns: 50, totalChars: 200_000, responseChars: 20_000 };

/** What happened to a turn's changes, told to the model with its answer (so it does not assume they exist). */
function outcomeNote(row: {
  status: string;
  errorMessage: string | null;
  reviewState: string | null;
  undoneAt: Date | null;
}): string | null {
  if (row.undoneAt) return "(The user undid this turn: its file changes were reverted.)";
  if (row.status === "cancelled") return "(The user cancelled this turn: none of its file changes were saved.)";
  if (row.status === "failed") {
    const reason = row.errorMessage?.trim().replace(/\.$/, "");
    return `(This turn failed${reason ? `: ${reason}` : ""}. None of its file changes were saved.)`;
  }
  if (row.reviewState === "rejected") return "(The user rejected this turn's file changes: they were not applied.)";
  if (row.reviewState === "pending") return "(This turn's file changes await the user's review: not applied yet.)";
  if (row.reviewState === "conflict") {
    return "(This turn's file changes were not applied: files changed meanwhile; they await the user's review.)";
  }
  if (row.reviewState === "partial") return "(The user accepted only some of this turn's file changes.)";
  return null;
}

/**
 * The earlier turns of a conversation as the model's message history: the newest ones (at most
 * HISTORY_LIMITS.turns, and HISTORY_LIMITS.totalChars in all, each answer cut at responseChars), oldest first,
 * each answer followed by a note when its changes were undone, rejected, not applied, or the turn failed. A turn
 * that ended with no answer at all is left out.
 */
export async function history(
  db: Database,
  conversationId: string,
  before?: string,
): Promise<Anthropic.MessageParam[]> {
  const rows = await db.claudeInteraction.findMany({
    where: { conversationId, status: { not: "running" }, ...(before ? { id: { not: before } } : {}) },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: {
      userMessage: true,
      claudeResponse: true,
      status: true,
      errorMessage: true,
      reviewState: true,
      undoneAt: true,
    },
    take: HISTORY_LIMITS.turns,
  });
  const pairs: Anthropic.MessageParam[][] = [];
  let chars = 0;
  for (const row of rows) {
    let response = row.claudeResponse.trim();
    if (response === "" && row.status !== "succeeded") continue;
    if (response.length > HISTORY_LIMITS.responseChars) {
      response = `${response.slice(0, HISTORY_LIMITS.responseChars)}\n[… the rest of this answer is left out]`;
    }
    const note = outcomeNote(row);
    if (note) response = response === "" ? note : `${response}\n\n${note}`;
    if (response === "") continue;
    chars += row.userMessage.length + response.length;
    if (chars > HISTORY_LIMITS.totalChars) break;
    pairs.push([
      { role: "user", content: row.userMessage },
      { role: "assistant", content: response },
    ]);
  }
  return pairs.reverse().flat();
}
