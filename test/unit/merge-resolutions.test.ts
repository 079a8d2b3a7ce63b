import { describe, expect, it } from "vitest";
import {
  pathsWithMarkers,
  resultDeleted,
  resultText,
  reviewDecisions,
  unresolvedPaths,
  type ReviewFile,
  type ReviewPreview,
} from "~/components/merge/resolutions";

const file = (over: Partial<ReviewFile>): ReviewFile => ({
  path: "a.txt",
  change: "modify",
  status: "conflict",
  isBinary: false,
  tooLarge: false,
  base: "base\n",
  theirs: "theirs\n",
  ours: "ours\n",
  merged: "<<<<<<< yours\nours\n=======\ntheirs\n>>>>>>> template 1.1.0\n",
  clash: null,
  fileId: "7f4a1c2e-2b1d-4c3e-9a8b-1234567890ab",
  version: 3,
  ...over,
});

const preview = (files: ReviewFile[]): ReviewPreview => ({ files });

describe("a merge review's decisions", () => {
  const conflict = file({});
  const clean = file({ path: "b.txt", status: "clean", merged: "merged\n" });
  const deletedByTemplate = file({ path: "c.txt", change: "delete", theirs: null, merged: "ours\n" });

  it("shows the proposal until a decision, then the decision's text", () => {
    expect(resultText(conflict, undefined)).toBe(conflict.merged);
    expect(resultText(conflict, { kind: "take", side: "theirs" })).toBe("theirs\n");
    expect(resultText(conflict, { kind: "content", content: "by hand\n" })).toBe("by hand\n");
  });

  it("knows when the file is gone after the upgrade", () => {
    expect(resultDeleted(deletedByTemplate, { kind: "take", side: "theirs" })).toBe(true);
    expect(resultDeleted(deletedByTemplate, { kind: "take", side: "ours" })).toBe(false);
    expect(resultDeleted(file({ status: "clean", change: "delete", merged: null }), undefined)).toBe(true);
    expect(resultDeleted(file({ fileId: null, ours: null }), { kind: "take", side: "ours" })).toBe(true);
  });

  it("blocks on unresolved conflicts, warns about markers left, and sends the preview's versions", () => {
    const all = preview([conflict, clean, deletedByTemplate]);
    expect(unresolvedPaths(all, {})).toEqual(["a.txt", "c.txt"]);
    const resolutions = {
      "a.txt": { kind: "content", content: "<<<<<<< yours\nkept\n" },
      "c.txt": { kind: "take", side: "theirs" },
    } as const;
    expect(unresolvedPaths(all, resolutions)).toEqual([]);
    expect(pathsWithMarkers(all, resolutions)).toEqual(["a.txt"]);
    expect(reviewDecisions(all, resolutions)).toEqual({
      expected: [
        { path: "a.txt", fileId: conflict.fileId, version: 3 },
        { path: "b.txt", fileId: conflict.fileId, version: 3 },
        { path: "c.txt", fileId: conflict.fileId, version: 3 },
      ],
      resolutions: [
        { path: "a.txt", content: "<<<<<<< yours\nkept\n" },
        { path: "c.txt", take: "theirs" },
      ],
    });
  });
});
