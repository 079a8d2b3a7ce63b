/**
 * A project's settings: metadata, environment variables (encrypted, write-only), resource limits, repository,
 * archive and unarchive, and delete. Every change is one transaction that also logs project_activity as the actor
 * (source "user" from the settings page), with what changed before and after; secrets never appear in it.
 */
import { ARCHIVED_MESSAGE, ENV_VAR_MAX_COUNT, type TUpdateProjectInput } from "~/lib/schemas/project";
import { Prisma } from "~/generated/prisma/client";
import { encryptSecret } from "~/server/crypto";
import type { Database } from "~/server/db/client";
import { isUniqueViolation, pgErrorCode } from "~/server/db/errors";
import { withWrite, type Actor, type WriteTx } from "~/server/db/write";
import { AppError } from "~/server/errors";
import { techStackLabels } from "./templates/format";
import { duplicateProjectName } from "./project";

/** SQLSTATE raised by the database when a file write reaches an archived project (vf_refuse_archived_project_writes). */
export const ARCHIVED_SQLSTATE = "VF423";

/** The user's message for an error raised by the archived-project trigger; null for any other error. */
export function archivedProjectError(error: unknown): AppError | null {
  return pgErrorCode(error) === ARCHIVED_SQLSTATE ? new AppError("PRECONDITION_FAILED", ARCHIVED_MESSAGE) : null;
}

/**
 * Refuses work on an archived project before it starts (a Claude turn, which would spend tokens before its first
 * write reached the database's check). A project that does not exist yet (about to be created) passes.
 */
export async function assertProjectWritable(db: Pick<Database, "project">, projectId: string): Promise<void> {
  const project = await db.project.findUnique({ where: { id: projectId }, select: { archivedAt: true } });
  if (project?.archivedAt) throw new AppError("PRECONDITION_FAILED", ARCHIVED_MESSAGE);
}

type Scope = { db: Database; actor: Actor; projectId: string; userId: string };

const settingsSelect = {
  id: true,
  name: true,
  description: true,
  functionality: true,
  architectureType: true,
  techStack: true,
  status: true,
  memoryLimitMb: true,
  cpuLimitPercent: true,
  storageLimitMb: true,
  repositoryType: true,
  repositoryUrl: true,
  repositoryBranch: true,
  archivedAt: true,
  environmentVars: true,
  environmentVarTimes: true,
} as const;

type SettingsRow = Prisma.ProjectGetPayload<{ select: typeof settingsSelect }>;

