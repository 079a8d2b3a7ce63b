import { describe, expect, it } from "vitest";
import { ideReducer, initialIdeState, type IdeState } from "~/components/editor/ide-state";
import { fileConflict } from "~/lib/schemas/file-conflict";

const theirs = (fileId: string, version: number, content: string) =>
  fileConflict({
    fileId,
    version,
    content,
    contentHash: null,
    updatedAt: new Date(),
    updatedBy: null,
    sourceType: "user",
  });

function opened(content = "a"): IdeState {
  const state = ideReducer(initialIdeState, { type: "open", path: "src/a.ts" });
  return ideReducer(state, {
    type: "loaded",
    path: "src/a.ts",
    fileId: "old-file",
    content,
    version: 3,
    isBinary: false,
    mimeType: "text/typescript",
  });
}

describe("IDE state", () => {
  it("opens a file once, makes it active, and builds its buffer once from what was loaded", () => {
    let state = opened();
    state = ideReducer(state, { type: "open", path: "src/a.ts" });
    expect(state.tabs).toEqual(["src/a.ts"]);
    expect(state.active).toBe("src/a.ts");
    expect(state.files["src/a.ts"]).toMatchObject({ status: "ready", content: "a", revision: 1 });
  });

  it("records what a save sent as the server's content, without rebuilding the buffer", () => {
    let state = ideReducer(opened(), { type: "saving", path: "src/a.ts" });
    state = ideReducer(state, { type: "saved", path: "src/a.ts", version: 4, content: "b" });
    expect(state.files["src/a.ts"]).toMatchObject({ baseVersion: 4, content: "b", saving: false, revision: 1 });
  });

  it("never replaces a loaded buffer when the file is loaded again", () => {
    const state = ideReducer(opened(), {
      type: "loaded",
      path: "src/a.ts",
      fileId: "other-file",
      content: "theirs",
      version: 9,
      isBinary: false,
      mimeType: "text/plain",
    });
    expect(state.files["src/a.ts"]).toMatchObject({ fileId: "old-file", baseVersion: 3, content: "a", revision: 1 });
  });

  it("takes the id of the file created again at its path along with its content", () => {
    let state = opened();
    state = ideReducer(state, { type: "conflict", path: "src/a.ts", conflict: theirs("new-file", 1, "new file") });
    expect(state.files["src/a.ts"]).toMatchObject({ fileId: "old-file", baseVersion: 3 });
    const taken = ideReducer(state, { type: "takeTheirs", path: "src/a.ts" });
    expect(taken.files["src/a.ts"]).toMatchObject({
      fileId: "new-file",
      baseVersion: 1,
      content: "new file",
      conflict: undefined,
      revision: 2,
    });
    const replaced = ideReducer(opened(), {
      type: "replace",
      path: "src/a.ts",
      fileId: "new-file",
      content: "x",
      version: 1,
    });
    expect(replaced.files["src/a.ts"]).toMatchObject({ fileId: "new-file", baseVersion: 1, revision: 2 });
  });

  it("holds a conflict until the user takes theirs (or saves on top of it)", () => {
    let state = opened();
    state = ideReducer(state, { type: "conflict", path: "src/a.ts", conflict: theirs("old-file", 5, "theirs") });
    expect(state.files["src/a.ts"]!.conflict?.current?.version).toBe(5);
    const taken = ideReducer(state, { type: "takeTheirs", path: "src/a.ts" });
    expect(taken.files["src/a.ts"]).toMatchObject({ content: "theirs", baseVersion: 5, conflict: undefined });
    const kept = ideReducer(state, { type: "saved", path: "src/a.ts", version: 6, content: "mine" });
    expect(kept.files["src/a.ts"]).toMatchObject({ content: "mine", baseVersion: 6, conflict: undefined });
  });

  it("offers nothing to take when the file was deleted", () => {
    const state = ideReducer(opened(), { type: "conflict", path: "src/a.ts", conflict: fileConflict(null) });
    const after = ideReducer(state, { type: "takeTheirs", path: "src/a.ts" });
    expect(after.files["src/a.ts"]).toBe(state.files["src/a.ts"]);
  });

  it("follows a folder rename and closes tabs of deleted files", () => {
    let state = opened();
    state = ideReducer(state, { type: "open", path: "README.md" });
    state = ideReducer(state, { type: "renamed", from: "src", to: "lib" });
    expect(state.tabs).toEqual(["lib/a.ts", "README.md"]);
    expect(state.files["lib/a.ts"]?.path).toBe("lib/a.ts");
    state = ideReducer(state, { type: "removed", paths: ["lib"] });
    expect(state.tabs).toEqual(["README.md"]);
    expect(state.active).toBe("README.md");
  });
});
