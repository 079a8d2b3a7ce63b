/**
 * What the panel reads: the models offered (and the user's apply preference), the user's conversations in a
 * project with their turns' count and cost, one conversation's turns, and a file of a turn before and after it.
 * Every read is scoped to the user and project (someone else's conversation or turn is NOT_FOUND).
 */
import { readPreferences } from "~/lib/schemas/account";
import type { Database } from "~/server/db/client";
import { AppError } from "~/server/errors";
import { versionContent } from "~/server/services/files";
import { getBudgetStatus } from "~/server/services/usage/budget";
import { assistantConfigured, configuredModels } from "./client";
import { getTurn, readContext, toTurn, turnSelect } from "./turns";

/** The user and project a call of the assistant's services acts for. */
export interface Scope {
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

export async function applyPreference(db: Database, userId: string): Promise<"auto" | "review"> {
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
