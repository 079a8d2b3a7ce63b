/**
 * Many files at once: written in one statement (templates, zip import), and the project as a zip archive.
 */
import { env } from "~/env";
import { ancestorPaths, normalizeFilePath } from "~/lib/paths";
import { Prisma } from "~/generated/prisma/client";
import type { Database } from "~/server/db/client";
import { CONTENT_BUDGET_BYTES, groupByBytes } from "~/server/db/sql";
import { withWrite, type Actor } from "~/server/db/write";
import { AppError } from "~/server/errors";
import { assertWithinStorageLimit, projectBytes } from "../storage-limit";
import { mib, readZip, zipStream } from "../zip";
import { quote, type Tx, type WriteScope } from "./common";
import { decodeBase64, prepareBytes, type PreparedFile } from "./content";

/**
 * Writes `files` in ONE statement (set-based, like the import benchmark). With `upsert`, a path that exists gets
 * the new content as a new version, and unchanged files are left alone. Answers how many were created/updated.
 */
export async function writeFiles(tx: Tx, projectId: string, actor: Actor, files: PreparedFile[], upsert: boolean) {
  if (files.length === 0) return { created: 0, updated: 0 };
  const column = <K extends keyof PreparedFile>(key: K) => files.map((file) => file[key]);
  const values = Prisma.sql`
    SELECT ${projectId}::uuid, p, n, t, m, c, h, e, s, l, b, ${actor.userId}::uuid, ${actor.userId}::uuid
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
        throw new AppError(
          "CONFLICT",
          `${quote(ancestor)} would be both a file and a folder (it holds ${quote(path)}).`,
        );
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

/** Why an archive entry (or a repository's file) is left out, or null to import it. */
export function importSkipReason(name: string): string | null {
  return skipReason(name)?.reason ?? null;
}

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
  actor,
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
      {
        maxFileBytes: env.IMPORT_MAX_FILE_BYTES,
        maxTotalBytes: env.IMPORT_MAX_TOTAL_BYTES,
        maxFiles: env.IMPORT_MAX_FILES,
      },
      importSkipReason,
    );
  } catch (error) {
    if (error instanceof RangeError)
      throw new AppError("BAD_REQUEST", "This file is not a valid zip archive (it is truncated).");
    throw error;
  }

  const files: PreparedFile[] = [];
  const seen = new Set<string>();
  for (const entry of parsed.entries) {
    const checked = normalizeFilePath(entry.name);
    if (!checked.ok)
      throw new AppError(
        "BAD_REQUEST",
        `The archive entry ${quote(entry.name)} cannot be imported: ${checked.message}`,
      );
    if (seen.has(checked.path)) throw new AppError("BAD_REQUEST", `The archive contains ${quote(checked.path)} twice.`);
    seen.add(checked.path);
    files.push(prepareBytes(checked.path, entry.data, env.IMPORT_MAX_FILE_BYTES));
  }
  // One line per skipped folder (node_modules/ may hold thousands of files), one per other skipped file.
  const skippedByPath = new Map<string, string>();
  for (const skip of parsed.skipped) skippedByPath.set(skipReason(skip.name)?.key ?? skip.name, skip.reason);
  const skipped = [...skippedByPath].map(([path, reason]) => ({ path, reason }));

  return withWrite(
    db,
    actor,
    async (tx) => {
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
      const written = await writeFiles(tx, projectId, actor, files, true);
      await assertWithinStorageLimit(tx, projectId, (await projectBytes(tx, projectId)) - before);
      return {
        imported: files.length,
        created: written.created,
        updated: written.updated,
        removed,
        skipped: skipped.slice(0, MAX_SKIPPED_REPORTED),
      };
    },
    { lockPathsOf: projectId, timeout: 60_000, maxWait: 10_000 },
  );
}

/**
 * The project as a zip archive (binary files decoded), streamed for the export route. Someone else's project:
 * NOT_FOUND, before anything is streamed. The archive is written as it is read: file contents are fetched in
 * groups of at most CONTENT_BUDGET_BYTES when the download wants more (a file deleted meanwhile is left out).
 */
export async function exportProjectZip({
  db,
  projectId,
  userId,
}: {
  db: Database;
  projectId: string;
  userId: string;
}): Promise<ReadableStream<Uint8Array>> {
  // One query checks ownership and lists the files (a project without files still yields its one joined row).
  const listing = await db.$queryRaw<
    ({ file_path: string; size_bytes: number } | { file_path: null; size_bytes: null })[]
  >`
    SELECT f.file_path, f.size_bytes
      FROM projects p
      LEFT JOIN project_files f ON f.project_id = p.id
     WHERE p.id = ${projectId}::uuid AND p.user_id = ${userId}::uuid
     ORDER BY f.file_path`;
  if (listing.length === 0) throw new AppError("NOT_FOUND", "Project not found.");
  const files = listing.flatMap((row) =>
    row.file_path === null ? [] : [{ path: row.file_path, sizeBytes: row.size_bytes }],
  );
  async function* contents() {
    for (const group of groupByBytes(files, (file) => file.sizeBytes, CONTENT_BUDGET_BYTES)) {
      const rows = await db.$queryRaw<
        { file_path: string; content: string; is_binary: boolean | null; updated_at: Date | null }[]
      >`
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
