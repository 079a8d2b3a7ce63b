import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { ZFileConflict } from "~/lib/schemas/file-conflict";
import { pool } from "../db";
import { expectFailure, failure, newProject, signedInUser } from "./support";

describe("editing files through the file router", () => {
  it("creates, reads and saves a file; identical content makes no new version", async () => {
    const { api, userId, session } = await signedInUser();
    const projectId = await newProject(api);
    const created = await api.file.create({
      projectId,
      path: "src/index.ts",
      kind: "file",
      content: "export const a = 1;\n",
    });
    expect(created).toMatchObject({
      path: "src/index.ts",
      name: "index.ts",
      fileType: "typescript",
      version: 1,
      sizeBytes: 20,
      lineCount: 1,
    });

    const read = await api.file.read({ projectId, path: "src/index.ts" });
    expect(read).toMatchObject({
      content: "export const a = 1;\n",
      version: 1,
      isBinary: false,
      encoding: "utf-8",
      mimeType: "text/typescript",
    });
    expect(read.updatedBy).toEqual({ id: userId, name: session.user.fullName });

    const saved = await api.file.save({
      projectId,
      path: "src/index.ts",
      content: "export const a = 2;\nexport const b = 'é';\n",
      fileId: created.id,
      baseVersion: 1,
    });
    expect(saved).toMatchObject({ version: 2, changed: true, lineCount: 2, sizeBytes: 43 });
    expect(saved.contentHash).toMatch(/^[0-9a-f]{64}$/);

    const same = await api.file.save({
      projectId,
      path: "src/index.ts",
      content: "export const a = 2;\nexport const b = 'é';\n",
      fileId: created.id,
      baseVersion: 2,
    });
    expect(same).toMatchObject({ version: 2, changed: false, contentHash: saved.contentHash });
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM project_file_versions WHERE file_id = $1`, [
      created.id,
    ]);
    expect(rows[0].n).toBe(2);

    const list = await api.file.list({ projectId });
    expect(list.map((file) => ("id" in file ? file.path : ""))).toEqual(["README.md", "src/index.ts"]);
  });

  it("answers CONFLICT with the current content to the second of two saves from the same base, writing nothing", async () => {
    const { api, session } = await signedInUser();
    const projectId = await newProject(api);
    const { id: fileId } = await api.file.create({ projectId, path: "a.txt", kind: "file", content: "base\n" });
    await api.file.save({ projectId, path: "a.txt", content: "first tab\n", fileId, baseVersion: 1 });
    const error = await expectFailure(
      api.file.save({ projectId, path: "a.txt", content: "second tab\n", fileId, baseVersion: 1 }),
      "CONFLICT",
      /changed since you opened it/,
    );
    const cause = error.cause as unknown as { data: unknown };
    const conflict = ZFileConflict.parse(cause.data);
    expect(conflict.kind).toBe("changed");
    expect(conflict.current).toMatchObject({
      fileId,
      version: 2,
      content: "first tab\n",
      updatedBy: { id: session.user.id, name: session.user.fullName },
      sourceType: "user",
    });
    expect((await api.file.read({ projectId, path: "a.txt" })).content).toBe("first tab\n");
    expect((await api.file.history({ projectId, path: "a.txt" })).versions).toHaveLength(2);
  });

  it('answers a save of a deleted file with the shared conflict payload kind "deleted", creating nothing', async () => {
    const { api } = await signedInUser();
    const projectId = await newProject(api);
    const { id: fileId } = await api.file.create({ projectId, path: "gone.txt", kind: "file", content: "base\n" });
    await api.file.delete({ projectId, path: "gone.txt" });
    const error = await expectFailure(
      api.file.save({ projectId, path: "gone.txt", content: "mine\n", fileId, baseVersion: 1 }),
      "CONFLICT",
      /deleted since you opened it/,
    );
    expect(ZFileConflict.parse((error.cause as unknown as { data: unknown }).data)).toEqual({
      kind: "deleted",
      current: null,
    });
    await expectFailure(api.file.read({ projectId, path: "gone.txt" }), "NOT_FOUND");
  });

  it("keeps a history (newest first) and restores a version as a new version", async () => {
    const { api, session } = await signedInUser();
    const projectId = await newProject(api);
    const { id: fileId } = await api.file.create({ projectId, path: "notes.md", kind: "file", content: "one\n" });
    await api.file.save({ projectId, path: "notes.md", content: "two\n", fileId, baseVersion: 1 });
    await api.file.save({ projectId, path: "notes.md", content: "three\n", fileId, baseVersion: 2 });
    const { versions } = await api.file.history({ projectId, path: "notes.md" });
    expect(versions.map((v) => v.version)).toEqual([3, 2, 1]);
    expect(versions[0]).toMatchObject({
      sourceType: "user",
      author: { id: session.user.id, name: session.user.fullName },
      interactionId: null,
      sizeBytes: 6,
    });

    expect((await api.file.read({ projectId, path: "notes.md", version: 1 })).content).toBe("one\n");
    const restored = await api.file.restore({
      projectId,
      path: "notes.md",
      fileId,
      version: 1,
      baseFileId: fileId,
      baseVersion: 3,
    });
    expect(restored).toMatchObject({ version: 4, changed: true });
    expect((await api.file.read({ projectId, path: "notes.md" })).content).toBe("one\n");
    expect((await api.file.history({ projectId, path: "notes.md" })).versions.map((v) => v.version)).toEqual([
      4, 3, 2, 1,
    ]);
    // Restoring the content the file already has changes nothing.
    expect(
      await api.file.restore({ projectId, path: "notes.md", fileId, version: 4, baseFileId: fileId, baseVersion: 4 }),
    ).toMatchObject({ version: 4, changed: false });
  });

  it("refuses to restore on top of a version the user has not seen, changing nothing", async () => {
    const { api } = await signedInUser();
    const projectId = await newProject(api);
    const { id: fileId } = await api.file.create({ projectId, path: "plan.md", kind: "file", content: "v1\n" });
    await api.file.save({ projectId, path: "plan.md", content: "v2\n", fileId, baseVersion: 1 });
    // Someone else saves version 3 while this user looks at a history that ends at version 2.
    await api.file.save({ projectId, path: "plan.md", content: "v3 by someone else\n", fileId, baseVersion: 2 });

    const error = await api.file
      .restore({ projectId, path: "plan.md", fileId, version: 1, baseFileId: fileId, baseVersion: 2 })
      .then(
        () => null,
        (failure: { code?: string; message?: string }) => failure,
      );
    expect(error?.code).toBe("CONFLICT");
    expect(error?.message).toMatch(/now version 3/);
    expect((await api.file.read({ projectId, path: "plan.md" })).content).toBe("v3 by someone else\n");
    expect(
      await api.file.restore({ projectId, path: "plan.md", fileId, version: 1, baseFileId: fileId, baseVersion: 3 }),
    ).toMatchObject({ version: 4, changed: true });
  });

  it("lists a deleted file, reads its versions and restores it under a new id", async () => {
    const { api } = await signedInUser();
    const projectId = await newProject(api);
    const original = await api.file.create({ projectId, path: "lib/gone.ts", kind: "file", content: "v1\n" });
    await api.file.save({ projectId, path: "lib/gone.ts", content: "v2\n", fileId: original.id, baseVersion: 1 });
    expect(await api.file.delete({ projectId, path: "lib/gone.ts" })).toEqual({ deleted: 1 });
    await expectFailure(api.file.read({ projectId, path: "lib/gone.ts" }), "NOT_FOUND");

    const deleted = await api.file.listDeleted({ projectId });
    expect(deleted).toEqual([
      expect.objectContaining({
        fileId: original.id,
        path: "lib/gone.ts",
        lastVersion: 2,
        sizeBytes: 3,
        deletedAt: expect.any(Date),
      }),
    ]);
    expect((await api.file.read({ projectId, path: "lib/gone.ts", version: 1 })).content).toBe("v1\n");

    const restored = await api.file.restore({ projectId, path: "lib/gone.ts", fileId: original.id, version: 1 });
    expect(restored.id).not.toBe(original.id);
    expect(restored).toMatchObject({ version: 1, changed: true });
    expect((await api.file.read({ projectId, path: "lib/gone.ts" })).content).toBe("v1\n");
    expect(await api.file.listDeleted({ projectId })).toEqual([]);
    const history = await api.file.history({ projectId, path: "lib/gone.ts" });
    expect(history.versions.map((v) => [v.fileId === original.id, v.version])).toEqual([
      [false, 1],
      [true, 2],
      [true, 1],
    ]);
  });

  it("creates folders as .gitkeep, moves files and folders, and deletes folders", async () => {
    const { api } = await signedInUser();
    const projectId = await newProject(api);
    await api.file.create({ projectId, path: "src/components", kind: "folder" });
    await api.file.create({ projectId, path: "src/components/Button.tsx", kind: "file", content: "export {}\n" });
    await api.file.create({ projectId, path: "src/util.ts", kind: "file", content: "// util\n" });
    await expectFailure(
      api.file.create({ projectId, path: "src/components", kind: "folder" }),
      "CONFLICT",
      /already exists/,
    );
    await expectFailure(
      api.file.create({ projectId, path: "src/util.ts", kind: "file" }),
      "CONFLICT",
      /already exists/,
    );
    await expectFailure(
      api.file.create({ projectId, path: "src/util.ts/inner.ts", kind: "file" }),
      "CONFLICT",
      /is a file/,
    );
    await expectFailure(api.file.create({ projectId, path: "src", kind: "file" }), "CONFLICT", /folder named/);

    const renamed = await api.file.move({ projectId, from: "src/util.ts", to: "src/lib/util.js" });
    expect(renamed.moved).toBe(1);
    expect(await api.file.read({ projectId, path: "src/lib/util.js" })).toMatchObject({
      fileType: "javascript",
      content: "// util\n",
    });

    expect((await api.file.move({ projectId, from: "src/components", to: "app/ui" })).moved).toBe(2);
    const paths = (await api.file.list({ projectId })).map((file) => file.path);
    expect(new Set(paths)).toEqual(new Set(["app/ui/.gitkeep", "app/ui/Button.tsx", "README.md", "src/lib/util.js"]));

    // Moved files keep their history.
    expect((await api.file.history({ projectId, path: "app/ui/Button.tsx" })).versions).toHaveLength(1);

    await expectFailure(api.file.move({ projectId, from: "app", to: "app/inner" }), "BAD_REQUEST", /into itself/);
    await expectFailure(api.file.move({ projectId, from: "nowhere", to: "elsewhere" }), "NOT_FOUND");
    await api.file.create({ projectId, path: "lib/ui/Button.tsx", kind: "file", content: "taken\n" });
    await expectFailure(api.file.move({ projectId, from: "app", to: "lib" }), "CONFLICT", /lib\/ui\/Button\.tsx/);
    await expectFailure(api.file.move({ projectId, from: "README.md", to: "lib" }), "CONFLICT", /folder named/);

    expect(await api.file.delete({ projectId, path: "app" })).toEqual({ deleted: 2 });
    await expectFailure(api.file.delete({ projectId, path: "app" }), "NOT_FOUND");
    const { rows } = await pool.query(`SELECT total_files FROM projects WHERE id = $1`, [projectId]);
    expect(rows[0].total_files).toBe(3);
  });

  it("stores binary uploads as base64 with their decoded size and a MIME type from the extension", async () => {
    const { api } = await signedInUser();
    const projectId = await newProject(api);
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]);
    const created = await api.file.create({
      projectId,
      path: "public/logo.png",
      kind: "file",
      content: png.toString("base64"),
      encoding: "base64",
    });
    const fileId = created.id;
    expect(created).toMatchObject({
      isBinary: true,
      sizeBytes: 12,
      mimeType: "image/png",
      fileType: "image",
      encoding: "base64",
    });
    const read = await api.file.read({ projectId, path: "public/logo.png" });
    expect(Buffer.from(read.content, "base64")).toEqual(png);
    await expectFailure(
      api.file.save({ projectId, path: "public/logo.png", content: "text", fileId, baseVersion: 1 }),
      "BAD_REQUEST",
      /binary/,
    );
    await expectFailure(
      api.file.create({ projectId, path: "public/bad.png", kind: "file", content: "not base64!", encoding: "base64" }),
      "BAD_REQUEST",
      /base64/,
    );
  });

  it("never reaches another user's project", async () => {
    const owner = await signedInUser();
    const stranger = await signedInUser();
    const projectId = await newProject(owner.api);
    const error = await failure(stranger.api.file.read({ projectId, path: "README.md" }));
    expect(error.code).toBe("NOT_FOUND");
    await expectFailure(
      stranger.api.file.save({ projectId, path: "README.md", content: "mine", fileId: randomUUID(), baseVersion: 1 }),
      "NOT_FOUND",
    );
    await expectFailure(stranger.api.project.get({ projectId }), "NOT_FOUND");
  });

  it("never lets a concurrent file `x` and file `x/y.ts` both be created (the project's paths are locked)", async () => {
    const { api } = await signedInUser();
    const projectId = await newProject(api);
    for (let round = 0; round < 10; round++) {
      const name = `race${round}`;
      const results = await Promise.allSettled([
        api.file.create({ projectId, path: name, kind: "file", content: "file\n" }),
        api.file.create({ projectId, path: `${name}/inner.ts`, kind: "file", content: "inner\n" }),
        api.file.create({ projectId, path: `${name}/other.ts`, kind: "file", content: "other\n" }),
      ]);
      const [file, inner, other] = results.map((result) => result.status === "fulfilled");
      expect(file && (inner || other), `round ${round}: ${name} is a file and a folder`).toBe(false);
      expect(file || (inner && other), `round ${round}: one side should have won`).toBe(true);
      for (const result of results) {
        if (result.status === "rejected") expect((result.reason as Error).message).toMatch(/is a file|folder named/);
      }
    }
    const paths = (await api.file.list({ projectId })).map((file) => file.path);
    for (const path of paths) {
      const parent = path.split("/")[0]!;
      if (path !== parent) expect(paths, `${parent} is both a file and a folder`).not.toContain(parent);
    }
  });
});
