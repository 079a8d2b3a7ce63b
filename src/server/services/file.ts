/**
 * Project files: the IDE's tree, editor saves, history, restore, moves and deletes, zip import and export.
 *
 * Every write runs in one transaction that first sets the actor (src/server/db/actor.ts): the database triggers
 * keep the project's counters, activity log and file versions from it. Paths arrive normalized (src/lib/paths.ts).
 */
import { createHash } from "node:crypto";
import { env } from "~/env";
import { decodeText } from "~/lib/bytes";
import { fileTypeForPath, mimeTypeForPath } from "~/lib/file-types";
import { ancestorPaths, baseName, isSameOrInside, normalizeFilePath } from "~/lib/paths";
import { fileConflict } from "~/lib/schemas/file-conflict";
import { Prisma } from "~/generated/prisma/client";
import { setActor } from "~/server/db/actor";
import type { Database } from "~/server/db/client";
import { isUniqueViolation } from "~/server/db/errors";
import { CONTENT_BUDGET_BYTES, groupByBytes } from "~/server/db/sql";
import { AppError } from "~/server/errors";
import { assertWithinStorageLimit, projectBytes } from "./storage-limit";
import { mib, readZip, zipStream } from "./zip";

type Tx = Parameters<Parameters<Database["$transaction"]>[0]>[0];
type Author = { id: string; name: string } | null;

