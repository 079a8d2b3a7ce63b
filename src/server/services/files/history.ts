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

/** What a Claude turn behind a version was: its prompt, model, conversation and stored cost (null: unpriced). */
export interface VersionTurn {
  interactionId: string;
  conversationId: string | null;
  prompt: string;
  model: string;
  /** USD as stored with the turn (6 decimals); null when the model had no price (never counted as $0). */
  costUsd: string | null;
}

/** Longest prompt the history answers per version: enough to recognise the turn, not a second copy of it. */
const PROMPT_PREVIEW_CHARS = 280;

/**
 * Every version of a path, newest first, across the files that held the path over time; each version Claude
 * wrote comes with its turn, and the history with what Claude's turns that changed it cost together (each turn
 * counted once, however many versions it wrote; unpriced turns counted apart, never as $0).
 */
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
      turn_id: string | null;
      conversation_id: string | null;
      prompt: string | null;
      model: string | null;
      cost_usd: string | null;
    }[]
  >`
    SELECT v.file_id, v.version, v.created_at, v.source_type, v.interaction_id, v.size_bytes, v.content_hash,
           u.id AS author_id, u.full_name AS author_name,
           i.id AS turn_id, i.conversation_id, left(i.user_message, ${PROMPT_PREVIEW_CHARS}) AS prompt, i.model,
           i.cost_usd::text AS cost_usd
      FROM project_file_versions v
      LEFT JOIN users u ON u.id = v.created_by
      LEFT JOIN claude_interactions i ON i.id = v.interaction_id AND i.project_id = v.project_id
     WHERE ${historyCondition(projectId, path)}
     ORDER BY v.created_at DESC, v.version DESC
     LIMIT 1000`;
  const [totals] = await db.$queryRaw<{ cost_usd: string; priced_turns: number; unpriced_turns: number }[]>`
    SELECT COALESCE(sum(t.cost_usd), 0)::numeric(14, 6)::text AS cost_usd,
           count(t.cost_usd)::int AS priced_turns,
           (count(*) - count(t.cost_usd))::int AS unpriced_turns
      FROM (SELECT DISTINCT i.id, i.cost_usd
              FROM project_file_versions v
              JOIN claude_interactions i ON i.id = v.interaction_id AND i.project_id = v.project_id
             WHERE ${historyCondition(projectId, path)}) t`;
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
      turn: row.turn_id
        ? ({
            interactionId: row.turn_id,
            conversationId: row.conversation_id,
            prompt: row.prompt ?? "",
            model: row.model ?? "unknown",
            costUsd: row.cost_usd,
          } satisfies VersionTurn)
        : null,
    })),
    /** What Claude's turns that wrote versions of this path cost: priced ones summed, unpriced ones counted. */
    claudeCost: {
      costUsd: totals?.cost_usd ?? "0.000000",
      pricedTurns: totals?.priced_turns ?? 0,
      unpricedTurns: totals?.unpriced_turns ?? 0,
    },
  };
}
