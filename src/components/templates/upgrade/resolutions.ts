/**
 * The upgrade page's decisions, pure: what the user chose for each conflict, what the editor shows for it, what
 * still blocks the apply, and the apply's input (the preview's file versions, so a stale preview is refused).
 */
import { hasConflictMarkers } from "~/lib/merge-markers";
import type { TUpgradeApplyInput } from "~/lib/schemas/template";
import type { RouterOutputs } from "~/server/api/root";

export type UpgradePreview = RouterOutputs["template"]["upgradePreview"];
export type UpgradeFile = UpgradePreview["files"][number];

/** A conflict's decision: text edited by hand, or one side taken whole (a missing side deletes the file). */
export type Resolution = { kind: "content"; content: string } | { kind: "take"; side: "ours" | "theirs" };
export type Resolutions = Readonly<Record<string, Resolution>>;

/** Whether the diff editor can show the file (binary and very large files are resolved by taking a side). */
export function isShown(file: UpgradeFile): boolean {
  return !file.isBinary && !file.tooLarge;
}

/** The text on the editable right side: the decision's, else the preview's result (or proposal). */
export function resultText(file: UpgradeFile, resolution: Resolution | undefined): string {
  if (!resolution) return file.merged ?? "";
  if (resolution.kind === "content") return resolution.content;
  return (resolution.side === "ours" ? file.ours : file.theirs) ?? "";
}

/** Whether the file is absent once the upgrade is applied. */
export function resultDeleted(file: UpgradeFile, resolution: Resolution | undefined): boolean {
  if (file.status === "clean") return file.change === "delete";
  if (!resolution || resolution.kind === "content") return false;
  return resolution.side === "ours" ? file.fileId === null : file.change === "delete";
}

export function unresolvedPaths(preview: UpgradePreview, resolutions: Resolutions): string[] {
  return preview.files.filter((file) => file.status === "conflict" && !resolutions[file.path]).map((file) => file.path);
}

/** Conflicts resolved by hand whose text still has conflict-marker lines. */
export function pathsWithMarkers(preview: UpgradePreview, resolutions: Resolutions): string[] {
  return preview.files
    .filter((file) => {
      const resolution = resolutions[file.path];
      return file.status === "conflict" && resolution?.kind === "content" && hasConflictMarkers(resolution.content);
    })
    .map((file) => file.path);
}

export function applyInput(projectId: string, preview: UpgradePreview, resolutions: Resolutions): TUpgradeApplyInput {
  return {
    projectId,
    toVersionId: preview.toVersionId,
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
