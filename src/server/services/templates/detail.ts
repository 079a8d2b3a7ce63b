/**
 * A template's page: its metadata, every version with its changelog, the rating histogram, the viewer's own
 * rating; and its files (the tree of a version, or one file's content), read from the version's JSON in SQL so
 * the tree never carries the contents.
 */
import type { Database } from "~/server/db/client";
import { AppError } from "~/server/errors";
import { visibleTo, type Viewer } from "./access";
import { techStackLabels } from "./format";

const NOT_FOUND = "Template not found.";

/** One template as its page shows it, or NOT_FOUND when the viewer may not see it. */
export async function getTemplate({
  db,
  viewer,
  templateId,
}: {
  db: Database;
  viewer: Viewer | null;
  templateId: string;
}) {
  const template = await db.projectTemplate.findFirst({
    where: { id: templateId, ...visibleTo(viewer) },
    select: {
      id: true,
      name: true,
      description: true,
      category: true,
      tags: true,
      techStack: true,
      isPublic: true,
      isFeatured: true,
      isOfficial: true,
      usageCount: true,
      ratingAverage: true,
      ratingCount: true,
      ratingHistogram: true,
      version: true,
      createdAt: true,
      updatedAt: true,
      publishedAt: true,
      createdById: true,
      sourceProjectId: true,
      createdBy: { select: { fullName: true, username: true } },
      versions: {
        orderBy: { versionKey: "desc" },
        select: { id: true, version: true, changelog: true, createdAt: true, fileCount: true, totalSizeBytes: true },
        take: 50,
      },
    },
  });
  if (!template) throw new AppError("NOT_FOUND", NOT_FOUND);
  const mine = viewer
    ? await db.templateRating.findUnique({
        where: { templateId_userId: { templateId, userId: viewer.id } },
        select: { rating: true, review: true, updatedAt: true, hiddenAt: true },
      })
    : null;
  const isAuthor = viewer !== null && template.createdById === viewer.id;
  return {
    id: template.id,
    name: template.name,
    description: template.description,
    category: template.category,
    tags: template.tags,
    techStack: techStackLabels(template.techStack),
    isPublic: template.isPublic === true,
    isFeatured: template.isFeatured === true,
    isOfficial: template.isOfficial === true,
    usageCount: template.usageCount ?? 0,
    ratingAverage: Number(template.ratingAverage ?? 0),
    ratingCount: template.ratingCount ?? 0,
    /** Ratings of 1, 2, 3, 4 and 5 stars. */
    ratingHistogram: template.ratingHistogram,
    version: template.version ?? "1.0.0",
    createdAt: template.createdAt,
    updatedAt: template.updatedAt,
    publishedAt: template.publishedAt,
    authorName: template.createdBy ? (template.createdBy.fullName ?? template.createdBy.username) : null,
    versions: template.versions.map((version) => ({ ...version, totalSizeBytes: Number(version.totalSizeBytes) })),
    viewer: {
      isAuthor,
      isAdmin: viewer?.role === "admin",
      /** Signed in, not the author, and the template is public. */
      canRate: viewer !== null && !isAuthor && template.isPublic === true,
      myRating: mine ? { ...mine, hidden: mine.hiddenAt !== null } : null,
      /** The author's project this template was published from (for "publish a new version"). */
      sourceProjectId: isAuthor ? template.sourceProjectId : null,
    },
  };
}

interface TreeRow {
  path: string;
  size_bytes: number;
  is_binary: boolean;
}

/** The version of a template the viewer may see: the named one, or the current one. */
async function visibleVersion(db: Database, viewer: Viewer | null, templateId: string, version?: string) {
  const template = await db.projectTemplate.findFirst({
    where: { id: templateId, ...visibleTo(viewer) },
    select: { version: true },
  });
  if (!template) throw new AppError("NOT_FOUND", NOT_FOUND);
  const row = await db.projectTemplateVersion.findUnique({
    where: { templateId_version: { templateId, version: version ?? template.version ?? "1.0.0" } },
    select: { id: true, version: true },
  });
  if (!row) throw new AppError("NOT_FOUND", `Version ${version ?? template.version} of this template does not exist.`);
  return row;
}

/**
 * A version's files: the tree (path, size, binary) without `path`; with `path`, that file's content (base64 for a
 * binary file).
 */
export async function getTemplateFiles(options: {
  db: Database;
  viewer: Viewer | null;
  templateId: string;
  version?: string;
  path?: string;
}) {
  const { db, viewer, templateId, path } = options;
  const version = await visibleVersion(db, viewer, templateId, options.version);
  if (path === undefined) {
    const files = await db.$queryRaw<TreeRow[]>`
      SELECT f ->> 'path' AS path,
             CASE WHEN f ->> 'encoding' = 'base64' THEN (octet_length(f ->> 'content') * 3 / 4)::int
                  ELSE octet_length(f ->> 'content') END AS size_bytes,
             COALESCE(f ->> 'encoding', 'utf-8') = 'base64' AS is_binary
        FROM project_template_versions v, jsonb_array_elements(v.file_structure -> 'files') AS f
       WHERE v.id = ${version.id}::uuid
       ORDER BY f ->> 'path' COLLATE "C"`;
    return {
      version: version.version,
      files: files.map((file) => ({ path: file.path, sizeBytes: file.size_bytes, isBinary: file.is_binary })),
      file: null,
    };
  }
  const rows = await db.$queryRaw<{ content: string; is_binary: boolean }[]>`
    SELECT f ->> 'content' AS content, COALESCE(f ->> 'encoding', 'utf-8') = 'base64' AS is_binary
      FROM project_template_versions v, jsonb_array_elements(v.file_structure -> 'files') AS f
     WHERE v.id = ${version.id}::uuid AND f ->> 'path' = ${path}
     LIMIT 1`;
  const file = rows[0];
  if (!file) throw new AppError("NOT_FOUND", `This template has no file ${path}.`);
  return { version: version.version, files: null, file: { path, content: file.content, isBinary: file.is_binary } };
}
