/**
 * Authors' side: publish a project's files as a new template or as a new version of one's own template (every
 * version keeps its files), edit its metadata, delete it; admins mark templates featured or official.
 */
import { compareSemver, type TPublishTemplateInput, type TUpdateTemplateInput } from "~/lib/schemas/template";
import { Prisma } from "~/generated/prisma/client";
import { env } from "~/env";
import type { Database } from "~/server/db/client";
import { AppError } from "~/server/errors";
import { formatBytes } from "~/lib/bytes";
import { recordAudit } from "../usage/audit";

type PublishInput = Extract<TPublishTemplateInput, { mode: "new" }> & {
  version: string;
  changelog: string;
  tags: string[];
};
type VersionInput = Extract<TPublishTemplateInput, { mode: "version" }>;

interface Snapshot {
  fileStructure: { files: { path: string; content: string; encoding?: "base64" }[] };
  fileCount: number;
  totalSizeBytes: number;
  techStack: Prisma.InputJsonValue;
}

/** Refuses a snapshot of more files or bytes than a template may hold (TEMPLATE_MAX_FILES, TEMPLATE_MAX_BYTES). */
function assertWithinTemplateLimits(fileCount: number, sizeBytes: number) {
  if (fileCount > env.TEMPLATE_MAX_FILES) {
    throw new AppError(
      "BAD_REQUEST",
      `This project has ${fileCount.toLocaleString("en-US")} files; a template holds at most ${env.TEMPLATE_MAX_FILES.toLocaleString("en-US")}.`,
    );
  }
  if (sizeBytes > env.TEMPLATE_MAX_BYTES) {
    throw new AppError(
      "BAD_REQUEST",
      `This project's files take ${formatBytes(sizeBytes)}, over the template limit of ${formatBytes(env.TEMPLATE_MAX_BYTES)}.`,
    );
  }
}

/**
 * The project's files as a template's `file_structure`, refused before any content is read when the project is
 * over the template limits (TEMPLATE_MAX_FILES, TEMPLATE_MAX_BYTES), and again on the files read: the counters
 * are read first, and files saved or imported in between must not slip past the limits.
 */
async function snapshotProject(
  db: Database | Prisma.TransactionClient,
  projectId: string,
  userId: string,
): Promise<Snapshot> {
  const project = await db.project.findFirst({
    where: { id: projectId, userId },
    select: { totalFiles: true, totalSizeBytes: true, techStack: true },
  });
  if (!project) throw new AppError("NOT_FOUND", "Project not found.");
  if (project.totalFiles === 0) throw new AppError("BAD_REQUEST", "This project has no files to publish.");
  assertWithinTemplateLimits(project.totalFiles, Number(project.totalSizeBytes));
  const files = await db.projectFile.findMany({
    where: { projectId },
    orderBy: { filePath: "asc" },
    select: { filePath: true, content: true, isBinary: true, sizeBytes: true },
    take: env.TEMPLATE_MAX_FILES + 1,
  });
  const totalSizeBytes = files.reduce((sum, file) => sum + file.sizeBytes, 0);
  if (files.length === 0) throw new AppError("BAD_REQUEST", "This project has no files to publish.");
  assertWithinTemplateLimits(files.length, totalSizeBytes);
  return {
    fileStructure: {
      files: files.map((file) =>
        file.isBinary
          ? { path: file.filePath, content: file.content, encoding: "base64" as const }
          : { path: file.filePath, content: file.content },
      ),
    },
    fileCount: files.length,
    totalSizeBytes,
    techStack: (project.techStack ?? {}) as Prisma.InputJsonValue,
  };
}

/** Publishes one of the caller's projects as a new template (its first version). */
export async function publishTemplate(options: { db: Database; userId: string; input: PublishInput }) {
  const { db, userId, input } = options;
  const snapshot = await snapshotProject(db, input.projectId, userId);
  return db.$transaction(async (tx) => {
    const template = await tx.projectTemplate.create({
      data: {
        createdById: userId,
        sourceProjectId: input.projectId,
        name: input.name,
        description: input.description,
        category: input.category,
        tags: input.tags,
        techStack: snapshot.techStack,
        fileStructure: snapshot.fileStructure,
        isPublic: input.isPublic,
        publishedAt: input.isPublic ? new Date() : null,
        version: input.version,
        changelog: input.changelog,
      },
      select: { id: true },
    });
    await tx.projectTemplateVersion.create({
      data: {
        templateId: template.id,
        version: input.version,
        changelog: input.changelog,
        fileStructure: snapshot.fileStructure,
        techStack: snapshot.techStack,
        fileCount: snapshot.fileCount,
        totalSizeBytes: snapshot.totalSizeBytes,
        createdById: userId,
      },
    });
    return { templateId: template.id, version: input.version };
  });
}

