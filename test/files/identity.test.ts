import { describe, expect, it } from "vitest";
import { expectFailure, newProject, projectState, signedInUser } from "./support";

/** The CONFLICT payload of a refused save or restore. */
function offered(error: { cause?: unknown }) {
  return (error.cause as { data: { current: Record<string, unknown> | null } }).data.current;
}

describe("a file's identity is its id, not its path and version", () => {
  it("refuses a save from a tab opened on a file that was deleted and created again (same path, same version number)", async () => {
    const { api } = await signedInUser();
    const projectId = await newProject(api);
    const old = await api.file.create({ projectId, path: "src/app.ts", kind: "file", content: "old file\n" });
    await api.file.delete({ projectId, path: "src/app.ts" });
    const fresh = await api.file.create({ projectId, path: "src/app.ts", kind: "file", content: "new file\n" });
    expect(fresh.version).toBe(old.version);
    const before = await projectState(projectId);

    // The old tab still holds version 1 of the old file.
    const error = await expectFailure(
      api.file.save({ projectId, path: "src/app.ts", content: "old tab's edit\n", fileId: old.id, baseVersion: 1 }),
      "CONFLICT",
      /deleted and created again/,
    );
    expect(offered(error)).toMatchObject({ fileId: fresh.id, version: 1, content: "new file\n" });
    expect(await projectState(projectId)).toEqual(before);
    expect((await api.file.read({ projectId, path: "src/app.ts" })).content).toBe("new file\n");

    // Keeping the old tab's text is then an ordinary save on top of the file it was shown.
    const kept = await api.file.save({
      projectId,
      path: "src/app.ts",
      content: "old tab's edit\n",
      fileId: fresh.id,
      baseVersion: 1,
    });
    expect(kept).toMatchObject({ id: fresh.id, version: 2, changed: true });
  });

  it("refuses to restore a deleted file's version over a live file created at its path, until the user overwrites it", async () => {
    const { api } = await signedInUser();
    const projectId = await newProject(api);
    const old = await api.file.create({ projectId, path: "notes.md", kind: "file", content: "deleted notes\n" });
    await api.file.delete({ projectId, path: "notes.md" });
    const fresh = await api.file.create({ projectId, path: "notes.md", kind: "file", content: "live notes\n" });
    const before = await projectState(projectId);

    // From the deleted files: the user saw no live file there.
    const error = await expectFailure(
      api.file.restore({ projectId, path: "notes.md", fileId: old.id, version: 1 }),
      "CONFLICT",
      /created at “notes\.md”/,
    );
    expect(offered(error)).toMatchObject({ fileId: fresh.id, version: 1, content: "live notes\n" });
    // From a history read before the path was re-created: the base is the old file.
    await expectFailure(
      api.file.restore({ projectId, path: "notes.md", fileId: old.id, version: 1, baseFileId: old.id, baseVersion: 1 }),
      "CONFLICT",
      /deleted and created again/,
    );
    expect(await projectState(projectId)).toEqual(before);

    // Overwriting on purpose: the live file the conflict showed is the base; its content becomes a new version of it.
    const restored = await api.file.restore({
      projectId,
      path: "notes.md",
      fileId: old.id,
      version: 1,
      baseFileId: fresh.id,
      baseVersion: 1,
    });
    expect(restored).toMatchObject({ id: fresh.id, version: 2, changed: true });
    expect((await api.file.read({ projectId, path: "notes.md" })).content).toBe("deleted notes\n");
    expect((await api.file.read({ projectId, path: "notes.md", fileId: fresh.id, version: 1 })).content).toBe(
      "live notes\n",
    );
  });

  it("refuses an overwrite whose base went stale meanwhile", async () => {
    const { api } = await signedInUser();
    const projectId = await newProject(api);
    const old = await api.file.create({ projectId, path: "a.txt", kind: "file", content: "deleted\n" });
    await api.file.delete({ projectId, path: "a.txt" });
    const fresh = await api.file.create({ projectId, path: "a.txt", kind: "file", content: "live\n" });
    await api.file.save({ projectId, path: "a.txt", content: "live, edited\n", fileId: fresh.id, baseVersion: 1 });
    const error = await expectFailure(
      api.file.restore({ projectId, path: "a.txt", fileId: old.id, version: 1, baseFileId: fresh.id, baseVersion: 1 }),
      "CONFLICT",
      /now version 2/,
    );
    expect(offered(error)).toMatchObject({ fileId: fresh.id, version: 2, content: "live, edited\n" });
    expect((await api.file.read({ projectId, path: "a.txt" })).content).toBe("live, edited\n");
  });
});
