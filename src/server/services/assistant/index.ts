/**
 * Claude in the IDE (issue 9): conversations per project, turns run on the server (turn.ts) and followed over
 * server-sent events, their file changes staged and saved as one write (or kept for review, review.ts), undo
 * (undo.ts), and each turn recorded as one claude_interactions row with its tokens and cost.
 */
import { randomUUID } from "node:crypto";
import type Anthropic from "@anthropic-ai/sdk";
import type pg from "pg";
import { readPreferences } from "~/lib/schemas/account";
import {
  ZAssistantCreateProjectInput,
  type TAssistantCreateProjectInput,
  type TAssistantSendInput,
} from "~/lib/schemas/assistant";
import { env } from "~/env";
import type { Database } from "~/server/db/client";
import type { Actor, WriteTx } from "~/server/db/write";
import { AppError } from "~/server/errors";
import { versionContent } from "~/server/services/files";
import { createProject } from "~/server/services/project";
import { assertTurnAllowed, getBudgetStatus } from "~/server/services/usage/budget";
import { assistantConfigured, configuredModels } from "./client";
import { runningTurn } from "./registry";
import { startTurn } from "./turn";
import { getTurn, readContext, toTurn, turnSelect } from "./turns";

export { getTurn, type Turn } from "./turns";
export { reviewTurn } from "./review";
export { undoTurn } from "./undo";
export { runningTurn, runningTurns, stopRunningTurns } from "./registry";

interface Scope {
  db: Database;
  userId: string;
  projectId: string;
}

/** A model id as the panel shows it: "claude-sonnet-5-5" -> "Claude Sonnet 5.5". */
function modelLabel(id: string): string {
  const match = /^claude-([a-z]+)-(\d+)-(\d+)$/.exec(id);
  if (!match) return id;
  return `Claude ${match[1]![0]!.toUpperCase()}${match[1]!.slice(1)} ${match[2]}.${match[3]}`;
}

async function applyPreference(db: Database, userId: string): Promise<"auto" | "review"> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { preferences: true } });
  return readPreferences(user?.preferences).assistantApply;
}

export async function assistantModels({ db, userId }: { db: Database; userId: string }) {
  const models = configuredModels();
  return {
    configured: assistantConfigured(),
    models: models.map((id) => ({ id, label: modelLabel(id) })),
    defaultModel: models[0] ?? null,
    apply: await applyPreference(db, userId),
  };
}

/** The user's conversations in the project, newest first, with their turns' count and cost. */
export async function listConversations({ db, userId, projectId }: Scope) {
  const [budget, rows] = await Promise.all([
    getBudgetStatus({ db, userId, projectId }),
    db.$queryRaw<
      {
        id: string;
        title: string;
        model: string | null;
        updated_at: Date;
        turns: number;
        cost_usd: string;
        unpriced_turns: number;
        running: boolean;
      }[]
    >`
      SELECT c.id, c.title, c.model, c.updated_at,
             count(i.id)::int AS turns,
             to_char(COALESCE(sum(i.cost_usd), 0), 'FM999999999990.000000') AS cost_usd,
             (count(i.id) FILTER (WHERE i.cost_usd IS NULL AND i.status <> 'running'))::int AS unpriced_turns,
             bool_or(i.status = 'running') IS TRUE AS running
        FROM claude_conversations c
        LEFT JOIN claude_interactions i ON i.conversation_id = c.id
       WHERE c.project_id = ${projectId}::uuid AND c.user_id = ${userId}::uuid
       GROUP BY c.id
       ORDER BY c.updated_at DESC, c.id`,
  ]);
  return {
    budget,
    conversations: rows.map((row) => ({
      id: row.id,
      title: row.title,
      model: row.model,
      updatedAt: row.updated_at.toISOString(),
      turns: row.turns,
      costUsd: row.cost_usd,
      unpricedTurns: row.unpriced_turns,
      running: row.running,
    })),
  };
}

