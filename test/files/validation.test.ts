import { describe, expect, it } from "vitest";
import { normalizeFilePath } from "~/lib/paths";
import { languageForPath, mimeTypeForPath } from "~/lib/file-types";
import { expectFailure, newProject, projectState, signedInUser } from "./support";

describe("file paths", () => {
  it("normalizes to NFC, strips ./, and refuses what could escape or hide", () => {
    expect(normalizeFilePath("./src/./x")).toEqual({ ok: false, message: expect.stringMatching(/\. or \.\./) });
    expect(normalizeFilePath("./src/a.ts")).toEqual({ ok: true, path: "src/a.ts" });
    expect(normalizeFilePath("cafe\u0301.md")).toEqual({ ok: true, path: "caf\u00e9.md" });
    for (const [input, message] of [
      ["../etc/passwd", /\. or \.\./],
      ["src/../../x", /\. or \.\./],
      ["/etc/passwd", /relative/],
      ["C:/Windows/x", /relative/],
      ["src\\a.ts", /Use \//],
      ["a\u0000b", /control/],
      ["a\nb", /control/],
      ["a\u202eb", /bidirectional/],
      ["invoice\u2066.pdf", /bidirectional/],
      ["\u200fmain.ts", /bidirectional/],
      ["ma\u200bin.ts", /invisible/],
      ["main\u200d.ts", /invisible/],
      ["\ufeffindex.ts", /invisible/],
      ["src/a\u2060b.ts", /invisible/],
      ["a\ufe0f.ts", /invisible/],
      ["a\u3164.ts", /invisible/],
      ["a\u034f.ts", /invisible/],
      ["a\u{e0041}.ts", /invisible/],
      ["src//a.ts", /empty folder/],
      ["src/", /empty folder/],
      ["", /Enter a file path/],
      [`${"x".repeat(256)}.ts`, /255 bytes/],
      [`${"é".repeat(128)}`, /255 bytes/],
      [Array.from({ length: 120 }, () => "abcdefghi").join("/"), /1024/],
    ] as const) {
      const result = normalizeFilePath(input);
      expect(result.ok, input).toBe(false);
      if (!result.ok) expect(result.message, input).toMatch(message);
    }
  });

  it("knows the Monaco language and MIME type of common files", () => {
    expect(languageForPath("src/app.tsx")).toBe("typescript");
    expect(languageForPath("a/b.SCSS")).toBe("scss");
    expect(languageForPath("Dockerfile")).toBe("dockerfile");
    expect(languageForPath("x.yml")).toBe("yaml");
    expect(languageForPath("run.sh")).toBe("shell");
    expect(languageForPath("LICENSE")).toBe("plaintext");
    expect(mimeTypeForPath("a.png", true)).toBe("image/png");
    expect(mimeTypeForPath("blob", true)).toBe("application/octet-stream");
  });
});

describe("bad file input changes nothing", () => {
  it("refuses each bad path, NUL text, oversized files and NFC/NFD collisions with a clear error", async () => {
    const { api } = await signedInUser();
    const projectId = await newProject(api);
    const { id: fileId } = await api.file.create({ projectId, path: "café.md", kind: "file", content: "NFC\n" });
    const before = await projectState(projectId);

    const badPaths = [
      "../escape.ts",
      "src/../../escape.ts",
      "/abs.ts",
      "C:\\win.ts",
      "src\\win.ts",
      "a\u0000b.ts",
      "tab\there.ts",
      "bell\u0007.ts",
      "pay\u200bment.ts",
      "evil\u202egpj.exe",
      `${"n".repeat(1000)}.ts`,
      "a//b.ts",
      "./",
    ];
    for (const path of badPaths) {
      const error = await expectFailure(
        api.file.create({ projectId, path, kind: "file", content: "x" }),
        "BAD_REQUEST",
      );
      expect(error.message.length, path).toBeGreaterThan(0);
      await expectFailure(api.file.save({ projectId, path, content: "x", fileId, baseVersion: 1 }), "BAD_REQUEST");
      await expectFailure(api.file.move({ projectId, from: "café.md", to: path }), "BAD_REQUEST");
    }
    // The NFD spelling is the same name.
    await expectFailure(
      api.file.create({ projectId, path: "cafe\u0301.md", kind: "file", content: "NFD\n" }),
      "CONFLICT",
      /already exists/,
    );
    expect((await api.file.read({ projectId, path: "cafe\u0301.md" })).content).toBe("NFC\n");

    await expectFailure(
      api.file.create({ projectId, path: "nul.txt", kind: "file", content: "a\u0000b" }),
      "BAD_REQUEST",
      /upload it as a binary file/,
    );
    await expectFailure(
      api.file.save({ projectId, path: "café.md", content: "a\u0000b", fileId, baseVersion: 1 }),
      "BAD_REQUEST",
      /upload it as a binary file/,
    );
    const big = "x".repeat(5 * 1024 * 1024 + 1);
    await expectFailure(
      api.file.create({ projectId, path: "big.txt", kind: "file", content: big }),
      "PAYLOAD_TOO_LARGE",
      /at most 5 MiB/,
    );
    await expectFailure(
      api.file.save({ projectId, path: "café.md", content: big, fileId, baseVersion: 1 }),
      "PAYLOAD_TOO_LARGE",
    );
    await expectFailure(
      api.file.create({
        projectId,
        path: "big.bin",
        kind: "file",
        content: Buffer.alloc(5 * 1024 * 1024 + 1).toString("base64"),
        encoding: "base64",
      }),
      "PAYLOAD_TOO_LARGE",
    );
    await expectFailure(
      api.file.save({ projectId, path: "missing.md", content: "x", fileId, baseVersion: 1 }),
      "CONFLICT",
      /deleted/,
    );
    await expectFailure(
      api.file.restore({ projectId, path: "café.md", fileId, version: 9, baseFileId: fileId, baseVersion: 1 }),
      "NOT_FOUND",
    );
    await expectFailure(
      api.file.restore({ projectId, path: "café.md", fileId, version: 1, baseFileId: fileId }),
      "BAD_REQUEST",
      /together/,
    );
    await expectFailure(
      api.file.save({ projectId, path: "café.md", content: "x", fileId: "not-an-id", baseVersion: 1 }),
      "BAD_REQUEST",
    );

    expect(await projectState(projectId)).toEqual(before);
  });

  it("validates project names and refuses a duplicate with a friendly message", async () => {
    const { api } = await signedInUser();
    await api.project.create({ name: "My App" });
    await expectFailure(api.project.create({ name: "My App" }), "CONFLICT", /already have a project named “My App”/);
    await expectFailure(api.project.create({ name: "  " }), "BAD_REQUEST");
    await expectFailure(api.project.create({ name: "<script>" }), "BAD_REQUEST");
    expect((await api.project.list()).items).toHaveLength(1);
  });
});
