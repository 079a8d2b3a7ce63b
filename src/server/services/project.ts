/**
 * Projects: the caller's list, one project's header, and creation (blank, or from a template's files).
 */
import { z } from "zod";
import { normalizeFilePath } from "~/lib/paths";
import { PROJECT_SORTS, ZListProjectsInput, type TListProjectsInput } from "~/lib/schemas/project";
import { Prisma } from "~/generated/prisma/client";
import type { Database } from "~/server/db/client";
import { isUniqueViolation } from "~/server/db/errors";
import { withWrite, type Actor, type WriteTx } from "~/server/db/write";
import { AppError } from "~/server/errors";
import { assertConsistentTree, decodeBase64, prepareBinary, prepareText, writeFiles, type PreparedFile } from "./files";

const listSelect = {
  id: true,
  name: true,
  description: true,
  status: true,
  totalFiles: true,
  totalSizeBytes: true,
  updatedAt: true,
  lastActivityAt: true,
  templateId: true,
} as const;

const listOrder: Record<(typeof PROJECT_SORTS)[number], Prisma.ProjectOrderByWithRelationInput[]> = {
  activity: [{ lastActivityAt: { sort: "desc", nulls: "last" } }, { createdAt: "desc" }, { id: "asc" }],
  name: [{ name: "asc" }, { id: "asc" }],
  size: [{ totalSizeBytes: "desc" }, { name: "asc" }, { id: "asc" }],
  created: [{ createdAt: { sort: "desc", nulls: "last" } }, { id: "asc" }],
};

/**
 * One page of the caller's projects, searched (name or description), filtered by status, sorted. Archived projects
 * are left out unless asked for, or unless "archived" is the status asked for. Paged by offset with a unique
 * tie-breaker (id) in every order: a user has at most a few thousand projects, so the offset stays cheap, and a
 * keyset over four sort orders (one of them on a nullable column) would buy nothing here.
 */
export async function listProjects({
  db,
  userId,
  input,
}: {
  db: Database;
  userId: string;
  input?: TListProjectsInput;
}) {
  const { search, sort, status, includeArchived, cursor, limit } = ZListProjectsInput.parse(input ?? {});
  const where: Prisma.ProjectWhereInput = {
    userId,
    ...(status ? { status } : {}),
    ...(includeArchived || status === "archived" ? {} : { archivedAt: null }),
    ...(search
      ? {
          OR: [
            { name: { contains: search, mode: "insensitive" } },
            { description: { contains: search, mode: "insensitive" } },
          ],
        }
      : {}),
  };
  const offset = cursor ?? 0;
  const rows = await db.project.findMany({
    where,
    orderBy: listOrder[sort],
    skip: offset,
    take: limit + 1,
    select: { ...listSelect, healthStatus: true, createdAt: true, archivedAt: true },
  });
  const page = rows.slice(0, limit);
  const unpushed = await unpushedChanges(
    db,
    page.map((project) => project.id),
  );
  const items = page.map((project) => ({
    ...project,
    totalSizeBytes: Number(project.totalSizeBytes),
    /** Files changed since the last Git sync (null: the project has never synced with a remote). */
    unpushedChanges: unpushed.get(project.id) ?? null,
  }));
  return { items, nextCursor: rows.length > limit ? offset + limit : null };
}

/**
 * For each of `projectIds` synced with a Git remote, how many of its files differ from the synced commit (added,
 * changed, deleted), counted in SQL from the stored hashes, as git.status lists them: the list shows what a
 * delete or a stop would leave unpushed.
 */
async function unpushedChanges(db: Database, projectIds: string[]): Promise<Map<string, number>> {
  if (projectIds.length === 0) return new Map();
  const rows = await db.$queryRaw<{ project_id: string; changes: number }[]>`
    SELECT s.project_id,
           (SELECT count(*)::int FROM project_files f
             WHERE f.project_id = s.project_id AND (s.files ->> f.file_path) IS DISTINCT FROM f.content_hash)
         + (SELECT count(*)::int FROM jsonb_object_keys(s.files) AS k(path)
             WHERE NOT EXISTS (SELECT 1 FROM project_files f WHERE f.project_id = s.project_id AND f.file_path = k.path))
           AS changes
      FROM project_git_sync s
     WHERE s.project_id = ANY(${projectIds}::uuid[])`;
  return new Map(rows.map((row) => [row.project_id, row.changes]));
}

/** What the IDE header shows about one of the caller's projects. */
export async function getProject({ db, projectId, userId }: { db: Database; projectId: string; userId: string }) {
  const project = await db.project.findFirst({
    where: { id: projectId, userId },
    select: {
      ...listSelect,
      healthStatus: true,
      serviceUrl: true,
      createdAt: true,
      archivedAt: true,
      template: { select: { id: true, name: true } },
    },
  });
  if (!project) throw new AppError("NOT_FOUND", "Project not found.");
  return { ...project, totalSizeBytes: Number(project.totalSizeBytes) };
}