function objectOf(value: unknown): Record<string, unknown> {
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** What the settings page shows: never an env var's value, only its name and when it was set. */
function present(row: SettingsRow) {
  const { environmentVars, environmentVarTimes, techStack, ...rest } = row;
  const times = objectOf(environmentVarTimes);
  return {
    ...rest,
    techStack: techStackLabels(techStack),
    envVars: Object.keys(objectOf(environmentVars))
      .sort()
      .map((name) => ({ name, updatedAt: typeof times[name] === "string" ? (times[name] as string) : null })),
  };
}

/** The settings of one of the caller's projects. */
export async function getProjectSettings({
  db,
  projectId,
  userId,
}: {
  db: Database;
  projectId: string;
  userId: string;
}) {
  const row = await db.project.findFirst({ where: { id: projectId, userId }, select: settingsSelect });
  if (!row) throw new AppError("NOT_FOUND", "Project not found.");
  return present(row);
}

/** Locks the project row for the change (so two edits of its env vars do not lose one) and refuses an archived one. */
async function lockForChange(tx: WriteTx, projectId: string, userId: string, allowArchived = false) {
  await tx.$queryRaw`SELECT 1 AS locked FROM projects WHERE id = ${projectId}::uuid FOR UPDATE`;
  const row = await tx.project.findFirst({ where: { id: projectId, userId }, select: settingsSelect });
  if (!row) throw new AppError("NOT_FOUND", "Project not found.");
  if (row.archivedAt && !allowArchived) throw new AppError("PRECONDITION_FAILED", ARCHIVED_MESSAGE);
  return row;
}

async function logActivity(
  tx: WriteTx,
  actor: Actor,
  projectId: string,
  entry: { type: string; description: string; metadata?: Prisma.InputJsonValue; before?: unknown; after?: unknown },
) {
  await tx.projectActivity.create({
    data: {
      projectId,
      userId: actor.userId,
      activityType: entry.type,
      description: entry.description,
      metadata: entry.metadata ?? {},
      beforeState: entry.before === undefined ? Prisma.JsonNull : (entry.before as Prisma.InputJsonValue),
      afterState: entry.after === undefined ? Prisma.JsonNull : (entry.after as Prisma.InputJsonValue),
      sourceType: actor.source,
      sourceId: actor.interactionId,
    },
  });
}

const FIELD_LABELS: Record<string, string> = {
  name: "name",
  description: "description",
  functionality: "functionality",
  architectureType: "architecture",
  techStack: "tech stack",
  memoryLimitMb: "memory limit",
  cpuLimitPercent: "CPU limit",
  storageLimitMb: "storage limit",
  repositoryType: "repository type",
  repositoryUrl: "repository URL",
  repositoryBranch: "repository branch",
};

/**
 * Changes the given settings (the others stay as they are); logs one `settings_changed` activity with the changed
 * fields before and after. Nothing changed: nothing written.
 */
export async function updateProject({ db, actor, projectId, userId, input }: Scope & { input: TUpdateProjectInput }) {
  const { projectId: _ignored, ...fields } = input;
  try {
    return await withWrite(db, actor, async (tx) => {
      const row = await lockForChange(tx, projectId, userId);
      const current = present(row) as unknown as Record<string, unknown>;
      const next: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(fields)) {
        if (value === undefined) continue;
        const normalized = key === "repositoryUrl" || key === "functionality" ? value || null : value;
        if (JSON.stringify(current[key] ?? null) !== JSON.stringify(normalized ?? null)) next[key] = normalized;
      }
      const changed = Object.keys(next);
      if (changed.length === 0) return present(row);
      const before = Object.fromEntries(changed.map((key) => [key, current[key] ?? null]));
      const updated = await tx.project.update({ where: { id: projectId }, data: next, select: settingsSelect });
      // The last Git sync belongs to the remote and branch it was made with: another one starts afresh.
      if ("repositoryUrl" in next || "repositoryBranch" in next) {
        await tx.projectGitSync.deleteMany({ where: { projectId } });
      }
      await logActivity(tx, actor, projectId, {
        type: "settings_changed",
        description: `Changed the ${changed.map((key) => FIELD_LABELS[key] ?? key).join(", ")}`,
        metadata: { fields: changed },
        before,
        after: next,
      });
      return present(updated);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw duplicateProjectName(input.name ?? "");
    throw error;
  }
}

/** Sets (adds or replaces) an environment variable, its value encrypted; the activity names it, never its value. */
export async function setEnvVar({
  db,
  actor,
  projectId,
  userId,
  name,
  value,
}: Scope & { name: string; value: string }) {
  return withWrite(db, actor, async (tx) => {
    const row = await lockForChange(tx, projectId, userId);
    const vars = objectOf(row.environmentVars);
    const replacing = name in vars;
    if (!replacing && Object.keys(vars).length >= ENV_VAR_MAX_COUNT) {
      throw new AppError(
        "BAD_REQUEST",
        `A project can have at most ${ENV_VAR_MAX_COUNT} environment variables; delete one first.`,
        { field: "name" },
      );
    }
    const at = new Date().toISOString();
    const updated = await tx.project.update({
      where: { id: projectId },
      data: {
        environmentVars: { ...vars, [name]: encryptSecret(value) } as Prisma.InputJsonValue,
        environmentVarTimes: { ...objectOf(row.environmentVarTimes), [name]: at } as Prisma.InputJsonValue,
      },
      select: settingsSelect,
    });
    await logActivity(tx, actor, projectId, {
      type: "env_var_set",
      description: `${replacing ? "Replaced" : "Added"} the environment variable ${name}`,
      metadata: { name, replaced: replacing },
    });
    return present(updated);
  });
}

/** Deletes an environment variable. */
export async function deleteEnvVar({ db, actor, projectId, userId, name }: Scope & { name: string }) {
  return withWrite(db, actor, async (tx) => {
    const row = await lockForChange(tx, projectId, userId);
    const vars = objectOf(row.environmentVars);
    if (!(name in vars)) throw new AppError("NOT_FOUND", `There is no environment variable ${name}.`);
    const { [name]: _gone, ...rest } = vars;
    const { [name]: _time, ...times } = objectOf(row.environmentVarTimes);
    const updated = await tx.project.update({
      where: { id: projectId },
      data: { environmentVars: rest as Prisma.InputJsonValue, environmentVarTimes: times as Prisma.InputJsonValue },
      select: settingsSelect,
    });
    await logActivity(tx, actor, projectId, {
      type: "env_var_deleted",
      description: `Deleted the environment variable ${name}`,
      metadata: { name },
    });
    return present(updated);
  });
}

/**
 * Archives the project: `archived_at` set and status "archived"; from then on the database refuses every change
 * of its files (vf_refuse_archived_project_writes) and Claude refuses to start a turn on it.
 */
export async function archiveProject({ db, actor, projectId, userId }: Scope) {
  return withWrite(db, actor, async (tx) => {
    const row = await lockForChange(tx, projectId, userId, true);
    if (row.archivedAt) return present(row);
    const updated = await tx.project.update({
      where: { id: projectId },
      data: { archivedAt: new Date(), status: "archived" },
      select: settingsSelect,
    });
    await logActivity(tx, actor, projectId, {
      type: "project_archived",
      description: "Archived the project (read-only)",
      before: { status: row.status, archivedAt: null },
      after: { status: "archived", archivedAt: updated.archivedAt },
    });
    return present(updated);
  });
}

/** Unarchives the project: writable again, status "stopped" (a preview starts only when asked). */
export async function unarchiveProject({ db, actor, projectId, userId }: Scope) {
  return withWrite(db, actor, async (tx) => {
    const row = await lockForChange(tx, projectId, userId, true);
    if (!row.archivedAt) return present(row);
    const updated = await tx.project.update({
      where: { id: projectId },
      data: { archivedAt: null, status: "stopped" },
      select: settingsSelect,
    });
    await logActivity(tx, actor, projectId, {
      type: "project_unarchived",
      description: "Unarchived the project",
      before: { status: row.status, archivedAt: row.archivedAt },
      after: { status: "stopped", archivedAt: null },
    });
    return present(updated);
  });
}

/**
 * Deletes the project and everything of it (files, history, activity, conversations, integrations, resources:
 * ON DELETE CASCADE), once the caller has typed its exact name. Its Claude interactions stay, without their
 * content: claude_interactions.project_id is ON DELETE SET NULL and a trigger keeps the project's id in
 * `deleted_project_id` and erases prompts, answers and tool calls, so the install's cost history (by day, model,
 * user, and under "Deleted project") and the owner's month-to-date budget spend do not change. Refused while a
 * Claude turn runs in it (it would finish writing into a project that is gone): cancel it first.
 */
export async function deleteProject({ db, actor, projectId, userId, confirmName }: Scope & { confirmName: string }) {
  return withWrite(db, actor, async (tx) => {
    const row = await lockForChange(tx, projectId, userId, true);
    if (confirmName.trim().normalize("NFC") !== row.name) {
      throw new AppError("BAD_REQUEST", `Type the project's name, ${row.name}, exactly to delete it.`, {
        field: "confirmName",
      });
    }
    const running = await tx.claudeInteraction.count({ where: { projectId, status: "running" } });
    if (running > 0) {
      throw new AppError(
        "CONFLICT",
        "Claude is working in this project right now. Cancel the turn (or wait for it to finish), then delete the project.",
      );
    }
    await tx.project.delete({ where: { id: projectId } });
    return { id: projectId };
  });
}
