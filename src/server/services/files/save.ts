/**
 * Saving the editor's text and restoring a past version: both write over the live file only when it is still the
 * one the user saw, and otherwise answer CONFLICT with the file as it is now.
 */
import { Prisma } from "~/generated/prisma/client";
import { fileConflict } from "~/lib/schemas/file-conflict";
import { withWrite } from "~/server/db/write";
import { AppError } from "~/server/errors";
import { assertWithinStorageLimit } from "../storage-limit";
import { author, quote, type Tx, type WriteScope } from "./common";
import { prepareBinary, prepareText } from "./content";
import { findVersion } from "./history";
import { insertOne } from "./tree";

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
    (SavedRow & {
      content: string;
      is_binary: boolean;
      author_id: string | null;
      author_name: string | null;
      source_type: string | null;
    })[]
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
  actor,
  path,
  content,
  fileId,
  baseVersion,
}: WriteScope & { path: string; content: string; fileId: string; baseVersion: number }) {
  const file = prepareText(path, content);
  return withWrite(db, actor, async (tx) => {
    // The subquery in RETURNING reads the statement's snapshot: the row as it was before this UPDATE.
    const updated = await tx.$queryRaw<(SavedRow & { old_size: number })[]>`
      UPDATE project_files f
         SET content = ${file.content}, content_hash = ${file.contentHash}, size_bytes = ${file.sizeBytes},
             line_count = ${file.lineCount}, updated_by = ${actor.userId}::uuid
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
    if (row.is_binary)
      throw new AppError("BAD_REQUEST", "This is a binary file; upload a new version instead of editing it as text.");
    if (row.id !== fileId) {
      throw new AppError(
        "CONFLICT",
        "This file was deleted and created again since you opened it.",
        fileConflict(offered),
      );
    }
    // Already this content, even on a newer version: a save retried after its answer was lost (it had committed)
    // succeeds instead of offering the user a conflict with their own text.
    if (row.version === baseVersion || row.content_hash === file.contentHash) return saved(row, false);
    throw new AppError("CONFLICT", "This file changed since you opened it.", fileConflict(offered));
  });
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
  actor,
  path,
  version,
  fileId,
  baseFileId,
  baseVersion,
}: WriteScope & { path: string; version: number; fileId: string; baseFileId?: string; baseVersion?: number }) {
  return withWrite(
    db,
    actor,
    async (tx) => {
      const source = await findVersion(tx, projectId, path, version, fileId);
      const file = source.is_binary
        ? prepareBinary(path, Buffer.from(source.content, "base64"), Infinity)
        : prepareText(path, source.content, Infinity);
      const current = await currentFile(tx, projectId, path, true);
      if (!current) {
        const created = await insertOne(tx, projectId, actor, file);
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
        throw new AppError(
          "CONFLICT",
          `A file was created at ${quote(path)} since you looked: restoring would overwrite it. Compare, then overwrite it or cancel.`,
          fileConflict(offered),
        );
      }
      if (row.id !== baseFileId) {
        throw new AppError(
          "CONFLICT",
          `${quote(path)} was deleted and created again since you looked. Compare, then overwrite it or cancel.`,
          fileConflict(offered),
        );
      }
      if (row.version !== baseVersion) {
        throw new AppError(
          "CONFLICT",
          `This file changed since you opened its history (it is now version ${row.version}). Look again, then restore.`,
          fileConflict(offered),
        );
      }
      if (row.content_hash === file.contentHash && row.is_binary === file.isBinary) return saved(row, false);
      const updated = await tx.$queryRaw<SavedRow[]>`
        UPDATE project_files
           SET content = ${file.content}, content_hash = ${file.contentHash}, size_bytes = ${file.sizeBytes},
               line_count = ${file.lineCount}, encoding = ${file.encoding}, is_binary = ${file.isBinary},
               file_type = ${file.fileType}, mime_type = ${file.mimeType}, updated_by = ${actor.userId}::uuid
         WHERE id = ${row.id}::uuid
        RETURNING id, version, content_hash, size_bytes, line_count, updated_at`;
      await assertWithinStorageLimit(tx, projectId, file.sizeBytes - row.size_bytes);
      return saved(updated[0]!, true);
    },
    { lockPathsOf: projectId },
  );
}
