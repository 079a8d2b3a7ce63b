import { describe, expect, it } from "vitest";
import { activityTypeLabel, fileVersionPair, stateChanges } from "~/lib/activity-diff";
import { filesByType, storageUse } from "~/lib/charts/files-by-type";

const row = (fileType: string, files: number, sizeBytes = files * 100, lines = files * 10) => ({
  fileType,
  files,
  sizeBytes,
  lines,
});

describe("files by type", () => {
  it("orders by the metric, then by name, with shares of the total", () => {
    expect(filesByType([row("css", 1), row("typescript", 3), row("json", 1)])).toEqual([
      { ...row("typescript", 3), share: 0.6 },
      { ...row("css", 1), share: 0.2 },
      { ...row("json", 1), share: 0.2 },
    ]);
    expect(filesByType([row("a", 1, 900), row("b", 2, 100)], "sizeBytes").map((bar) => bar.fileType)).toEqual([
      "a",
      "b",
    ]);
  });

  it("folds the tail into one 'other' bar (merged with an existing one) so bars keep the totals", () => {
    const rows = [row("a", 5), row("b", 4), row("c", 3), row("other", 2), row("d", 1), row("", 1)];
    const bars = filesByType(rows, "files", 3);
    expect(bars.map((bar) => [bar.fileType, bar.files])).toEqual([
      ["a", 5],
      ["b", 4],
      ["other", 7],
    ]);
    expect(bars.reduce((sum, bar) => sum + bar.lines, 0)).toBe(160);
  });

  it("gives zero shares when there is nothing, and no bars without rows", () => {
    expect(filesByType([])).toEqual([]);
    expect(filesByType([row("a", 0, 0, 0)])[0]!.share).toBe(0);
  });
});

describe("storage use", () => {
  it("warns from 80 %, is over past 100 %, and has no ratio without a limit", () => {
    expect(storageUse(50, 100)).toEqual({ usedBytes: 50, limitBytes: 100, ratio: 0.5, tone: "ok" });
    expect(storageUse(80, 100).tone).toBe("warning");
    expect(storageUse(101, 100)).toMatchObject({ ratio: 1.01, tone: "over" });
    expect(storageUse(5, null)).toEqual({ usedBytes: 5, limitBytes: null, ratio: null, tone: "ok" });
  });
});

describe("activity diffs", () => {
  it("lists both states' keys with their values and whether they changed", () => {
    expect(stateChanges({ version: 1, path: "a", gone: true }, { version: 2, path: "a", added: { x: 1 } })).toEqual([
      { key: "version", before: "1", after: "2", changed: true },
      { key: "path", before: "a", after: "a", changed: false },
      { key: "gone", before: "true", after: null, changed: true },
      { key: "added", before: null, after: '{"x":1}', changed: true },
    ]);
    expect(stateChanges(null, null)).toEqual([]);
  });

  it("finds the two versions of a content edit, and nothing for renames or other entries", () => {
    const edit = {
      activityType: "file_modified",
      metadata: { content_changed: true, file_id: "f1" },
      beforeState: { file_path: "a.ts", version: 2 },
      afterState: { file_path: "a.ts", version: 3 },
    };
    expect(fileVersionPair(edit)).toEqual({ path: "a.ts", fileId: "f1", fromVersion: 2, toVersion: 3 });
    expect(fileVersionPair({ ...edit, metadata: { content_changed: false } })).toBeNull();
    expect(fileVersionPair({ ...edit, activityType: "file_created" })).toBeNull();
    expect(fileVersionPair({ ...edit, afterState: { file_path: "a.ts", version: 2 } })).toBeNull();
    expect(fileVersionPair({ ...edit, beforeState: { version: "2" } })).toBeNull();
  });

  it("labels activity types for people", () => {
    expect(activityTypeLabel("file_modified")).toBe("File modified");
    expect(activityTypeLabel("")).toBe("");
  });
});
