/**
 * Several file changes as one safe save (a Claude turn, accepting its changes, undoing it): inside the caller's
 * transaction (withWrite, with the project's path lock), every change is checked against the file it was based
 * on, and only when none of them changed since is anything written. The writes are the ones of the single-file
 * services: prepareText, insertOne (file/folder clashes), the conditional update, delete, the storage limit.
 */
import { Prisma } from "~/generated/prisma/client";
import type { Actor } from "~/server/db/write";
import { assertWithinStorageLimit } from "../storage-limit";
import type { Tx } from "./common";
import { prepareBinary, prepareText } from "./content";
import { insertOne } from "./tree";

/** The file a change was based on: a file and its version, or `null` when there was none at the path. */
export type FileBase = { fileId: string; version: number } | null;

export interface FileChange {
  path: string;
  /** The new text (base64 with `isBinary`); `null` deletes the file. */
  content: string | null;
  isBinary?: boolean;
  base: FileBase;
}

export interface AppliedChange {
  path: string;
  action: "created" | "modified" | "deleted";
  /** The file before (as written over) and after the change (`null`: absent). */
  before: FileBase;
  after: FileBase;
}

interface LiveRow {
  id: string;
  file_path: string;
  version: number;
  size_bytes: number;
  content_hash: string | null;
  is_binary: boolean;
}

/** The live files at `paths`, locked until the transaction ends. */
async function lockLive(tx: Tx, projectId: string, paths: string[]): Promise<Map<string, LiveRow>> {
  const rows = await tx.$queryRaw<LiveRow[]>`
    SELECT id, file_path, version, size_bytes, content_hash, is_binary FROM project_files
     WHERE project_id = ${projectId}::uuid AND file_path = ANY(${paths}::text[])
     ORDER BY file_path
       FOR UPDATE`;
  return new Map(rows.map((row) => [row.file_path, row]));
}

/** Whether the live file is still the change's base (a file deleted and created again is another file). */
function sameAsBase(live: LiveRow | undefined, base: FileBase): boolean {
  if (!base) return live === undefined;
  return live !== undefined && live.id === base.fileId && live.version === base.version;
}

/**
 * The paths whose live file is no longer the change's base; with `force`, none (the changes go over whatever is
 * there). Call inside withWrite with `lockPathsOf: projectId`.
 */
export async function findChangeConflicts(tx: Tx, projectId: string, changes: FileChange[]): Promise<string[]> {
  const live = await lockLive(
    tx,
    projectId,
    changes.map((change) => change.path),
  );
  return changes.filter((change) => !sameAsBase(live.get(change.path), change.base)).map((change) => change.path);
}

/**
 * Writes `changes` over the live files as they are now (check `findChangeConflicts` first, in the same
 * transaction): deletes first (a file may make way for a folder), then updates, then creates (`generated`: the new
 * files get `is_generated`). Throws like the single-file services (file/folder clash, storage limit), which rolls
 * the caller's transaction back. Unchanged content is left alone.
 */
export async function applyFileChanges(
  tx: Tx,
  projectId: string,
  actor: Actor,
  changes: FileChange[],
  { generated = false }: { generated?: boolean } = {},
): Promise<AppliedChange[]> {
  const live = await lockLive(
    tx,
    projectId,
    changes.map((change) => change.path),
  );
  const prepared = changes.map((change) => ({
    change,
    file:
      change.content === null
        ? null
        : change.isBinary
          ? prepareBinary(change.path, Buffer.from(change.content, "base64"))
          : prepareText(change.path, change.content),
    current: live.get(change.path),
  }));
  const applied: AppliedChange[] = [];
  let grewBy = 0;
  const order = (item: (typeof prepared)[number]) => (item.file === null ? 0 : item.current ? 1 : 2);
  for (const { change, file, current } of [...prepared].sort((a, b) => order(a) - order(b))) {
    const before = current ? { fileId: current.id, version: current.version } : null;
    if (file === null) {
      if (!current) continue;
      await tx.$executeRaw`DELETE FROM project_files WHERE id = ${current.id}::uuid`;
      grewBy -= current.size_bytes;
      applied.push({ path: change.path, action: "deleted", before, after: null });
    } else if (current) {
      if (current.content_hash === file.contentHash && current.is_binary === file.isBinary) continue;
      const rows = await tx.$queryRaw<{ version: number }[]>`
        UPDATE project_files
           SET content = ${file.content}, content_hash = ${file.contentHash}, size_bytes = ${file.sizeBytes},
               line_count = ${file.lineCount}, encoding = ${file.encoding}, is_binary = ${file.isBinary},
               file_type = ${file.fileType}, mime_type = ${file.mimeType}, updated_by = ${actor.userId}::uuid
         WHERE id = ${current.id}::uuid
        RETURNING version`;
      grewBy += file.sizeBytes - current.size_bytes;
      applied.push({
        path: change.path,
        action: "modified",
        before,
        after: { fileId: current.id, version: rows[0]!.version },
      });
    } else {
      const created = await insertOne(tx, projectId, actor, file, generated);
      grewBy += file.sizeBytes;
      applied.push({
        path: change.path,
        action: "created",
        before: null,
        after: { fileId: created.id, version: created.version },
      });
    }
  }
  await assertWithinStorageLimit(tx, projectId, grewBy);
  return applied.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** The content of one version of a file (history outlives the file), or null when it is unknown. */
export async function versionContent(
  tx: Pick<Tx, "$queryRaw">,
  base: { fileId: string; version: number },
): Promise<{ content: string; isBinary: boolean } | null> {
  const rows = await tx.$queryRaw<{ content: string; is_binary: boolean }[]>(Prisma.sql`
    SELECT content, is_binary FROM project_file_versions WHERE file_id = ${base.fileId}::uuid AND version = ${base.version}`);
  const row = rows[0];
  return row ? { content: row.content, isBinary: row.is_binary } : null;
}
