/**
 * A merge review's decisions, pure (the template upgrade and the Git pull share them): what the user chose for each
 * conflict, what the editor shows for it, what still blocks the apply, and the decisions sent with the apply (the
 * preview's file versions too, so a stale preview is refused).
 */
import { hasConflictMarkers } from "~/lib/merge-markers";
import type { TUpgradeResolution } from "~/lib/schemas/template";

/**
 * One file of a three-way merge preview, as the server describes it (base, theirs and ours; `merged`: the clean
 * result, or the proposal with conflict markers; the texts null when absent, binary or too large to show).
 */
export interface ReviewFile {
  path: string;
  change: "add" | "modify" | "delete";
  status: "clean" | "conflict";
  isBinary: boolean;
  tooLarge: boolean;
  base: string | null;
  theirs: string | null;
  ours: string | null;
  merged: string | null;
  /** A file of the project in the way of the file the other side adds here (a collision), or null. */
  clash: string | null;
  /** The project's file the merge was computed from (null: none at this path). */
  fileId: string | null;
  version: number | null;
}

export interface ReviewPreview {
  files: readonly ReviewFile[];
}

/** A conflict's decision: text edited by hand, or one side taken whole (a missing side deletes the file). */
export type Resolution = { kind: "content"; content: string } | { kind: "take"; side: "ours" | "theirs" };
export type Resolutions = Readonly<Record<string, Resolution>>;

/** Whether the diff editor can show the file (binary and very large files are resolved by taking a side). */
export function isShown(file: ReviewFile): boolean {
  return !file.isBinary && !file.tooLarge;
}

/** The text on the editable right side: the decision's, else the preview's result (or proposal). */
export function resultText(file: ReviewFile, resolution: Resolution | undefined): string {
  if (!resolution) return file.merged ?? "";
  if (resolution.kind === "content") return resolution.content;
  return (resolution.side === "ours" ? file.ours : file.theirs) ?? "";
}

/** Whether the file is absent once the merge is applied. */
export function resultDeleted(file: ReviewFile, resolution: Resolution | undefined): boolean {
  if (file.status === "clean") return file.change === "delete";
  if (!resolution || resolution.kind === "content") return false;
  return resolution.side === "ours" ? file.fileId === null : file.change === "delete";
}

export function unresolvedPaths(preview: ReviewPreview, resolutions: Resolutions): string[] {
  return preview.files.filter((file) => file.status === "conflict" && !resolutions[file.path]).map((file) => file.path);
}

/** Conflicts resolved by hand whose text still has conflict-marker lines. */
export function pathsWithMarkers(preview: ReviewPreview, resolutions: Resolutions): string[] {
  return preview.files
    .filter((file) => {
      const resolution = resolutions[file.path];
      return file.status === "conflict" && resolution?.kind === "content" && hasConflictMarkers(resolution.content);
    })
    .map((file) => file.path);
}

/** What an apply sends besides its own ids: the version of every file the preview showed, and each decision. */
export interface ReviewDecisions {
  expected: { path: string; fileId: string | null; version: number | null }[];
  resolutions: TUpgradeResolution[];
}

export function reviewDecisions(preview: ReviewPreview, resolutions: Resolutions): ReviewDecisions {
  return {
    expected: preview.files.map(({ path, fileId, version }) => ({ path, fileId, version })),
    resolutions: preview.files.flatMap((file) => {
      const resolution = resolutions[file.path];
      if (file.status !== "conflict" || !resolution) return [];
      return [
        resolution.kind === "content"
          ? { path: file.path, content: resolution.content }
          : { path: file.path, take: resolution.side },
      ];
    }),
  };
}
