/**
 * The project's tree: its live and deleted files, and creating, moving and deleting files and folders. A folder
 * is only the paths under it; an empty one is its `.gitkeep`.
 */
import { env } from "~/env";
import { fileTypeForPath, mimeTypeForPath } from "~/lib/file-types";
import { ancestorPaths, baseName, isSameOrInside } from "~/lib/paths";
import { isUniqueViolation } from "~/server/db/errors";
import { withWrite, type Actor } from "~/server/db/write";
import { AppError } from "~/server/errors";
import { assertWithinStorageLimit } from "../storage-limit";
import { quote, type ProjectScope, type Tx, type WriteScope } from "./common";
import { checkSize, decodeBase64, prepareBinary, prepareText, type PreparedFile } from "./content";

/** The project's live files, sorted by path (no content). */
export async function listFiles({ db, projectId }: ProjectScope) {
  const files = await db.projectFile.findMany({
    where: { projectId },
    orderBy: { filePath: "asc" },
    select: {
      id: true,
      filePath: true,
      fileName: true,
      fileType: true,
      sizeBytes: true,
      isBinary: true,
      version: true,
      updatedAt: true,
    },
  });
  return files.map((file) => ({
    id: file.id,
    path: file.filePath,
    name: file.fileName,
    fileType: file.fileType,
    sizeBytes: file.sizeBytes,
    isBinary: file.isBinary,
    version: file.version,
    updatedAt: file.updatedAt,
  }));
}

/** Files that were deleted: paths with versions but no live file, with their last version (restorable). */
export async function listDeletedFiles({ db, projectId }: ProjectScope) {
  const rows = await db.$queryRaw<
    { file_id: string; file_path: string; version: number; size_bytes: number; deleted_at: Date | null }[]
  >`
    WITH latest AS (
      SELECT DISTINCT ON (v.file_path) v.file_id, v.file_path, v.version, v.size_bytes
        FROM project_file_versions v
       WHERE v.project_id = ${projectId}::uuid
         AND NOT EXISTS (SELECT 1 FROM project_files f WHERE f.id = v.file_id)
         AND NOT EXISTS (SELECT 1 FROM project_files f WHERE f.project_id = v.project_id AND f.file_path = v.file_path)
       ORDER BY v.file_path, v.created_at DESC, v.version DESC
    ), deletions AS (
      SELECT a.metadata ->> 'file_id' AS file_id, max(a.created_at) AS deleted_at
        FROM project_activity a
       WHERE a.project_id = ${projectId}::uuid AND a.activity_type = 'file_deleted'
       GROUP BY 1
    )
    SELECT l.file_id, l.file_path, l.version, l.size_bytes, d.deleted_at
      FROM latest l LEFT JOIN deletions d ON d.file_id = l.file_id::text
     ORDER BY l.file_path`;
  return rows.map((row) => ({
    fileId: row.file_id,
    path: row.file_path,
    lastVersion: row.version,
    deletedAt: row.deleted_at,
    sizeBytes: row.size_bytes,
  }));
}

/**
 * Refuses `paths` when one of them would be a file and a folder at once: a live file sits where one of them needs
 * a folder, or files live under one of them. `ignore` are paths being moved away in the same write.
 */
async function assertNoFileFolderClash(
  tx: Tx,
  projectId: string,
  paths: string[],
  ignore: string[] = [],
): Promise<void> {
  const ancestors = [...new Set(paths.flatMap(ancestorPaths))];
  const rows = await tx.$queryRaw<{ file_path: string; kind: string }[]>`
    SELECT f.file_path, 'ancestor' AS kind
      FROM project_files f
     WHERE f.project_id = ${projectId}::uuid AND f.file_path = ANY(${ancestors}::text[])
       AND NOT f.file_path = ANY(${ignore}::text[])
     UNION ALL
    SELECT p.path, 'folder'
      FROM unnest(${paths}::text[]) AS p(path)
     WHERE EXISTS (SELECT 1 FROM project_files f
                    WHERE f.project_id = ${projectId}::uuid AND starts_with(f.file_path, p.path || '/')
                      AND NOT f.file_path = ANY(${ignore}::text[]))
     LIMIT 1`;
  const clash = rows[0];
  if (!clash) return;
  if (clash.kind === "ancestor") {
    throw new AppError("CONFLICT", `${quote(clash.file_path)} is a file, so it cannot contain other files.`);
  }
  throw new AppError("CONFLICT", `A folder named ${quote(clash.file_path)} already exists.`);
}

const createdSelect = {
  id: true,
  filePath: true,
  fileName: true,
  fileType: true,
  mimeType: true,
  sizeBytes: true,
  lineCount: true,
  isBinary: true,
  encoding: true,
  version: true,
  contentHash: true,
  updatedAt: true,
} as const;

/**
 * Inserts one prepared file after checking that no file or folder is in the way (`isGenerated`: Claude created
 * it).
 */
