/**
 * The review of a three-way merge into a project's files, shared by the template upgrade and the git pull: the
 * project's files the merge reads, the files it would create where the tree has no room (a collision), the
 * preview the review page shows, and the apply's checks (nothing changed since the preview, every collision
 * resolved) that turn the merge and the user's resolutions into file changes.
 */
import { Prisma } from "~/generated/prisma/client";
import { ancestorPaths } from "~/lib/paths";
import type { TUpgradeApplyInput, TUpgradeResolution } from "~/lib/schemas/template";
import type { Database } from "~/server/db/client";
import { AppError } from "~/server/errors";
import { findChangeConflicts, type FileBase, type FileChange } from "./files";
import { quote, type Tx } from "./files/common";
import type { MergeEntry, MergeFile } from "./templates/merge";

type Queryable = Pick<Database, "$queryRaw">;

/** One side's text in a preview is left out past this size (the apply still merges it in full). */
const PREVIEW_FILE_TEXT_MAX_BYTES = 1024 * 1024;
/** And every text is left out once a preview has carried this much, so one answer stays a sane size. */
const PREVIEW_TOTAL_TEXT_MAX_BYTES = 24 * 1024 * 1024;

export interface LiveFile extends MergeFile {
  fileId: string;
  version: number;
}

export type ReviewEntry = MergeEntry & { clash: string | null };

/** The project's files at `paths` (locked with `lock`, until the transaction ends). */
export async function liveFiles(q: Queryable, projectId: string, paths: string[], lock: boolean) {
  const rows = await q.$queryRaw<
    { id: string; file_path: string; version: number; content: string | null; is_binary: boolean }[]
  >(Prisma.sql`
    SELECT id, file_path, version, content, is_binary FROM project_files
     WHERE project_id = ${projectId}::uuid AND file_path = ANY(${paths}::text[])
     ORDER BY file_path
     ${lock ? Prisma.sql`FOR UPDATE` : Prisma.empty}`);
  return new Map<string, LiveFile>(
    rows.map((row) => [
      row.file_path,
      { fileId: row.id, version: row.version, content: row.content ?? "", isBinary: row.is_binary },
    ]),
  );
}

/**
 * The files the merge would create where the project's tree has no room for them, each with the path in the
 * way: a file of the user's where the new file needs a folder (`lib` for `lib/x.ts`), or files of theirs under
 * the new file's path. Files the merge deletes cleanly (`leaving`) make way, as they are deleted first.
 */
async function treeClashes(q: Queryable, projectId: string, creates: string[], leaving: string[]) {
  if (creates.length === 0) return new Map<string, string>();
  const pairs = creates.flatMap((path) => ancestorPaths(path).map((ancestor) => [path, ancestor] as const));
  const rows = await q.$queryRaw<{ path: string; in_the_way: string }[]>`
    SELECT a.path, f.file_path AS in_the_way
      FROM unnest(${pairs.map(([path]) => path)}::text[], ${pairs.map(([, ancestor]) => ancestor)}::text[])
           AS a(path, ancestor)
      JOIN project_files f ON f.project_id = ${projectId}::uuid AND f.file_path = a.ancestor
     WHERE NOT f.file_path = ANY(${leaving}::text[])
     UNION ALL
    SELECT c.path, f.file_path
      FROM unnest(${creates}::text[]) AS c(path)
     CROSS JOIN LATERAL (
           SELECT file_path FROM project_files
            WHERE project_id = ${projectId}::uuid AND starts_with(file_path, c.path || '/')
              AND NOT file_path = ANY(${leaving}::text[])
            LIMIT 1) f`;
  return new Map(rows.map((row) => [row.path, row.in_the_way]));
}

/**
 * The merged entries with their tree collisions: a file the merge adds where the project's tree has no room for
 * it is a collision (`clash`: the path in the way), not a clean change the apply could only refuse.
 */
export async function withTreeClashes(q: Queryable, projectId: string, merged: MergeEntry[]): Promise<ReviewEntry[]> {
  const clashes = await treeClashes(
    q,
    projectId,
    merged.filter((entry) => entry.merged !== null && entry.ours === null).map((entry) => entry.path),
    merged.filter((entry) => entry.status === "clean" && entry.merged === null).map((entry) => entry.path),
  );
  return merged.map((entry) => {
    const clash = clashes.get(entry.path) ?? null;
    return clash === null ? { ...entry, clash } : { ...entry, status: "conflict", clash };
  });
}

/**
 * The review's files: each clean change with its result, each collision with a proposal to start from, and the
 * project file each was computed from (its id and version, to send back with the apply). Texts of binary files,
 * and of files past the preview's size limits, are left out (`isBinary`, `tooLarge`): those are resolved by taking
 * one side whole.
 */
