/**
 * A path's history: its versions (across the files that held the path over time, deleted ones included) and any
 * one of them with its content.
 */
import { fileTypeForPath, mimeTypeForPath } from "~/lib/file-types";
import { Prisma } from "~/generated/prisma/client";
import type { Database } from "~/server/db/client";
import { AppError } from "~/server/errors";
import { author, quote, type ProjectScope, type Tx } from "./common";
import { countLines } from "./content";

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
export async function findVersion(
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

/** A file with its content: the live one, or a past version (also of a deleted file). */
export async function readFile({
  db,
  projectId,
  path,
  version,
  fileId,
}: ProjectScope & { path: string; version?: number; fileId?: string }) {
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
  return {
    id: file.id,
    path: file.filePath,
    content: file.content,
    encoding: file.encoding,
    isBinary: file.isBinary,
    mimeType: file.mimeType ?? mimeTypeForPath(path, file.isBinary),
    fileType: file.fileType ?? fileTypeForPath(path, file.isBinary),
    version: file.version,
    contentHash: file.contentHash,
    sizeBytes: file.sizeBytes,
    lineCount: file.lineCount,
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
