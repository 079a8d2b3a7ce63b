/**
 * One user turn, run on the server: the tool loop against the Messages API (at most ASSISTANT_MAX_MODEL_CALLS
 * model calls), the file changes staged in a Workspace, then one commit (commit.ts) that writes the changes (or
 * keeps them for review) and records the interaction row (record.ts), in one transaction. A failed or cancelled
 * turn writes no file; its row is recorded with the tokens of the calls that completed. What is said to the
 * model, and to the user when a turn fails, is in prompts.ts.
 */
import Anthropic from "@anthropic-ai/sdk";
import { env } from "~/env";
import { totalTokens } from "~/lib/pricing";
import { AppError } from "~/server/errors";
import { getBudgetStatus } from "~/server/services/usage/budget";
import { anthropicClient } from "./client";
import { recordTurn } from "./commit";
import { CallFailed, IncompleteStream, MalformedToolInput, streamModelCall, type CallResult } from "./model-call";
import {
  cancelMessage,
  describeFailure,
  MAX_TOKENS,
  systemPrompt,
  TRUNCATED_TOOL_USE,
  withCacheBreakpoints,
} from "./prompts";
import { recordProgress } from "./record";
import { emit, registerTurn, unregisterTurn, type RunningTurn } from "./registry";
import { runTool, TOOL_DEFINITIONS } from "./tools";
import type { Outcome, TurnStart } from "./turn-types";
import { Workspace } from "./workspace";

/** How often a running turn's row gets its heartbeat (well under STALE_TURN_MS in control.ts). */
export const HEARTBEAT_MS = 10_000;

/** The most tool-result bytes one turn may receive in all (each call re-sends them: they cost input tokens). */
export const TURN_TOOL_OUTPUT_MAX_BYTES = 512 * 1024;

/** Starts the turn in the background and registers it; answers at once. */
export function startTurn(start: TurnStart): RunningTurn {
  let resolveFinished!: () => void;
  const turn: RunningTurn = {
    interactionId: start.interactionId,
    userId: start.userId,
    projectId: start.projectId,
    conversationId: start.conversationId,
    controller: new AbortController(),
    text: "",
    tools: [],
    listeners: new Set(),
    committing: false,
    finished: new Promise<void>((resolve) => (resolveFinished = resolve)),
  };
  registerTurn(turn);
  // The heartbeat tells recovery (failInterruptedTurns) that this instance still runs the turn.
  const heartbeat = setInterval(() => {
    start.db.claudeInteraction
      .updateMany({ where: { id: start.interactionId, status: "running" }, data: { heartbeatAt: new Date() } })
      .catch((error: unknown) => console.error(`[assistant] turn ${start.interactionId}: heartbeat failed:`, error));
  }, HEARTBEAT_MS);
  heartbeat.unref();
  void runTurn(start, turn)
    .catch((error: unknown) => console.error(`[assistant] turn ${start.interactionId} could not be recorded:`, error))
    .finally(() => {
      clearInterval(heartbeat);
      unregisterTurn(turn);
      resolveFinished();
    });
  return turn;
}