export async function insertOne(tx: Tx, projectId: string, actor: Actor, file: PreparedFile, isGenerated = false) {
  await assertNoFileFolderClash(tx, projectId, [file.path]);
  try {
    const row = await tx.projectFile.create({
      data: {
        projectId,
        filePath: file.path,
        fileName: file.name,
        fileType: file.fileType,
        mimeType: file.mimeType,
        content: file.content,
        contentHash: file.contentHash,
        encoding: file.encoding,
        sizeBytes: file.sizeBytes,
        lineCount: file.lineCount,
        isBinary: file.isBinary,
        isGenerated,
        createdById: actor.userId,
        updatedById: actor.userId,
      },
      select: createdSelect,
    });
    return {
      id: row.id,
      path: row.filePath,
      name: row.fileName,
      fileType: row.fileType,
      mimeType: row.mimeType,
      sizeBytes: row.sizeBytes,
      lineCount: row.lineCount,
      isBinary: row.isBinary,
      encoding: row.encoding,
      version: row.version,
      contentHash: row.contentHash,
      updatedAt: row.updatedAt,
    };
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError("CONFLICT", `A file named ${quote(file.path)} already exists.`);
    throw error;
  }
}

/**
 * Creates a file (text, or binary from base64) or a folder. A folder is its `.gitkeep`: paths are the only
 * structure. Existing files are never overwritten (CONFLICT).
 */
export async function createFile(
  options: WriteScope & { path: string; kind: "file" | "folder"; content?: string; encoding: "utf-8" | "base64" },
) {
  const { db, projectId, actor, path } = options;
  let file: PreparedFile;
  if (options.kind === "folder") {
    file = prepareText(`${path}/.gitkeep`, "");
  } else if (options.encoding === "base64") {
    const content = options.content ?? "";
    // Refused before decoding: the decoded size is known from the length.
    checkSize(
      Math.floor((content.length * 3) / 4) - (content.endsWith("==") ? 2 : content.endsWith("=") ? 1 : 0),
      env.FILE_MAX_BYTES,
      path,
    );
    const bytes = decodeBase64(content, baseName(path));
    file = prepareBinary(path, bytes);
  } else {
    file = prepareText(path, options.content ?? "");
  }
  return withWrite(
    db,
    actor,
    async (tx) => {
      if (options.kind === "folder") await assertNoFileFolderClash(tx, projectId, [path]);
      const created = await insertOne(tx, projectId, actor, file);
      await assertWithinStorageLimit(tx, projectId, file.sizeBytes);
      return created;
    },
    { lockPathsOf: projectId },
  );
}

/**
 * Moves (renames) a file, or a folder with every path under it, in one UPDATE. Refuses when `from` does not exist,
 * when a folder would move into itself, and when any target path is taken (nothing is overwritten).
 */
export async function moveFile({ db, projectId, actor, from, to }: WriteScope & { from: string; to: string }) {
  if (from === to) throw new AppError("BAD_REQUEST", "The new path is the same as the old one.");
  return withWrite(
    db,
    actor,
    async (tx) => {
      const sources = await tx.$queryRaw<{ file_path: string; is_binary: boolean }[]>`
        SELECT file_path, is_binary FROM project_files
         WHERE project_id = ${projectId}::uuid AND (file_path = ${from} OR starts_with(file_path, ${`${from}/`}))`;
      const file = sources.find((row) => row.file_path === from);
      if (sources.length === 0) throw new AppError("NOT_FOUND", `There is no file or folder at ${quote(from)}.`);
      if (!file && isSameOrInside(to, from)) throw new AppError("BAD_REQUEST", "A folder cannot be moved into itself.");

      const sourcePaths = file ? [from] : sources.map((row) => row.file_path);
      const targets = sourcePaths.map((path) => to + path.slice(from.length));
      const taken = await tx.$queryRaw<{ file_path: string }[]>`
        SELECT file_path FROM project_files
         WHERE project_id = ${projectId}::uuid AND file_path = ANY(${targets}::text[]) LIMIT 1`;
      if (taken[0])
        throw new AppError("CONFLICT", `${quote(taken[0].file_path)} already exists; move or rename it first.`);
      await assertNoFileFolderClash(tx, projectId, file ? [to] : targets, sourcePaths);

      try {
        const moved = file
          ? await tx.$executeRaw`
              UPDATE project_files
                 SET file_path = ${to}, file_name = ${baseName(to)}, file_type = ${fileTypeForPath(to, file.is_binary)},
                     mime_type = ${mimeTypeForPath(to, file.is_binary)}, updated_by = ${actor.userId}::uuid
               WHERE project_id = ${projectId}::uuid AND file_path = ${from}`
          : await tx.$executeRaw`
              UPDATE project_files
                 SET file_path = ${to} || substr(file_path, char_length(${from}) + 1), updated_by = ${actor.userId}::uuid
               WHERE project_id = ${projectId}::uuid AND starts_with(file_path, ${`${from}/`})`;
        return { moved, from, to };
      } catch (error) {
        if (isUniqueViolation(error))
          throw new AppError("CONFLICT", `${quote(to)} already exists; move or rename it first.`);
        throw error;
      }
    },
    { lockPathsOf: projectId },
  );
}

/** Deletes a file, or a folder with every path under it; their history stays (restorable). */
export async function deleteFile({ db, projectId, actor, path }: WriteScope & { path: string }) {
  const deleted = await withWrite(
    db,
    actor,
    (tx) => tx.$executeRaw`
      DELETE FROM project_files
       WHERE project_id = ${projectId}::uuid AND (file_path = ${path} OR starts_with(file_path, ${`${path}/`}))`,
  );
  if (deleted === 0) throw new AppError("NOT_FOUND", `There is no file or folder at ${quote(path)}.`);
  return { deleted };
}