interface ProjectScope {
  db: Database;
  projectId: string;
}
interface WriteScope extends ProjectScope {
  userId: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Content: what the server computes for every file it stores
// ---------------------------------------------------------------------------------------------------------------

/** A file ready to be written: everything derived from its content is computed here, never taken from a client. */
export interface PreparedFile {
  path: string;
  name: string;
  fileType: string;
  mimeType: string;
  content: string;
  contentHash: string;
  encoding: "utf-8" | "base64";
  sizeBytes: number;
  lineCount: number;
  isBinary: boolean;
}

function sha256(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}

/** Lines as an editor counts them: "" has none, "a" and "a\n" have one. */
export function countLines(text: string): number {
  if (text === "") return 0;
  let lines = 1;
  for (let at = text.indexOf("\n"); at !== -1; at = text.indexOf("\n", at + 1)) lines++;
  return text.endsWith("\n") ? lines - 1 : lines;
}

function checkSize(sizeBytes: number, limit: number, path: string) {
  if (sizeBytes > limit) {
    throw new AppError("PAYLOAD_TOO_LARGE", `${baseName(path)} is ${mib(sizeBytes)}; files may be at most ${mib(limit)}.`);
  }
}

/** A text file; refuses NUL bytes (TEXT cannot hold them) and files over FILE_MAX_BYTES. */
export function prepareText(path: string, content: string, limit = env.FILE_MAX_BYTES): PreparedFile {
  if (content.includes("\u0000")) {
    throw new AppError("BAD_REQUEST", `${baseName(path)} contains NUL bytes, so it cannot be stored as text: upload it as a binary file.`);
  }
  const bytes = Buffer.from(content, "utf8");
  checkSize(bytes.length, limit, path);
  return {
    path,
    name: baseName(path),
    fileType: fileTypeForPath(path),
    mimeType: mimeTypeForPath(path),
    content,
    contentHash: sha256(bytes),
    encoding: "utf-8",
    sizeBytes: bytes.length,
    lineCount: countLines(content),
    isBinary: false,
  };
}

/** A binary file, stored base64; its size and hash are those of the decoded bytes. */
export function prepareBinary(path: string, bytes: Uint8Array, limit = env.FILE_MAX_BYTES): PreparedFile {
  checkSize(bytes.length, limit, path);
  return {
    path,
    name: baseName(path),
    fileType: fileTypeForPath(path, true),
    mimeType: mimeTypeForPath(path, true),
    content: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64"),
    contentHash: sha256(bytes),
    encoding: "base64",
    sizeBytes: bytes.length,
    lineCount: 0,
    isBinary: true,
  };
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Decodes strict base64 (a `data:...;base64,` prefix and line breaks are tolerated). */
export function decodeBase64(value: string, what: string): Buffer {
  const body = value.replace(/^data:[^,]{0,200};base64,/, "").replace(/[\r\n]/g, "");
  if (body.length % 4 !== 0 || !BASE64.test(body)) throw new AppError("BAD_REQUEST", `${what} is not valid base64.`);
  return Buffer.from(body, "base64");
}

/** Text when the bytes are valid UTF-8 without NUL (a byte-order mark kept); otherwise binary, kept as base64. */
export function prepareBytes(path: string, bytes: Uint8Array, limit = env.FILE_MAX_BYTES): PreparedFile {
  const text = decodeText(bytes);
  return text === null ? prepareBinary(path, bytes, limit) : prepareText(path, text, limit);
}

// ---------------------------------------------------------------------------------------------------------------
// Errors and shared queries
// ---------------------------------------------------------------------------------------------------------------

/** First key of the two-key advisory lock on a project's paths ("vfpp"), apart from every other lock of the app. */
const PATH_LOCK_CLASS = 0x76667070;

/**
 * Serialises the path-changing writes of one project (create, move, restore, import) until the transaction ends.
 * Their file/folder clash check reads before it inserts, and under READ COMMITTED two of them (a file `a` and a
 * file `a/b.ts`) could otherwise both pass the check and both commit. Take it first, right after setActor.
 */
export async function lockProjectPaths(tx: Tx, projectId: string): Promise<void> {
  await tx.$queryRaw`SELECT 1 AS locked FROM pg_advisory_xact_lock(${PATH_LOCK_CLASS}::int, hashtext(${projectId}::text))`;
}

function quote(path: string): string {
  return `“${path}”`;
}

/**
 * Refuses `paths` when one of them would be a file and a folder at once: a live file sits where one of them needs
 * a folder, or files live under one of them. `ignore` are paths being moved away in the same write.
 */
async function assertNoFileFolderClash(tx: Tx, projectId: string, paths: string[], ignore: string[] = []): Promise<void> {
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

/** The versions that make up the history of `path`: its live file's, and those of files deleted from that path. */
function historyCondition(projectId: string, path: string): Prisma.Sql {
  return Prisma.sql`v.project_id = ${projectId}::uuid
    AND (v.file_id = (SELECT f.id FROM project_files f WHERE f.project_id = ${projectId}::uuid AND f.file_path = ${path})
         OR (v.file_path = ${path} AND NOT EXISTS (SELECT 1 FROM project_files f WHERE f.id = v.file_id)))`;
}

interface VersionRow {
  file_id: string;
  file_path: string;
  version: number;
  content: string;
  content_hash: string | null;
  size_bytes: number;
  encoding: string;
  is_binary: boolean;
  source_type: string;
  created_at: Date;
  author_id: string | null;
  author_name: string | null;
}

/** One version of a path's history (newest first when a number was used by several files over time). */
async function findVersion(
  db: Database | Tx,
  projectId: string,
  path: string,
  version: number,
  fileId: string | undefined,
): Promise<VersionRow> {
  const which = fileId
    ? Prisma.sql`v.project_id = ${projectId}::uuid AND v.file_id = ${fileId}::uuid`
    : historyCondition(projectId, path);
  const rows = await db.$queryRaw<VersionRow[]>`
    SELECT v.file_id, v.file_path, v.version, v.content, v.content_hash, v.size_bytes, v.encoding, v.is_binary,
           v.source_type, v.created_at, u.id AS author_id, u.full_name AS author_name
      FROM project_file_versions v
      LEFT JOIN users u ON u.id = v.created_by
     WHERE ${which} AND v.version = ${version}
     ORDER BY v.created_at DESC
     LIMIT 1`;
  const row = rows[0];
  if (!row) throw new AppError("NOT_FOUND", `Version ${version} of ${quote(path)} does not exist.`);
  return row;
}

function author(id: string | null, name: string | null): Author {
  return id ? { id, name: name ?? "" } : null;
}

// ---------------------------------------------------------------------------------------------------------------
// Reads
// ---------------------------------------------------------------------------------------------------------------

export type LiveFile = Awaited<ReturnType<typeof listFiles>>[number];
export type DeletedFile = Awaited<ReturnType<typeof listDeletedFiles>>[number];

/** The project's live files, sorted by path (no content). */
export async function listFiles({ db, projectId }: ProjectScope) {
  const files = await db.projectFile.findMany({
    where: { projectId },
    orderBy: { filePath: "asc" },
    select: { id: true, filePath: true, fileName: true, fileType: true, sizeBytes: true, isBinary: true, version: true, updatedAt: true },
  });
  return files.map((file) => ({
    id: file.id,
    path: file.filePath,
    name: file.fileName,
    fileType: file.fileType,
    sizeBytes: file.sizeBytes ?? 0,
    isBinary: file.isBinary ?? false,
    version: file.version ?? 1,
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

/** A file with its content: the live one, or a past version (also of a deleted file). */
export async function readFile({ db, projectId, path, version, fileId }: ProjectScope & { path: string; version?: number; fileId?: string }) {
  if (version !== undefined) {
    const row = await findVersion(db, projectId, path, version, fileId);
    const isBinary = row.is_binary;
    return {
      id: row.file_id,
      path,
      content: row.content,
      encoding: row.encoding,
      isBinary,
      mimeType: mimeTypeForPath(path, isBinary),
      fileType: fileTypeForPath(path, isBinary),
      version: row.version,
      contentHash: row.content_hash,
      sizeBytes: row.size_bytes,
      lineCount: isBinary ? 0 : countLines(row.content),
      updatedAt: row.created_at,
      updatedBy: author(row.author_id, row.author_name),
    };
  }
  const file = await db.projectFile.findUnique({
    where: { projectId_filePath: { projectId, filePath: path } },
    select: {
      id: true,
      filePath: true,
      content: true,
      encoding: true,
      isBinary: true,
      mimeType: true,
      fileType: true,
      version: true,
      contentHash: true,
      sizeBytes: true,
      lineCount: true,
      updatedAt: true,
      updatedBy: { select: { id: true, fullName: true } },
    },
  });
  if (!file) throw new AppError("NOT_FOUND", `There is no file at ${quote(path)}.`);
  const isBinary = file.isBinary ?? false;
  return {
    id: file.id,
    path: file.filePath,
    content: file.content,
    encoding: file.encoding ?? (isBinary ? "base64" : "utf-8"),
    isBinary,
    mimeType: file.mimeType ?? mimeTypeForPath(path, isBinary),
    fileType: file.fileType ?? fileTypeForPath(path, isBinary),
    version: file.version ?? 1,
    contentHash: file.contentHash,
    sizeBytes: file.sizeBytes ?? 0,
    lineCount: file.lineCount ?? 0,
    updatedAt: file.updatedAt,
    updatedBy: file.updatedBy ? { id: file.updatedBy.id, name: file.updatedBy.fullName } : null,
  };
}

/** Every version of a path, newest first, across the files that held the path over time. */
export async function getFileHistory({ db, projectId, path }: ProjectScope & { path: string }) {
  const rows = await db.$queryRaw<
    {
      file_id: string;
      version: number;
      created_at: Date;
      source_type: string;
      interaction_id: string | null;
      size_bytes: number;
      content_hash: string | null;
      author_id: string | null;
      author_name: string | null;
    }[]
  >`
    SELECT v.file_id, v.version, v.created_at, v.source_type, v.interaction_id, v.size_bytes, v.content_hash,
           u.id AS author_id, u.full_name AS author_name
      FROM project_file_versions v
      LEFT JOIN users u ON u.id = v.created_by
     WHERE ${historyCondition(projectId, path)}
     ORDER BY v.created_at DESC, v.version DESC
     LIMIT 1000`;
  return {
    versions: rows.map((row) => ({
      fileId: row.file_id,
      version: row.version,
      createdAt: row.created_at,
      sourceType: row.source_type,
      author: author(row.author_id, row.author_name),
      interactionId: row.interaction_id,
      sizeBytes: row.size_bytes,
      contentHash: row.content_hash,
    })),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Writes
// ---------------------------------------------------------------------------------------------------------------

interface SavedRow {
  id: string;
  version: number;
  content_hash: string | null;
  size_bytes: number;
  line_count: number;
  updated_at: Date;
}

function saved(row: SavedRow, changed: boolean) {
  return {
    id: row.id,
    version: row.version,
    contentHash: row.content_hash,
    sizeBytes: row.size_bytes,
    lineCount: row.line_count,
    updatedAt: row.updated_at,
    changed,
  };
}

/** What a CONFLICT offers: the live file at a path as it is now (`null`: there is none). */
async function currentFile(tx: Tx, projectId: string, path: string, lock = false) {
  const rows = await tx.$queryRaw<
    (SavedRow & { content: string; is_binary: boolean; author_id: string | null; author_name: string | null; source_type: string | null })[]
  >`
    SELECT f.id, f.version, f.content, f.content_hash, f.size_bytes, f.line_count, f.updated_at, f.is_binary,
           u.id AS author_id, u.full_name AS author_name, v.source_type
      FROM project_files f
      LEFT JOIN users u ON u.id = f.updated_by
      LEFT JOIN project_file_versions v ON v.file_id = f.id AND v.version = f.version
     WHERE f.project_id = ${projectId}::uuid AND f.file_path = ${path}
     ${lock ? Prisma.sql`FOR UPDATE OF f` : Prisma.empty}`;
  const row = rows[0];
  if (!row) return null;
  return {
    row,
    /** The CONFLICT payload: which file (its id changes when a path is deleted and created again) and its content. */
    offered: {
      fileId: row.id,
      version: row.version,
      content: row.content,
      contentHash: row.content_hash,
      updatedAt: row.updated_at,
      updatedBy: author(row.author_id, row.author_name),
      sourceType: row.source_type ?? "system",
    },
  };
}

/**
 * Saves the editor's text over the version it was based on. The base is a file (`fileId`: a file deleted and
 * created again at the same path is another file, whose version numbers start again) and its version. One
 * transaction: the actor, a conditional UPDATE (only when that file is still at `baseVersion` and the content
 * differs), and a read only when nothing was written: identical content answers `changed: false`; anything else
 * answers CONFLICT with the current file. A save that grows the project past its storage limit is refused.
 */
export async function saveFile({
  db,
  projectId,
  userId,
  path,
  content,
  fileId,
  baseVersion,
}: WriteScope & { path: string; content: string; fileId: string; baseVersion: number }) {
  const file = prepareText(path, content);
  return db.$transaction(async (tx) => {
    await setActor(tx, { userId, source: "user" });
    // The subquery in RETURNING reads the statement's snapshot: the row as it was before this UPDATE.
    const updated = await tx.$queryRaw<(SavedRow & { old_size: number })[]>`
      UPDATE project_files f
         SET content = ${file.content}, content_hash = ${file.contentHash}, size_bytes = ${file.sizeBytes},
             line_count = ${file.lineCount}, updated_by = ${userId}::uuid
       WHERE f.project_id = ${projectId}::uuid AND f.file_path = ${path} AND f.id = ${fileId}::uuid
         AND f.version = ${baseVersion} AND NOT f.is_binary AND f.content_hash IS DISTINCT FROM ${file.contentHash}
      RETURNING f.id, f.version, f.content_hash, f.size_bytes, f.line_count, f.updated_at,
                (SELECT o.size_bytes FROM project_files o WHERE o.id = f.id) AS old_size`;
    if (updated[0]) {
      await assertWithinStorageLimit(tx, projectId, file.sizeBytes - updated[0].old_size);
      return saved(updated[0], updated[0].version !== baseVersion);
    }

    const current = await currentFile(tx, projectId, path);
    if (!current) throw new AppError("CONFLICT", "This file was deleted since you opened it.", fileConflict(null));
    const { row, offered } = current;
    if (row.is_binary) throw new AppError("BAD_REQUEST", "This is a binary file; upload a new version instead of editing it as text.");
    if (row.id !== fileId) {
      throw new AppError("CONFLICT", "This file was deleted and created again since you opened it.", fileConflict(offered));
    }
    // Already this content, even on a newer version: a save retried after its answer was lost (it had committed)
    // succeeds instead of offering the user a conflict with their own text.
    if (row.version === baseVersion || row.content_hash === file.contentHash) return saved(row, false);
    throw new AppError("CONFLICT", "This file changed since you opened it.", fileConflict(offered));
  });
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

/** Inserts one prepared file after checking that no file or folder is in the way. */
async function insertOne(tx: Tx, projectId: string, userId: string, file: PreparedFile) {
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
        createdById: userId,
        updatedById: userId,
      },
      select: createdSelect,
    });
    return {
      id: row.id,
      path: row.filePath,
      name: row.fileName,
      fileType: row.fileType,
      mimeType: row.mimeType,
      sizeBytes: row.sizeBytes ?? 0,
      lineCount: row.lineCount ?? 0,
      isBinary: row.isBinary ?? false,
      encoding: row.encoding,
      version: row.version ?? 1,
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
  const { db, projectId, userId, path } = options;
  let file: PreparedFile;
  if (options.kind === "folder") {
    file = prepareText(`${path}/.gitkeep`, "");
  } else if (options.encoding === "base64") {
    const content = options.content ?? "";
    // Refused before decoding: the decoded size is known from the length.
    checkSize(Math.floor((content.length * 3) / 4) - (content.endsWith("==") ? 2 : content.endsWith("=") ? 1 : 0), env.FILE_MAX_BYTES, path);
    const bytes = decodeBase64(content, baseName(path));
    file = prepareBinary(path, bytes);
  } else {
    file = prepareText(path, options.content ?? "");
  }
  return db.$transaction(async (tx) => {
    await setActor(tx, { userId, source: "user" });
    await lockProjectPaths(tx, projectId);
    if (options.kind === "folder") await assertNoFileFolderClash(tx, projectId, [path]);
    const created = await insertOne(tx, projectId, userId, file);
    await assertWithinStorageLimit(tx, projectId, file.sizeBytes);
    return created;
  });
}

/**
 * Moves (renames) a file, or a folder with every path under it, in one UPDATE. Refuses when `from` does not exist,
 * when a folder would move into itself, and when any target path is taken (nothing is overwritten).
 */
export async function moveFile({ db, projectId, userId, from, to }: WriteScope & { from: string; to: string }) {
  if (from === to) throw new AppError("BAD_REQUEST", "The new path is the same as the old one.");
  return db.$transaction(async (tx) => {
    await setActor(tx, { userId, source: "user" });
    await lockProjectPaths(tx, projectId);
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
    if (taken[0]) throw new AppError("CONFLICT", `${quote(taken[0].file_path)} already exists; move or rename it first.`);
    await assertNoFileFolderClash(tx, projectId, file ? [to] : targets, sourcePaths);

    try {
      const moved = file
        ? await tx.$executeRaw`
            UPDATE project_files
               SET file_path = ${to}, file_name = ${baseName(to)}, file_type = ${fileTypeForPath(to, file.is_binary)},
                   mime_type = ${mimeTypeForPath(to, file.is_binary)}, updated_by = ${userId}::uuid
             WHERE project_id = ${projectId}::uuid AND file_path = ${from}`
        : await tx.$executeRaw`
            UPDATE project_files
               SET file_path = ${to} || substr(file_path, char_length(${from}) + 1), updated_by = ${userId}::uuid
             WHERE project_id = ${projectId}::uuid AND starts_with(file_path, ${`${from}/`})`;
      return { moved, from, to };
    } catch (error) {
      if (isUniqueViolation(error)) throw new AppError("CONFLICT", `${quote(to)} already exists; move or rename it first.`);
      throw error;
    }
  });
}

/** Deletes a file, or a folder with every path under it; their history stays (restorable). */
export async function deleteFile({ db, projectId, userId, path }: WriteScope & { path: string }) {
  const deleted = await db.$transaction(async (tx) => {
    await setActor(tx, { userId, source: "user" });
    return tx.$executeRaw`
      DELETE FROM project_files
       WHERE project_id = ${projectId}::uuid AND (file_path = ${path} OR starts_with(file_path, ${`${path}/`}))`;
  });
  if (deleted === 0) throw new AppError("NOT_FOUND", `There is no file or folder at ${quote(path)}.`);
  return { deleted };
}

/**
 * Makes a past version current again by writing its content as a new version (history is never rewritten). The
 * version is named by its file and number (`fileId`, `version`), the live file the user saw at `path` by
 * `baseFileId`/`baseVersion` (both omitted: the user saw none, e.g. restoring a deleted file). When the live file
 * is not that one (it changed, or was created since), nothing is written: CONFLICT with the current file, which
 * the user may then overwrite on purpose by restoring again with its id and version as the base. With no live
 * file, the file is recreated (under a new id).
 */
export async function restoreFile({
  db,
  projectId,
  userId,
  path,
  version,
  fileId,
  baseFileId,
  baseVersion,
}: WriteScope & { path: string; version: number; fileId: string; baseFileId?: string; baseVersion?: number }) {
  return db.$transaction(async (tx) => {
    await setActor(tx, { userId, source: "user" });
    await lockProjectPaths(tx, projectId);
    const source = await findVersion(tx, projectId, path, version, fileId);
    const file = source.is_binary
      ? prepareBinary(path, Buffer.from(source.content, "base64"), Infinity)
      : prepareText(path, source.content, Infinity);
    const current = await currentFile(tx, projectId, path, true);
    if (!current) {
      const created = await insertOne(tx, projectId, userId, file);
      await assertWithinStorageLimit(tx, projectId, file.sizeBytes);
      return {
        id: created.id,
        version: created.version,
        contentHash: created.contentHash,
        sizeBytes: created.sizeBytes,
        lineCount: created.lineCount,
        updatedAt: created.updatedAt,
        changed: true,
      };
    }
    const { row, offered } = current;
    if (baseFileId === undefined) {
      throw new AppError("CONFLICT", `A file was created at ${quote(path)} since you looked: restoring would overwrite it. Compare, then overwrite it or cancel.`, fileConflict(offered));
    }
    if (row.id !== baseFileId) {
      throw new AppError("CONFLICT", `${quote(path)} was deleted and created again since you looked. Compare, then overwrite it or cancel.`, fileConflict(offered));
    }
    if (row.version !== baseVersion) {
      throw new AppError("CONFLICT", `This file changed since you opened its history (it is now version ${row.version}). Look again, then restore.`, fileConflict(offered));
    }
    if (row.content_hash === file.contentHash && row.is_binary === file.isBinary) return saved(row, false);
    const updated = await tx.$queryRaw<SavedRow[]>`
      UPDATE project_files
         SET content = ${file.content}, content_hash = ${file.contentHash}, size_bytes = ${file.sizeBytes},
             line_count = ${file.lineCount}, encoding = ${file.encoding}, is_binary = ${file.isBinary},
             file_type = ${file.fileType}, mime_type = ${file.mimeType}, updated_by = ${userId}::uuid
       WHERE id = ${row.id}::uuid
      RETURNING id, version, content_hash, size_bytes, line_count, updated_at`;
    await assertWithinStorageLimit(tx, projectId, file.sizeBytes - row.size_bytes);
    return saved(updated[0]!, true);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Many files at once: templates, zip import, export
// ---------------------------------------------------------------------------------------------------------------

/**
 * Writes `files` in ONE statement (set-based, like the import benchmark). With `upsert`, a path that exists gets
 * the new content as a new version, and unchanged files are left alone. Answers how many were created/updated.
 */
export async function writeFiles(tx: Tx, projectId: string, userId: string, files: PreparedFile[], upsert: boolean) {
  if (files.length === 0) return { created: 0, updated: 0 };
  const column = <K extends keyof PreparedFile>(key: K) => files.map((file) => file[key]);
  const values = Prisma.sql`
    SELECT ${projectId}::uuid, p, n, t, m, c, h, e, s, l, b, ${userId}::uuid, ${userId}::uuid
      FROM unnest(${column("path")}::text[], ${column("name")}::text[], ${column("fileType")}::text[],
                  ${column("mimeType")}::text[], ${column("content")}::text[], ${column("contentHash")}::text[],
                  ${column("encoding")}::text[], ${column("sizeBytes")}::int[], ${column("lineCount")}::int[],
                  ${column("isBinary")}::boolean[]) AS f(p, n, t, m, c, h, e, s, l, b)`;
  const onConflict = upsert
    ? Prisma.sql`ON CONFLICT (project_id, file_path) DO UPDATE
         SET file_name = EXCLUDED.file_name, file_type = EXCLUDED.file_type, mime_type = EXCLUDED.mime_type,
             content = EXCLUDED.content, content_hash = EXCLUDED.content_hash, encoding = EXCLUDED.encoding,
             size_bytes = EXCLUDED.size_bytes, line_count = EXCLUDED.line_count, is_binary = EXCLUDED.is_binary,
             updated_by = EXCLUDED.updated_by
       WHERE project_files.content_hash IS DISTINCT FROM EXCLUDED.content_hash
          OR project_files.is_binary IS DISTINCT FROM EXCLUDED.is_binary`
    : Prisma.empty;
  const rows = await tx.$queryRaw<{ created: number; updated: number }[]>`
    WITH written AS (
      INSERT INTO project_files (project_id, file_path, file_name, file_type, mime_type, content, content_hash,
                                 encoding, size_bytes, line_count, is_binary, created_by, updated_by)
      ${values}
      ${onConflict}
      RETURNING (xmax = 0) AS inserted
    )
    SELECT (count(*) FILTER (WHERE inserted))::int AS created, (count(*) FILTER (WHERE NOT inserted))::int AS updated
      FROM written`;
  return rows[0] ?? { created: 0, updated: 0 };
}

/** Refuses a set of paths in which one path would be both a file and a folder. */
export function assertConsistentTree(paths: Iterable<string>): void {
  const all = new Set(paths);
  for (const path of all) {
    for (const ancestor of ancestorPaths(path)) {
      if (all.has(ancestor)) {
        throw new AppError("CONFLICT", `${quote(ancestor)} would be both a file and a folder (it holds ${quote(path)}).`);
      }
    }
  }
}

const SKIPPED_FOLDERS: Record<string, string> = {
  node_modules: "dependencies (node_modules) are not imported; install them instead",
  ".git": "git metadata (.git) is not imported",
  __MACOSX: "macOS archive metadata (__MACOSX) is not imported",
};
const SKIPPED_FILES: Record<string, string> = {
  ".DS_Store": "macOS folder metadata (.DS_Store) is not imported",
  "Thumbs.db": "Windows thumbnail cache (Thumbs.db) is not imported",
};
const MAX_SKIPPED_REPORTED = 200;

/** Why an archive entry is left out (reported once per skipped folder), or null to import it. */
function skipReason(name: string): { key: string; reason: string } | null {
  const segments = name.replace(/\\/g, "/").split("/");
  for (let index = 0; index < segments.length - 1; index++) {
    const reason = SKIPPED_FOLDERS[segments[index]!];
    if (reason) return { key: `${segments.slice(0, index + 1).join("/")}/`, reason };
  }
  const reason = SKIPPED_FILES[segments[segments.length - 1]!];
  return reason ? { key: name, reason } : null;
}

/**
 * Imports a zip archive into a project, all or nothing: limits are checked on the bytes really inflated, every
 * entry path must be valid, and every file is written by ONE INSERT ... ON CONFLICT DO UPDATE in one transaction
 * with the actor set. `replace` also deletes the files the archive does not contain. `archive`: base64, or bytes.
 */
export async function importZip({
  db,
  projectId,
  userId,
  archive,
  mode,
}: WriteScope & { archive: string | Uint8Array; mode: "merge" | "replace" }) {
  // Base64 (file.importZip) is measured before it is decoded; raw bytes come from the upload route.
  const size = typeof archive === "string" ? Math.floor((archive.length * 3) / 4) - 3 : archive.length;
  if (size > env.IMPORT_MAX_ARCHIVE_BYTES) {
    throw new AppError("PAYLOAD_TOO_LARGE", `The archive is larger than ${mib(env.IMPORT_MAX_ARCHIVE_BYTES)}.`);
  }
  const bytes = typeof archive === "string" ? decodeBase64(archive, "The archive") : archive;
  let parsed: ReturnType<typeof readZip>;
  try {
    parsed = readZip(
      bytes,
      { maxFileBytes: env.IMPORT_MAX_FILE_BYTES, maxTotalBytes: env.IMPORT_MAX_TOTAL_BYTES, maxFiles: env.IMPORT_MAX_FILES },
      (name) => skipReason(name)?.reason ?? null,
    );
  } catch (error) {
    if (error instanceof RangeError) throw new AppError("BAD_REQUEST", "This file is not a valid zip archive (it is truncated).");
    throw error;
  }

  const files: PreparedFile[] = [];
  const seen = new Set<string>();
  for (const entry of parsed.entries) {
    const checked = normalizeFilePath(entry.name);
    if (!checked.ok) throw new AppError("BAD_REQUEST", `The archive entry ${quote(entry.name)} cannot be imported: ${checked.message}`);
    if (seen.has(checked.path)) throw new AppError("BAD_REQUEST", `The archive contains ${quote(checked.path)} twice.`);
    seen.add(checked.path);
    files.push(prepareBytes(checked.path, entry.data, env.IMPORT_MAX_FILE_BYTES));
  }
  // One line per skipped folder (node_modules/ may hold thousands of files), one per other skipped file.
  const skippedByPath = new Map<string, string>();
  for (const skip of parsed.skipped) skippedByPath.set(skipReason(skip.name)?.key ?? skip.name, skip.reason);
  const skipped = [...skippedByPath].map(([path, reason]) => ({ path, reason }));

  return db.$transaction(
    async (tx) => {
      await setActor(tx, { userId, source: "user" });
      await lockProjectPaths(tx, projectId);
      const before = await projectBytes(tx, projectId);
      let removed = 0;
      if (mode === "replace") {
        assertConsistentTree(seen);
        removed = await tx.$executeRaw`
          DELETE FROM project_files f
           WHERE f.project_id = ${projectId}::uuid
             AND NOT EXISTS (SELECT 1 FROM unnest(${[...seen]}::text[]) AS k(path) WHERE k.path = f.file_path)`;
      } else {
        const existing = await tx.$queryRaw<{ file_path: string }[]>`
          SELECT file_path FROM project_files WHERE project_id = ${projectId}::uuid`;
        assertConsistentTree([...seen, ...existing.map((row) => row.file_path)]);
      }
      const written = await writeFiles(tx, projectId, userId, files, true);
      await assertWithinStorageLimit(tx, projectId, (await projectBytes(tx, projectId)) - before);
      return {
        imported: files.length,
        created: written.created,
        updated: written.updated,
        removed,
        skipped: skipped.slice(0, MAX_SKIPPED_REPORTED),
      };
    },
    { timeout: 60_000, maxWait: 10_000 },
  );
}

/**
 * The project as a zip archive (binary files decoded), streamed for the export route. Someone else's project:
 * NOT_FOUND, before anything is streamed. The archive is written as it is read: file contents are fetched in
 * groups of at most CONTENT_BUDGET_BYTES when the download wants more (a file deleted meanwhile is left out).
 */
export async function exportProjectZip({ db, projectId, userId }: { db: Database; projectId: string; userId: string }): Promise<ReadableStream<Uint8Array>> {
  // One query checks ownership and lists the files (a project without files still yields its one joined row).
  const listing = await db.$queryRaw<{ file_path: string | null; size_bytes: number | null }[]>`
    SELECT f.file_path, f.size_bytes
      FROM projects p
      LEFT JOIN project_files f ON f.project_id = p.id
     WHERE p.id = ${projectId}::uuid AND p.user_id = ${userId}::uuid
     ORDER BY f.file_path`;
  if (listing.length === 0) throw new AppError("NOT_FOUND", "Project not found.");
  const files = listing.flatMap((row) => (row.file_path === null ? [] : [{ path: row.file_path, sizeBytes: row.size_bytes ?? 0 }]));
  async function* contents() {
    for (const group of groupByBytes(files, (file) => file.sizeBytes, CONTENT_BUDGET_BYTES)) {
      const rows = await db.$queryRaw<{ file_path: string; content: string; is_binary: boolean | null; updated_at: Date | null }[]>`
        SELECT file_path, content, is_binary, updated_at
          FROM project_files
         WHERE project_id = ${projectId}::uuid AND file_path = ANY(${group.map((file) => file.path)}::text[])
         ORDER BY file_path`;
      for (const row of rows) {
        yield {
          path: row.file_path,
          data: row.is_binary ? Buffer.from(row.content, "base64") : Buffer.from(row.content, "utf8"),
          modifiedAt: row.updated_at,
        };
      }
    }
  }
  return zipStream(contents());
}
