/**
 * Starting turns: the refusals made before any API call (no key, a model not offered, the budget used up, too many
 * turns running, a turn already running in the conversation), the conversation and the running interaction row,
 * then the turn run in this process (turn.ts). Used by assistant.send and by a new project from a prompt.
 */
import { randomUUID } from "node:crypto";
import {
  ZAssistantCreateProjectInput,
  type TAssistantCreateProjectInput,
  type TAssistantSendInput,
} from "~/lib/schemas/assistant";
import { env } from "~/env";
import type { Database } from "~/server/db/client";
import type { Actor, WriteTx } from "~/server/db/write";
import { assertProjectWritable } from "~/server/services/project-settings";
import { AppError } from "~/server/errors";
import { createProject } from "~/server/services/project";
import { assertTurnAllowed } from "~/server/services/usage/budget";
import { assistantConfigured, configuredModels } from "./client";
import { applyPreference, type Scope } from "./conversations";
import { history } from "./history";
import { startTurn } from "./turn";

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
  await assertProjectWritable(db, projectId);
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