/**
 * Publishes one of the caller's projects as a new version of one of the caller's templates: the version must be
 * above the current one and carry a changelog. The template row is locked, so two publishes cannot both pass.
 */
export async function publishTemplateVersion(options: { db: Database; userId: string; input: VersionInput }) {
  const { db, userId, input } = options;
  const snapshot = await snapshotProject(db, input.projectId, userId);
  return db.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<{ version: string | null }[]>`
      SELECT version FROM project_templates WHERE id = ${input.templateId}::uuid AND created_by = ${userId}::uuid FOR UPDATE`;
    const current = rows[0];
    if (!current) throw new AppError("NOT_FOUND", "Template not found.");
    const currentVersion = current.version ?? "1.0.0";
    if (compareSemver(input.version, currentVersion) <= 0) {
      throw new AppError("BAD_REQUEST", `Use a version above the current one, ${currentVersion}.`, {
        field: "version",
      });
    }
    await tx.projectTemplateVersion.create({
      data: {
        templateId: input.templateId,
        version: input.version,
        changelog: input.changelog,
        fileStructure: snapshot.fileStructure,
        techStack: snapshot.techStack,
        fileCount: snapshot.fileCount,
        totalSizeBytes: snapshot.totalSizeBytes,
        createdById: userId,
      },
    });
    await tx.projectTemplate.update({
      where: { id: input.templateId },
      data: {
        version: input.version,
        changelog: input.changelog,
        fileStructure: snapshot.fileStructure,
        techStack: snapshot.techStack,
        sourceProjectId: input.projectId,
      },
    });
    return { templateId: input.templateId, version: input.version };
  });
}

/**
 * Edits a template's metadata (the caller is its author, checked by the procedure, or an admin: `adminId`, recorded
 * in the audit log); making it public the first time dates its publication. The files change only by publishing.
 */
export async function updateTemplate(options: { db: Database; adminId: string | null; input: TUpdateTemplateInput }) {
  const { db, adminId, input } = options;
  const { templateId, ...fields } = input;
  return db.$transaction(async (tx) => {
    const template = await tx.projectTemplate.findUnique({ where: { id: templateId }, select: { publishedAt: true } });
    if (!template) throw new AppError("NOT_FOUND", "Template not found.");
    await tx.projectTemplate.update({
      where: { id: templateId },
      data: {
        ...fields,
        tags: fields.tags ? [...new Set(fields.tags)] : undefined,
        ...(fields.isPublic && !template.publishedAt ? { publishedAt: new Date() } : {}),
      },
    });
    if (adminId) await recordAudit(tx, { adminId, action: "template.update", target: { templateId }, details: fields });
    return { templateId };
  });
}

/**
 * Deletes a template (its author, or an admin: `adminId`, recorded in the audit log), with its versions and
 * ratings. Projects made from it keep their files; they only forget where they came from.
 */
export async function deleteTemplate({
  db,
  adminId,
  templateId,
}: {
  db: Database;
  adminId: string | null;
  templateId: string;
}) {
  return db.$transaction(async (tx) => {
    const deleted = await tx.projectTemplate.deleteMany({ where: { id: templateId } });
    if (deleted.count === 0) throw new AppError("NOT_FOUND", "Template not found.");
    if (adminId) await recordAudit(tx, { adminId, action: "template.delete", target: { templateId }, details: {} });
    return { deleted: true };
  });
}

/** Admins: the featured and official badges, recorded in the audit log. */
export async function setTemplateFlags(options: {
  db: Database;
  adminId: string;
  templateId: string;
  isFeatured?: boolean;
  isOfficial?: boolean;
}) {
  const { db, adminId, templateId, isFeatured, isOfficial } = options;
  return db.$transaction(async (tx) => {
    const updated = await tx.projectTemplate.updateMany({
      where: { id: templateId },
      data: { isFeatured, isOfficial },
    });
    if (updated.count === 0) throw new AppError("NOT_FOUND", "Template not found.");
    await recordAudit(tx, {
      adminId,
      action: "template.flags",
      target: { templateId },
      details: { isFeatured, isOfficial },
    });
    return { templateId, isFeatured, isOfficial };
  });
}