async function runTurn(start: TurnStart, turn: RunningTurn): Promise<void> {
  const { db } = start;
  const signal = turn.controller.signal;
  const workspace = new Workspace(db, start.projectId, start.userId);
  const calls: CallResult[] = [];
  const messages: Anthropic.MessageParam[] = [];
  let capHit = false;
  let budgetHit: string | null = null;
  let toolBytes = 0;
  let outcome: Outcome;

  try {
    const client = anthropicClient();
    if (!client) throw new AppError("SERVICE_UNAVAILABLE", "ANTHROPIC_API_KEY is not set.");
    // Read here, not before the row existed: a failure to read it is a failed turn like any other.
    messages.push(...(await start.history()), { role: "user", content: start.message });
    for (;;) {
      if (calls.length >= env.ASSISTANT_MAX_MODEL_CALLS) {
        capHit = true;
        break;
      }
      if (signal.aborted) throw new Anthropic.APIUserAbortError();
      if (calls.length > 0) {
        // The budget is checked again before every further call: a long turn stops once it is used up.
        const budget = await getBudgetStatus({ db, userId: start.userId, projectId: start.projectId });
        if (budget.level === "exceeded") {
          budgetHit = budget.message ?? "the AI budget is used up";
          break;
        }
      }
      if (calls.length > 0 && turn.text !== "" && !turn.text.endsWith("\n"))
        emit(turn, { type: "text", delta: "\n\n" });
      const call = await streamModelCall(
        client,
        {
          model: start.model,
          max_tokens: MAX_TOKENS,
          system: [
            { type: "text", text: systemPrompt(start.kind, start.projectName), cache_control: { type: "ephemeral" } },
          ],
          tools: TOOL_DEFINITIONS,
          messages: withCacheBreakpoints(messages),
        },
        { signal, onText: (delta) => emit(turn, { type: "text", delta }) },
      );
      calls.push(call);
      await recordProgress(start, turn, calls);
      messages.push({
        role: "assistant",
        content: call.content.map((block) =>
          block.type === "tool_use" ? { type: "tool_use", id: block.id, name: block.name, input: block.input } : block,
        ),
      });
      const uses = call.content.filter((block) => block.type === "tool_use");
      // Cut off at the output limit in the middle of a tool call: answered (below) so Claude can go on.
      const cutOff = call.stopReason === "max_tokens" && uses.some((use) => use.truncated);
      if ((call.stopReason !== "tool_use" && !cutOff) || uses.length === 0) break;
      const results: Anthropic.ToolResultBlockParam[] = [];
      for (const use of uses) {
        if (signal.aborted) throw new Anthropic.APIUserAbortError();
        if (use.truncated) {
          emit(turn, { type: "tool", name: use.name, summary: `${use.name}: cut off at the output limit`, ok: false });
          results.push({ type: "tool_result", tool_use_id: use.id, content: TRUNCATED_TOOL_USE, is_error: true });
          continue;
        }
        let outcome = await runTool(workspace, use.name, use.input);
        const bytes = Buffer.byteLength(outcome.result, "utf8");
        if (toolBytes + bytes > TURN_TOOL_OUTPUT_MAX_BYTES) {
          outcome = {
            ...outcome,
            ok: false,
            result: `Not shown: this turn has received ${Math.round(toolBytes / 1024)} KB of tool results, and this one would pass the ${TURN_TOOL_OUTPUT_MAX_BYTES / 1024} KB a turn may receive. Finish with what you have (read only the lines you need, with start_line and end_line), or tell the user to ask again in a new turn.`,
          };
        } else {
          toolBytes += bytes;
        }
        emit(turn, { type: "tool", name: use.name, summary: outcome.summary, ok: outcome.ok });
        results.push({
          type: "tool_result",
          tool_use_id: use.id,
          content: outcome.result,
          ...(outcome.ok ? {} : { is_error: true }),
        });
      }
      messages.push({ role: "user", content: results });
    }
    if (budgetHit !== null) {
      emit(turn, {
        type: "text",
        delta: `${turn.text === "" ? "" : "\n\n"}(Stopped: ${budgetHit.replace(/\.$/, "")}. The changes so far are kept.)`,
      });
    }
    if (capHit) {
      emit(turn, {
        type: "text",
        delta: `${turn.text === "" ? "" : "\n\n"}(Stopped: this turn reached the limit of ${env.ASSISTANT_MAX_MODEL_CALLS} model calls. The changes so far are kept; ask again to continue.)`,
      });
    }
    outcome = {
      status: "succeeded",
      stopReason: calls.at(-1)?.stopReason ?? null,
      capHit,
      budgetHit: budgetHit !== null,
    };
  } catch (thrown) {
    let error = thrown;
    if (thrown instanceof CallFailed) {
      // The tokens of a call that failed or was cancelled after it started are billed: they are recorded too.
      if (thrown.call.requestId !== null || totalTokens(thrown.call.usage) > 0) {
        calls.push({ ...thrown.call, stopReason: null, partial: true });
      }
      error = thrown.cause;
    }
    if (error instanceof Anthropic.APIUserAbortError || signal.aborted) {
      outcome = { status: "cancelled", error: cancelMessage(turn) };
    } else {
      if (!(
        error instanceof Anthropic.APIError ||
        error instanceof MalformedToolInput ||
        error instanceof IncompleteStream
      )) {
        console.error(`[assistant] turn ${start.interactionId} failed:`, error);
      }
      outcome = { status: "failed", error: describeFailure(error), stopReason: calls.at(-1)?.stopReason ?? null };
    }
  }

  // From here on the turn is saved as it ended: a cancel answers cancelled: false (cancelTurn). One that came in
  // after the last call but before this point still wins.
  turn.committing = true;
  if (outcome.status === "succeeded" && signal.aborted) {
    outcome = { status: "cancelled", error: cancelMessage(turn) };
  }
  const changes = outcome.status === "succeeded" ? await workspace.changes() : [];
  await recordTurn(start, turn, calls, outcome, changes);
}