export function previewFiles(entries: ReviewEntry[], live: ReadonlyMap<string, LiveFile>) {
  let budget = PREVIEW_TOTAL_TEXT_MAX_BYTES;
  const files = entries.map((entry) => {
    const sides = [entry.base, entry.theirs, entry.ours, entry.merged];
    const isBinary = sides.some((side) => side?.isBinary === true);
    const bytes = sides.map((side) => (side ? Buffer.byteLength(side.content, "utf8") : 0));
    const tooLarge =
      !isBinary &&
      (bytes.some((size) => size > PREVIEW_FILE_TEXT_MAX_BYTES) || bytes.reduce((a, b) => a + b, 0) > budget);
    const shown = !isBinary && !tooLarge;
    if (shown) budget -= bytes.reduce((a, b) => a + b, 0);
    const text = (side: MergeFile | null) => (shown && side ? side.content : null);
    const ours = live.get(entry.path);
    return {
      path: entry.path,
      change: entry.change,
      status: entry.status,
      isBinary,
      tooLarge,
      base: text(entry.base),
      theirs: text(entry.theirs),
      ours: text(entry.ours),
      merged: text(entry.merged),
      /** A file of the project in the way of the file the merge adds here (a collision), or null. */
      clash: entry.clash,
      /** The project's file the merge was computed from (null: none at this path). */
      fileId: ours?.fileId ?? null,
      version: ours?.version ?? null,
    };
  });
  return {
    files,
    cleanCount: files.filter((file) => file.status === "clean").length,
    conflictCount: files.filter((file) => file.status === "conflict").length,
  };
}

export type ReviewFile = ReturnType<typeof previewFiles>["files"][number];

/** Up to five quoted paths, and how many more. */
export function listPaths(paths: string[]): string {
  const shown = paths.slice(0, 5).map(quote).join(", ");
  return paths.length > 5 ? `${shown} and ${paths.length - 5} more` : shown;
}

/** The file a conflict's resolution leaves (null: no file). */
function resolvedFile(entry: MergeEntry, resolution: TUpgradeResolution): MergeFile | null {
  if ("content" in resolution) return { content: resolution.content, isBinary: false };
  if ("delete" in resolution) return null;
  return resolution.take === "ours" ? entry.ours : entry.theirs;
}

function sameFile(a: MergeFile | null, b: MergeFile | null): boolean {
  if (a === null || b === null) return a === b;
  return a.content === b.content && a.isBinary === b.isBinary;
}

/** How the apply's messages name the action and the other side ("upgrade", "upgrading", "the template's"). */
export interface ReviewWording {
  action: string;
  verbing: string;
  theirs: string;
}

/**
 * The apply's checks and its file changes, inside its transaction (with the project's path lock and `live`
 * locked): every file the preview showed is still the one it was made from (`expected`; else CONFLICT "review
 * again"), every resolution names a collision once (a binary file only by side or delete), and every collision
 * has one (else CONFLICT). Answers the changes to write (none where the result is what the project has) and how
 * many collisions were resolved.
 */
export async function planMergeApply(
  tx: Tx,
  projectId: string,
  entries: ReviewEntry[],
  live: ReadonlyMap<string, LiveFile>,
  input: Pick<TUpgradeApplyInput, "expected" | "resolutions">,
  wording: ReviewWording,
): Promise<{ changes: FileChange[]; conflictsResolved: number }> {
  const expected = new Map(input.expected.map((item) => [item.path, item]));
  const unseen = entries.filter((entry) => !expected.has(entry.path)).map((entry) => entry.path);
  const stale = await findChangeConflicts(
    tx,
    projectId,
    input.expected.map((item) => ({
      path: item.path,
      content: null,
      base: item.fileId !== null && item.version !== null ? { fileId: item.fileId, version: item.version } : null,
    })),
  );
  const changed = [...new Set([...stale, ...unseen])].sort();
  if (changed.length > 0) {
    throw new AppError(
      "CONFLICT",
      `The project changed since you reviewed this ${wording.action} (${listPaths(changed)}). Review the ${wording.action} again.`,
      { paths: changed },
    );
  }

  const conflicts = new Map(entries.filter((entry) => entry.status === "conflict").map((e) => [e.path, e]));
  const resolutions = new Map<string, TUpgradeResolution>();
  for (const resolution of input.resolutions) {
    if (!conflicts.has(resolution.path)) {
      throw new AppError(
        "BAD_REQUEST",
        `${quote(resolution.path)} has no conflict to resolve in this ${wording.action}.`,
      );
    }
    if (resolutions.has(resolution.path)) {
      throw new AppError("BAD_REQUEST", `${quote(resolution.path)} is resolved more than once.`);
    }
    // A binary file cannot hold text edited by hand (the preview offers no editor for it): a side, or delete.
    const entry = conflicts.get(resolution.path)!;
    if ("content" in resolution && [entry.base, entry.theirs, entry.ours].some((side) => side?.isBinary)) {
      throw new AppError(
        "BAD_REQUEST",
        `${quote(resolution.path)} is a binary file: keep yours, take ${wording.theirs}, or delete it.`,
      );
    }
    resolutions.set(resolution.path, resolution);
  }
  const unresolved = [...conflicts.keys()].filter((path) => !resolutions.has(path));
  if (unresolved.length > 0) {
    throw new AppError("CONFLICT", `Resolve every conflict before ${wording.verbing}: ${listPaths(unresolved)}.`, {
      paths: unresolved,
    });
  }

  const changes: FileChange[] = [];
  for (const entry of entries) {
    const resolution = resolutions.get(entry.path);
    const result = resolution ? resolvedFile(entry, resolution) : entry.merged;
    if (sameFile(result, entry.ours)) continue;
    const ours = live.get(entry.path);
    const base: FileBase = ours ? { fileId: ours.fileId, version: ours.version } : null;
    changes.push({ path: entry.path, content: result?.content ?? null, isBinary: result?.isBinary, base });
  }
  return { changes, conflictsResolved: conflicts.size };
}
