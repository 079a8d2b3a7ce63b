/**
 * One user turn, run on the server: the tool loop against the Messages API (at most ASSISTANT_MAX_MODEL_CALLS
 * model calls), the file changes staged in a Workspace, then one commit that writes the changes (or keeps them for
 * review) and records the interaction row, in one transaction. A failed or cancelled turn writes no file; its row
 * is recorded with the tokens of the calls that completed.
 */
import Anthropic from "@anthropic-ai/sdk";
import { env } from "~/env";
import { sumUsage, totalTokens, type CallUsage } from "~/lib/pricing";
import type { Database } from "~/server/db/client";
import { makeActor, withWrite } from "~/server/db/write";
import { AppError } from "~/server/errors";
import { getBudgetStatus } from "~/server/services/usage/budget";
import { applyFileChanges, findChangeConflicts, type AppliedChange, type FileChange } from "~/server/services/files";
import { anthropicClient } from "./client";
import { priceTurn } from "./cost";
import { CallFailed, IncompleteStream, MalformedToolInput, streamModelCall, type CallResult } from "./model-call";
import { emit, registerTurn, unregisterTurn, type RunningTurn, type ToolCallView } from "./registry";
import { runTool, TOOL_DEFINITIONS } from "./tools";
import { Workspace } from "./workspace";

const MAX_TOKENS = 8192;
/** How often a running turn's row gets its heartbeat (well under STALE_TURN_MS in index.ts). */
export const HEARTBEAT_MS = 10_000;

/** The most tool-result bytes one turn may receive in all (each call re-sends them: they cost input tokens). */
export const TURN_TOOL_OUTPUT_MAX_BYTES = 512 * 1024;

/**
 * The messages as sent: prompt-caching breakpoints (cache_control) on the last block of the last message and of
 * the user message before it, so every call reads the prefix the previous call wrote (the API looks back at
 * most 20 blocks from a breakpoint). With the system prompt's that is 3 breakpoints; the API allows 4.
 */
export function withCacheBreakpoints(messages: Anthropic.MessageParam[]): Anthropic.MessageParam[] {
  const marked = new Set<number>([messages.length - 1]);
  for (let at = messages.length - 2; at >= 0; at--) {
    if (messages[at]!.role === "user") {
      marked.add(at);
      break;
    }
  }
  return messages.map((message, at) => {
    if (!marked.has(at) || (message.role !== "user" && message.role !== "assistant")) return message;
    const blocks: Anthropic.ContentBlockParam[] =
      typeof message.content === "string" ? [{ type: "text", text: message.content }] : [...message.content];
    const last = blocks.at(-1);
    if (!last || last.type === "thinking" || last.type === "redacted_thinking") return message;
    blocks[blocks.length - 1] = { ...last, cache_control: { type: "ephemeral" } };
    return { role: message.role, content: blocks } as Anthropic.MessageParam;
  });
}

/** The tool result for a tool call whose input the output limit cut off (it was not run). */
export const TRUNCATED_TOOL_USE =
  `Your output was cut off at the output limit (${MAX_TOKENS} tokens) in the middle of this tool call, so it was ` +
  "not run. Write smaller pieces: use edit_file for changes to an existing file, and split a large new file into " +
  "a short write_file followed by edit_file calls that add to it.";

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

type Outcome =
  | { status: "succeeded"; stopReason: string | null; capHit: boolean; budgetHit: boolean }
  | { status: "failed"; error: string; stopReason: string | null }
  | { status: "cancelled"; error: string };

function systemPrompt(kind: TurnStart["kind"], projectName: string): string {
  if (kind === "project_creation") {
    return [
      `You are Claude, working inside the Vaporform web IDE. The user has just created the project "${projectName}"`,
      "and described the app they want; so far it holds only a README.md. Create the app's first files with the",
      "tools (write_file for each file; paths are relative to the project root): a small, working starting point",
      "with a sensible layout, the files it needs to run (a package manifest or similar, an entry point, a README.md",
      "saying how to run it), and no placeholder files. Keep it focused on what the user described. Your files are",
      "saved together when you finish, so the user sees them as one change they can undo. End with a short summary",
      "of what you created and how to run it.",
    ].join(" ");
  }
  return [
    `You are Claude, working inside the Vaporform web IDE on the project "${projectName}".`,
    "Use the tools to look at and change the project's files; paths are relative to the project root.",
    "Prefer edit_file with a unique old_text for small changes. Your changes are saved together when you finish,",
    "so the user sees them as one change they can review or undo. Answer briefly and say what you changed.",
  ].join(" ");
}