async function ownConversation({ db, userId, projectId }: Scope, conversationId: string) {
  const conversation = await db.claudeConversation.findFirst({
    where: { id: conversationId, userId, projectId },
    select: { id: true, title: true, model: true },
  });
  if (!conversation) throw new AppError("NOT_FOUND", "This conversation does not exist.");
  return conversation;
}

/** A conversation with its turns, oldest first. */
export async function conversationMessages(scope: Scope & { conversationId: string }) {
  const conversation = await ownConversation(scope, scope.conversationId);
  const rows = await scope.db.claudeInteraction.findMany({
    where: { conversationId: conversation.id, userId: scope.userId },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: turnSelect,
  });
  return { conversation, turns: rows.map(toTurn) };
}

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

/** The advisory lock (two-int form: the assistant's namespace, then 0) that serializes claiming a turn slot. */
const TURN_SLOT_LOCK = 0x76666173;

/**
 * Refuses a turn past ASSISTANT_MAX_RUNNING_PER_USER running turns of the user, or ASSISTANT_MAX_RUNNING on the
 * installation. Counting and creating the running row happen under one transaction-scoped advisory lock, so
 * parallel sends (from any instance on the same database) cannot all pass the count.
 */
async function claimTurnSlot(tx: Pick<Database, "$queryRaw" | "$executeRaw">, userId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${TURN_SLOT_LOCK}::int, 0)`;
  const [counts] = await tx.$queryRaw<{ mine: number; all: number }[]>`
    SELECT (count(*) FILTER (WHERE user_id = ${userId}::uuid))::int AS mine, count(*)::int AS all
      FROM claude_interactions WHERE status = 'running'`;
  const perUser = env.ASSISTANT_MAX_RUNNING_PER_USER;
  if ((counts?.mine ?? 0) >= perUser) {
    throw new AppError(
      "TOO_MANY_REQUESTS",
      `You already have ${perUser === 1 ? "a turn" : `${perUser} turns`} of Claude running (the most at once): wait for one to finish, or cancel one.`,
    );
  }
  if ((counts?.all ?? 0) >= env.ASSISTANT_MAX_RUNNING) {
    throw new AppError(
      "TOO_MANY_REQUESTS",
      "Claude is busy on this server (too many turns are running at once). Try again in a minute.",
    );
  }
}

/** The interaction types a turn is started with (the commit may record a chat turn as file_modification or debug). */
export type TurnKind = "chat" | "project_creation";

/**
 * The refusals made before any API call or row: no key, a model that is not offered, a budget used up. Answers the
 * model to use. `projectId` may name a project about to be created (it has no budget or spend of its own yet).
 */
async function assertCanStart(scope: Scope & { model?: string }): Promise<string> {
  const { db, userId, projectId } = scope;
  if (!assistantConfigured()) {
    throw new AppError(
      "PRECONDITION_FAILED",
      "Claude is not configured on this server: set ANTHROPIC_API_KEY in its environment and restart it.",
    );
  }
  const models = configuredModels();
  const model = scope.model ?? models[0]!;
  if (!models.includes(model)) {
    throw new AppError("BAD_REQUEST", `The model ${model} is not offered here; choose one of ${models.join(", ")}.`);
  }
  await assertTurnAllowed({ db, userId, projectId });
  return model;
}

/** A new conversation titled after the message (its first 80 characters). */
async function newConversation(tx: WriteTx, scope: Omit<Scope, "db">, message: string, model: string) {
  const title = message.replace(/\s+/g, " ").trim().slice(0, 80);
  const conversation = await tx.claudeConversation.create({
    data: { projectId: scope.projectId, userId: scope.userId, title, model },
    select: { id: true },
  });
  return conversation.id;
}

/** The turn's interaction row, running until the turn is recorded. */
async function newInteraction(
  tx: WriteTx,
  scope: Omit<Scope, "db">,
  turn: { conversationId: string; kind: TurnKind; message: string; model: string },
) {
  const interaction = await tx.claudeInteraction.create({
    data: {
      projectId: scope.projectId,
      userId: scope.userId,
      conversationId: turn.conversationId,
      interactionType: turn.kind,
      userMessage: turn.message,
      claudeResponse: "",
      model: turn.model,
      status: "running",
      success: null,
      heartbeatAt: new Date(),
      contextData: { calls: [], tools: [], capHit: false, changes: [] },
    },
    select: { id: true, createdAt: true },
  });
  return {
    interactionId: interaction.id,
    conversationId: turn.conversationId,
    startedAt: interaction.createdAt ?? new Date(),
  };
}

/**
 * Starts a turn: refuses before any API call without a key, with an unknown model, over budget, or while the
 * conversation has a turn running; creates the conversation when none is given and the interaction row
 * (running), then runs the turn in this process and answers at once.
 */
export async function sendMessage(scope: Scope & { projectName: string; kind?: TurnKind } & TAssistantSendInput) {
  const { db, userId, projectId } = scope;
  const model = await assertCanStart(scope);
  const apply = await applyPreference(db, userId);
  const message = scope.message;
  const kind = scope.kind ?? "chat";

  const created = await db.$transaction(async (tx) => {
    await claimTurnSlot(tx, userId);
    let conversationId = scope.conversationId;
    if (conversationId) {
      const conversation = await tx.$queryRaw<{ id: string }[]>`
        SELECT id FROM claude_conversations
         WHERE id = ${conversationId}::uuid AND user_id = ${userId}::uuid AND project_id = ${projectId}::uuid
           FOR UPDATE`;
      if (!conversation[0]) throw new AppError("NOT_FOUND", "This conversation does not exist.");
      const running = await tx.claudeInteraction.findFirst({
        where: { conversationId, status: "running" },
        select: { id: true },
      });
      if (running) {
        throw new AppError("CONFLICT", "Claude is still answering in this conversation: wait for it, or cancel it.", {
          interactionId: running.id,
        });
      }
      await tx.claudeConversation.update({ where: { id: conversationId }, data: { updatedAt: new Date(), model } });
    } else {
      conversationId = await newConversation(tx, scope, message, model);
    }
    return newInteraction(tx, scope, { conversationId, kind, message, model });
  });

  startTurn({
    db,
    interactionId: created.interactionId,
    conversationId: created.conversationId,
    userId,
    projectId,
    projectName: scope.projectName,
    kind,
    model,
    message,
    apply,
    startedAt: created.startedAt,
    history: async () => (scope.conversationId ? history(db, created.conversationId, created.interactionId) : []),
  });
  return { interactionId: created.interactionId, conversationId: created.conversationId };
}

/**
 * A project from a prompt (issue 9, item 8): a blank project (createProject, with its README.md), a new
 * conversation and a running `project_creation` interaction are inserted in one transaction, then the turn runs on
 * the server, where Claude writes the app's first files through the usual commit (source claude, the interaction
 * id, is_generated). Answers at once. The refusals of assistant.send (no key, unknown model, budget used up) come
 * first, under the id the project will have, and a refused or invalid request leaves no project behind.
 *
 * The changes are applied even when the user reviews Claude's changes (assistantApply "review"): the preference
 * protects work from being overwritten, and a brand-new project holds no work yet; the user asked for these files,
 * sees them listed in the turn, and can still undo the turn as a whole.
 */
export async function createProjectFromPrompt(options: {
  db: Database;
  actor: Actor;
  userId: string;
  input: TAssistantCreateProjectInput;
}) {
  const { db, actor, userId } = options;
  const input = ZAssistantCreateProjectInput.parse(options.input);
  const projectId = randomUUID();
  const model = await assertCanStart({ db, userId, projectId, model: input.model });
  let created: Awaited<ReturnType<typeof newInteraction>> | undefined;
  await createProject({
    db,
    actor,
    userId,
    id: projectId,
    name: input.name,
    description: input.description,
    withinTransaction: async (tx) => {
      await claimTurnSlot(tx, userId);
      const conversationId = await newConversation(tx, { userId, projectId }, input.prompt, model);
      created = await newInteraction(
        tx,
        { userId, projectId },
        { conversationId, kind: "project_creation", message: input.prompt, model },
      );
    },
  });
  const turn = created!;
  startTurn({
    db,
    interactionId: turn.interactionId,
    conversationId: turn.conversationId,
    userId,
    projectId,
    projectName: input.name,
    kind: "project_creation",
    model,
    message: input.prompt,
    apply: "auto",
    startedAt: turn.startedAt,
    history: async () => [],
  });
  return { projectId, interactionId: turn.interactionId, conversationId: turn.conversationId };
}

/**
 * Cancels a running turn of the user (nothing it staged is written); false when it is no longer running, or is
 * already saving its changes (then it ends as it would have: the panel shows its outcome).
 */
export async function cancelTurn(scope: Scope & { interactionId: string }) {
  await getTurn(scope);
  const turn = runningTurn(scope.interactionId);
  if (!turn || turn.userId !== scope.userId || turn.committing) return { cancelled: false };
  turn.controller.abort();
  await turn.finished;
  return { cancelled: true };
}

/** A file of a turn before it and after it (or as proposed, for a turn waiting for review). */
export async function turnDiff(scope: Scope & { interactionId: string; path: string }) {
  await getTurn(scope);
  const { db, interactionId, path } = scope;
  const row = await db.claudeInteraction.findUniqueOrThrow({
    where: { id: interactionId },
    select: { contextData: true, pendingChanges: { where: { filePath: path } } },
  });
  const applied = readContext(row.contextData).changes.find((change) => change.path === path);
  if (applied) {
    const before = applied.before ? await versionContent(db, applied.before) : null;
    const after = applied.after ? await versionContent(db, applied.after) : null;
    return {
      path,
      before: before?.content ?? null,
      after: after?.content ?? null,
      isBinary: Boolean(before?.isBinary || after?.isBinary),
    };
  }
  const pending = row.pendingChanges[0];
  if (pending?.status === "rejected") {
    throw new AppError("NOT_FOUND", `Claude's change to ${path} was rejected; it is no longer kept.`);
  }
  if (pending) {
    const before =
      pending.baseFileId && pending.baseVersion !== null
        ? await versionContent(db, { fileId: pending.baseFileId, version: pending.baseVersion })
        : null;
    return {
      path,
      before: before?.content ?? null,
      after: pending.content,
      isBinary: Boolean(before?.isBinary || pending.isBinary),
    };
  }
  throw new AppError("NOT_FOUND", `This turn did not change ${path}.`);
}

/** A running turn whose heartbeat is older than this was cut off (its instance stopped or crashed). */
export const STALE_TURN_MS = 60_000;

/**
 * Turns cut off by a crash or a restart (still running, but their instance stopped beating for STALE_TURN_MS)
 * are recorded as failed; none of their changes was written (a turn writes only when it ends). Run at start
 * and every minute (scripts/start.ts); turns of another live instance on the same database keep beating and are
 * left alone. Answers how many were failed.
 */
export async function failInterruptedTurns(
  pool: Pick<pg.Pool, "query">,
  staleAfterMs: number = STALE_TURN_MS,
): Promise<number> {
  const result = await pool.query(
    `UPDATE claude_interactions
        SET status = 'failed', success = false, completed_at = now(),
            error_message = 'The server stopped or restarted during this turn; no file was changed.',
            execution_time_ms = LEAST(2147483647, GREATEST(0, extract(epoch FROM now() - created_at) * 1000))::int
      WHERE status = 'running'
        AND COALESCE(heartbeat_at, created_at) < now() - make_interval(secs => $1::double precision / 1000)`,
    [staleAfterMs],
  );
  return result.rowCount ?? 0;
}
