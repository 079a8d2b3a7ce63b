import { randomBytes } from "node:crypto";
import { strToU8, unzipSync, zipSync, type Zippable } from "fflate";
import { describe, expect, it } from "vitest";
import { decodeText } from "~/lib/bytes";
import { exportProjectZip } from "~/server/services/files";
import { db } from "~/server/db/client";
import { pool } from "../db";
import { expectFailure, failure, newProject, projectState, signedInUser } from "./support";

function zip(files: Zippable): string {
  return Buffer.from(zipSync(files)).toString("base64");
}

/** Rewrites the stored names of an archive (zipSync refuses to write some of them itself). */
function renameEntries(archive: Uint8Array, from: string, to: string): Uint8Array {
  expect(from.length).toBe(to.length);
  const bytes = Buffer.from(archive);
  const needle = Buffer.from(from);
  for (let at = bytes.indexOf(needle); at >= 0; at = bytes.indexOf(needle, at + 1)) Buffer.from(to).copy(bytes, at);
  return bytes;
}

describe("zip import and export", () => {
  it("imports files, skips node_modules/.git/__MACOSX/.DS_Store, detects binaries, and exports them back", async () => {
    const { api, userId } = await signedInUser();
    const projectId = await newProject(api);
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3, 0xff]);
    const latin1 = new Uint8Array([0x63, 0x61, 0x66, 0xe9]); // "caf\xe9": not UTF-8
    const result = await api.file.importZip({
      projectId,
      archive: zip({
        "package.json": strToU8('{ "name": "demo" }\n'),
        "src/index.ts": strToU8("console.log('hi');\n"),
        "src/empty/": new Uint8Array(0),
        "public/logo.png": png,
        "legacy.txt": latin1,
        "node_modules/left-pad/index.js": strToU8("module.exports = 1;\n"),
        "node_modules/left-pad/package.json": strToU8("{}"),
        ".git/HEAD": strToU8("ref: refs/heads/main\n"),
        "__MACOSX/._index.ts": strToU8("junk"),
        "src/.DS_Store": strToU8("junk"),
      }),
    });
    expect(result.imported).toBe(4);
    expect(result.skipped.map((skip) => skip.path).sort()).toEqual(
      ["node_modules/", ".git/", "__MACOSX/", "src/.DS_Store"].sort(),
    );

    const files = await api.file.list({ projectId });
    expect(files.map((file) => file.path).sort()).toEqual([
      "README.md",
      "legacy.txt",
      "package.json",
      "public/logo.png",
      "src/index.ts",
    ]);
    expect(await api.file.read({ projectId, path: "public/logo.png" })).toMatchObject({
      isBinary: true,
      sizeBytes: 9,
      mimeType: "image/png",
    });
    expect(await api.file.read({ projectId, path: "legacy.txt" })).toMatchObject({
      isBinary: true,
      encoding: "base64",
    });
    expect(await api.file.read({ projectId, path: "src/index.ts" })).toMatchObject({
      isBinary: false,
      content: "console.log('hi');\n",
    });

    // Merging again: a changed file becomes a new version, unchanged files are untouched.
    const again = await api.file.importZip({
      projectId,
      archive: zip({
        "src/index.ts": strToU8("console.log('bye');\n"),
        "package.json": strToU8('{ "name": "demo" }\n'),
      }),
    });
    expect(again).toMatchObject({ imported: 2, created: 0, updated: 1 });
    expect((await api.file.read({ projectId, path: "src/index.ts" })).version).toBe(2);
    expect((await api.file.read({ projectId, path: "package.json" })).version).toBe(1);

    const exported = unzipSync(
      new Uint8Array(await new Response(await exportProjectZip({ db, projectId, userId })).arrayBuffer()),
    );
    expect(Object.keys(exported).sort()).toEqual([
      "README.md",
      "legacy.txt",
      "package.json",
      "public/logo.png",
      "src/index.ts",
    ]);
    expect(exported["public/logo.png"]).toEqual(png);
    expect(exported["legacy.txt"]).toEqual(latin1);
    expect(Buffer.from(exported["src/index.ts"]!).toString()).toBe("console.log('bye');\n");

    const stranger = await signedInUser();
    await expect(exportProjectZip({ db, projectId, userId: stranger.userId })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });

  it("keeps a UTF-8 byte-order mark byte for byte through import, upload and export", async () => {
    const { api, userId } = await signedInUser();
    const projectId = await newProject(api);
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("Name,Città\r\nAda,Genova\r\n")]);
    await api.file.importZip({ projectId, archive: zip({ "imported.csv": withBom }) });
    const imported = await api.file.read({ projectId, path: "imported.csv" });
    expect(imported).toMatchObject({ isBinary: false, sizeBytes: withBom.length });
    expect(imported.content.startsWith("\ufeffName")).toBe(true);

    // An upload is decoded in the browser with the same helper, then sent as text.
    const uploaded = decodeText(withBom);
    expect(uploaded?.startsWith("\ufeff")).toBe(true);
    await api.file.create({ projectId, path: "uploaded.csv", kind: "file", content: uploaded! });

    const exported = unzipSync(
      new Uint8Array(await new Response(await exportProjectZip({ db, projectId, userId })).arrayBuffer()),
    );
    expect(Buffer.from(exported["imported.csv"]!)).toEqual(withBom);
    expect(Buffer.from(exported["uploaded.csv"]!)).toEqual(withBom);
  });

  it("replace mode deletes what the archive does not contain, in the same transaction", async () => {
    const { api } = await signedInUser();
    const projectId = await newProject(api);
    await api.file.create({ projectId, path: "old/a.ts", kind: "file", content: "a\n" });
    const result = await api.file.importZip({
      projectId,
      mode: "replace",
      archive: zip({ "new/b.ts": strToU8("b\n") }),
    });
    expect(result).toMatchObject({ imported: 1, removed: 2 });
    expect((await api.file.list({ projectId })).map((file) => file.path)).toEqual(["new/b.ts"]);
    expect((await api.file.listDeleted({ projectId })).map((file) => file.path).sort()).toEqual([
      "README.md",
      "old/a.ts",
    ]);
  });

  it("imports all or nothing: a bad entry, a corrupt archive, a zip bomb or too many files leave the project unchanged", async () => {
    const { api } = await signedInUser();
    const projectId = await newProject(api);
    await api.file.create({ projectId, path: "keep.ts", kind: "file", content: "keep\n" });
    const before = await projectState(projectId);

    const traversal = renameEntries(
      zipSync({ "ok.ts": strToU8("fine"), "zz/evil.sh": strToU8("rm -rf /") }),
      "zz/evil.sh",
      "../evil.sh",
    );
    await expectFailure(
      api.file.importZip({ projectId, archive: Buffer.from(traversal).toString("base64") }),
      "BAD_REQUEST",
      /\.\.\/evil\.sh.*\. or \.\./,
    );
    const absolute = renameEntries(
      zipSync({ "ok.ts": strToU8("fine"), "Xetc/passwd": strToU8("root") }),
      "Xetc/passwd",
      "/etc/passwd",
    );
    await expectFailure(
      api.file.importZip({ projectId, archive: Buffer.from(absolute).toString("base64") }),
      "BAD_REQUEST",
      /relative/,
    );
    await expectFailure(
      api.file.importZip({ projectId, archive: zip({ "ok.ts": strToU8("fine"), "a\u0001.ts": strToU8("x") }) }),
      "BAD_REQUEST",
      /control/,
    );
    await expectFailure(
      api.file.importZip({ projectId, archive: zip({ "ok.ts": strToU8("fine"), "ma\u200bin.ts": strToU8("x") }) }),
      "BAD_REQUEST",
      /invisible/,
    );
    await expectFailure(
      api.file.importZip({ projectId, archive: zip({ "ok.ts": strToU8("fine"), "doc\u202etxt.exe": strToU8("x") }) }),
      "BAD_REQUEST",
      /bidirectional/,
    );

    await expectFailure(
      api.file.importZip({ projectId, archive: randomBytes(4096).toString("base64") }),
      "BAD_REQUEST",
      /not a valid zip archive/,
    );
    const truncated = zipSync({ "a.ts": strToU8("x".repeat(10_000)), "b.ts": strToU8("y") });
    await expectFailure(
      api.file.importZip({
        projectId,
        archive: Buffer.from(truncated.subarray(0, truncated.length - 30)).toString("base64"),
      }),
      "BAD_REQUEST",
      /not a valid zip/,
    );
    await expectFailure(api.file.importZip({ projectId, archive: "not base64 at all!" }), "BAD_REQUEST", /base64/);

    // 60 MiB of zeros compress to ~60 KB; its headers are rewritten to claim 1 KiB, and the inflated bytes are counted anyway.
    const bomb = zipSync({ "zeros.bin": new Uint8Array(60 * 1024 * 1024) }, { level: 9 });
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const lying = Buffer.from(bomb);
    for (
      let at = lying.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
      at >= 0;
      at = lying.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]), at + 1)
    ) {
      lying.writeUInt32LE(1024, at + 24);
    }
    await expectFailure(
      api.file.importZip({ projectId, archive: Buffer.from(bomb).toString("base64") }),
      "PAYLOAD_TOO_LARGE",
      /larger than 5 MiB once unpacked/,
    );
    await expectFailure(
      api.file.importZip({ projectId, archive: lying.toString("base64") }),
      "PAYLOAD_TOO_LARGE",
      /once unpacked/,
    );
    const many: Zippable = {};
    for (let index = 0; index < 12; index++) many[`part-${index}.bin`] = new Uint8Array(5 * 1024 * 1024 - 1);
    await expectFailure(
      api.file.importZip({ projectId, archive: zip(many) }),
      "PAYLOAD_TOO_LARGE",
      /unpacks to more than 50 MiB/,
    );
    const tooMany: Zippable = {};
    for (let index = 0; index <= 10_000; index++) tooMany[`f/${index}.txt`] = strToU8("x");
    await expectFailure(
      api.file.importZip({ projectId, archive: zip(tooMany) }),
      "PAYLOAD_TOO_LARGE",
      /more than 10,000 files/,
    );

    // A valid archive whose file would clash with an existing folder, or whose paths collide after NFC.
    await expectFailure(
      api.file.importZip({ projectId, archive: zip({ "new.ts": strToU8("x"), "keep.ts/inner.ts": strToU8("x") }) }),
      "CONFLICT",
      /both a file and a folder/,
    );
    await expectFailure(
      api.file.importZip({ projectId, archive: zip({ "caf\u00e9.md": strToU8("x"), "cafe\u0301.md": strToU8("y") }) }),
      "BAD_REQUEST",
      /twice/,
    );

    // A path that is short in characters but long in bytes is refused up front, not by the index (a clear 400).
    const wide = Array.from({ length: 16 }, () =>
      Array.from({ length: 62 }, () => String.fromCodePoint(0x4e00 + Math.floor(Math.random() * 0x5000))).join(""),
    ).join("/");
    await expectFailure(
      api.file.importZip({ projectId, archive: zip({ [wide]: strToU8("x") }) }),
      "BAD_REQUEST",
      /at most 2048 bytes/,
    );

    // Fails inside the transaction, after rows were written: `replace` first deletes keep.ts and README.md (their
    // triggers write versions, activity and counters), then the INSERT is refused by the database itself (a trigger
    // this test adds to its own database). Everything must be rolled back.
    await pool.query(`
      CREATE FUNCTION test_refuse_late() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM inserted WHERE file_path = 'refused-late.ts') THEN RAISE EXCEPTION 'refused late'; END IF;
        RETURN NULL;
      END $$`);
    await pool.query(`CREATE TRIGGER test_refuse_late AFTER INSERT ON project_files REFERENCING NEW TABLE AS inserted
                      FOR EACH STATEMENT EXECUTE FUNCTION test_refuse_late()`);
    try {
      const late = await failure(
        api.file.importZip({
          projectId,
          mode: "replace",
          archive: zip({ "a.ts": strToU8("a"), "refused-late.ts": strToU8("late") }),
        }),
      );
      expect(late.code).toBe("INTERNAL_SERVER_ERROR");
    } finally {
      await pool.query("DROP TRIGGER test_refuse_late ON project_files; DROP FUNCTION test_refuse_late()");
    }

    expect(await projectState(projectId)).toEqual(before);
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM project_files WHERE project_id = $1`, [
      projectId,
    ]);
    expect(rows[0].n).toBe(2);
  }, 120_000);
});