/** The user-facing sentence for a failed call. */
export function describeFailure(error: unknown): string {
  if (error instanceof MalformedToolInput) return error.message;
  if (error instanceof IncompleteStream) return error.message;
  if (error instanceof Anthropic.APIConnectionError) {
    return "Could not reach the Anthropic API (a network problem or a timeout). Try again.";
  }
  if (error instanceof Anthropic.APIError) {
    const body = error.error as { error?: { type?: string; message?: string } } | undefined;
    const detail = body?.error?.message ?? "";
    const type = body?.error?.type ?? error.type ?? "";
    if (error.status === undefined) {
      // An `error` event in the middle of the stream: the SDK raises it without a status.
      return `The Anthropic API stopped in the middle of its answer (${type || "error"}${detail ? `: ${detail}` : ""}). Try again.`;
    }
    if (error.status === 429) return "The Anthropic API's rate limit was reached (429). Wait a moment, then try again.";
    if (error.status === 529) return "The Anthropic API is overloaded (529). Try again in a little while.";
    if (error.status === 401 || error.status === 403) {
      return `The Anthropic API refused the key (${error.status}): check ANTHROPIC_API_KEY.`;
    }
    if (error.status >= 500) return `The Anthropic API had an internal error (${error.status}). Try again.`;
    return `The Anthropic API refused the request (${error.status}${detail ? `: ${detail}` : ""}).`;
  }
  return "Something went wrong on our side while running this turn.";
}

function cancelMessage(turn: RunningTurn): string {
  return turn.stopping
    ? "The server was stopped during this turn; no file was changed. Ask again."
    : "Cancelled; no file was changed.";
}

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

function interactionType(kind: TurnStart["kind"], message: string, changed: boolean): string {
  if (kind === "project_creation") return kind;
  if (changed) return "file_modification";
  if (/\b(error|bug|debug|crash(es|ed)?|exception|stack ?trace|traceback|fails?|failing|broken)\b/i.test(message))
    return "debug";
  return "chat";
}

/** The row is no longer running (recovery marked it failed): nothing of the turn may be written. */
class TurnNotRunning extends Error {
  override name = "TurnNotRunning";
}

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

interface Totals {
  usage: CallUsage;
  price: { costUsd: string | null; priceId: string | null };
  context: TurnContext;
}

function tokenColumns(usage: CallUsage) {
  return {
    inputTokens: usage.inputTokens,
    outputTokens: usage.outputTokens,
    cacheReadTokens: usage.cacheReadTokens,
    cacheWriteTokens: usage.cacheWrite5mTokens,
    cacheWrite1hTokens: usage.cacheWrite1hTokens,
    totalTokens: totalTokens(usage),
  };
}

function callsOf(calls: CallResult[]): TurnContext["calls"] {
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
async function recordProgress(start: TurnStart, turn: RunningTurn, calls: CallResult[]): Promise<void> {
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
async function finishRow(tx: Pick<Database, "claudeInteraction">, start: TurnStart, data: object): Promise<void> {
  const updated = await tx.claudeInteraction.updateMany({
    where: { id: start.interactionId, status: "running" },
    data,
  });
  if (updated.count === 0) throw new TurnNotRunning(`The turn ${start.interactionId} is no longer running.`);
}

/**
 * Records the turn, and writes its changes (auto) or keeps them for review, in one transaction; retried when the
 * database fails. When the changes cannot be written (a refusal such as the storage limit or a file/folder clash,
 * or the database failing every time), they are kept for review with the reason, so Claude's work is not lost;
 * when even that fails, the turn is recorded as failed.
 */
async function recordTurn(
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

function finalData(
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