const ZTemplateFiles = z.object({
  files: z
    .array(z.object({ path: z.string(), content: z.string(), encoding: z.enum(["utf-8", "base64"]).optional() }))
    .max(10_000),
});

/** A template's (or template version's) `file_structure.files`, validated like any upload. */
export function templateFiles(fileStructure: unknown): PreparedFile[] {
  const parsed = ZTemplateFiles.safeParse(fileStructure);
  if (!parsed.success) throw new AppError("BAD_REQUEST", "This template's files are damaged; choose another template.");
  const files = parsed.data.files.map((file) => {
    const checked = normalizeFilePath(file.path);
    if (!checked.ok) throw new AppError("BAD_REQUEST", `This template has an invalid file path (${checked.message})`);
    return file.encoding === "base64"
      ? prepareBinary(checked.path, decodeBase64(file.content, checked.path))
      : prepareText(checked.path, file.content);
  });
  assertConsistentTree(files.map((file) => file.path));
  return files;
}

/** The answer to a project name the user already has (the form shows it at the name field). */
export function duplicateProjectName(name: string): AppError {
  return new AppError("CONFLICT", `You already have a project named “${name}”. Choose another name.`, {
    field: "name",
  });
}

/**
 * Creates a project for `userId` (its owner), written as `actor`: from a template (a public one, or the owner's
 * own), its files are copied in ONE INSERT in the same transaction; a blank project gets a README.md. Names are
 * unique per user. `id` is for the demo seed (whose projects keep the same ids on every install) and for a project
 * from a prompt (whose budget is checked under its id before it exists). `withinTransaction` runs in the same
 * transaction once the project and its files are inserted: what it writes (a project from a prompt's conversation
 * and first turn) exists exactly when the project does.
 */
export async function createProject(options: {
  db: Database;
  actor: Actor;
  userId: string;
  name: string;
  description: string;
  /** A blank project's answers from the new-project dialog (a template brings its own tech stack). */
  functionality?: string;
  architectureType?: string;
  techStack?: string[];
  templateId?: string;
  /** A project from elsewhere (a Git import) brings its own files, checked by the caller. */
  files?: PreparedFile[];
  id?: string;
  withinTransaction?: (tx: WriteTx, projectId: string) => Promise<void>;
}) {
  const { db, actor, userId, name, description, templateId, id, withinTransaction } = options;
  let files: PreparedFile[];
  let techStack: Prisma.InputJsonValue = options.techStack ?? {};
  let templateVersion: { id: string; version: string; templateName: string } | null = null;
  if (templateId) {
    const template = await db.projectTemplate.findFirst({
      where: { id: templateId, OR: [{ isPublic: true }, { createdById: userId }] },
      select: { name: true, version: true, fileStructure: true, techStack: true },
    });
    if (!template) throw new AppError("NOT_FOUND", "Template not found.");
    // The current version's own files: the project records exactly what it was made from.
    const current = await db.projectTemplateVersion.findUnique({
      where: { templateId_version: { templateId, version: template.version ?? "1.0.0" } },
      select: { id: true, version: true, fileStructure: true, techStack: true },
    });
    files = templateFiles(current?.fileStructure ?? template.fileStructure);
    techStack = options.techStack?.length
      ? options.techStack
      : ((current?.techStack ?? template.techStack ?? {}) as Prisma.InputJsonValue);
    if (current) templateVersion = { id: current.id, version: current.version, templateName: template.name };
  } else if (options.files) {
    files = options.files;
    assertConsistentTree(files.map((file) => file.path));
  } else {
    files = [prepareText("README.md", `# ${name}\n${description ? `\n${description}\n` : ""}`)];
  }

  try {
    return await withWrite(
      db,
      actor,
      async (tx) => {
        const project = await tx.project.create({
          data: {
            id,
            userId,
            name,
            description,
            functionality: options.functionality || null,
            architectureType: options.architectureType ?? "monolithic",
            techStack,
            templateId: templateId ?? null,
            templateVersionId: templateVersion?.id ?? null,
            status: "stopped",
          },
          select: { id: true },
        });
        await writeFiles(tx, project.id, actor, files, false);
        if (templateId) {
          await tx.projectActivity.create({
            data: {
              projectId: project.id,
              userId: actor.userId,
              activityType: "template_used",
              description: templateVersion
                ? `Created from template ${templateVersion.templateName} ${templateVersion.version}`
                : "Created from a template",
              metadata: {
                template_id: templateId,
                template_version_id: templateVersion?.id ?? null,
                version: templateVersion?.version ?? null,
              },
              sourceType: actor.source,
              sourceId: actor.interactionId,
            },
          });
        }
        await withinTransaction?.(tx, project.id);
        return { id: project.id };
      },
      { timeout: options.files ? 60_000 : 30_000 },
    );
  } catch (error) {
    if (isUniqueViolation(error)) throw duplicateProjectName(name);
    throw error;
  }
}
