import { randomBytes } from "node:crypto";
import { symlink } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { GitStage } from "../support/git-server";
import { signedInUser, type Caller } from "../files/support";
import { expectNoLeftovers, importAndWait, gitServerForFile } from "./support";

const server = gitServerForFile();
const tag = () => randomBytes(3).toString("hex");

/** A submodule's commit: a gitlink names it, the repository does not hold it. */
const SUBMODULE_COMMIT = "0123456789abcdef0123456789abcdef01234567";

/** What a repository of a real project holds besides its files: executables, a symbolic link, a submodule. */
const stageSpecials: GitStage = async (git, work) => {
  await git(["update-index", "--chmod=+x", "gradlew", "scripts/build.sh"]);
  await symlink("README.md", join(work, "docs-link"));
  await git(["add", "docs-link"]);
  await git(["update-index", "--add", "--cacheinfo", `160000,${SUBMODULE_COMMIT},vendor/sub`]);
};

/** A repository with executables, a symbolic link, a submodule and node_modules, imported by a new user. */
async function importedSpecials() {
  const repo = `tree-${tag()}`;
  const url = await server().createRepo(
    repo,
    {
      "README.md": "# Tree\n",
      gradlew: "#!/bin/sh\necho gradle\n",
      "scripts/build.sh": "#!/bin/sh\necho build\n",
      "src/a.ts": "export const a = 1;\n",
      "src/b.ts": "export const b = 1;\n",
      "node_modules/dep/index.js": "module.exports = 1;\n",
      "vendor/keep.txt": "vendored\n",
    },
    { stage: stageSpecials },
  );
  const user = await signedInUser();
  const op = await importAndWait(user.api, {
    url,
    name: `Tree ${tag()}`,
    username: server().username,
    token: server().password,
  });
  expect(op.status).toBe("succeeded");
  return { ...user, repo, projectId: op.projectId! };
}

async function edit(api: Caller, projectId: string, path: string, content: string) {
  const file = await api.file.read({ projectId, path });
  await api.file.save({ projectId, path, content, fileId: file.id, baseVersion: file.version });
}

async function entries(repo: string) {
  return new Map((await server().lsTree(repo)).map((entry) => [entry.path, entry]));
}

/** The entries that differ between two listings: path to [before, after] (undefined: absent). */
function differences<T>(before: Map<string, T>, after: Map<string, T>) {
  const changed = new Map<string, [T | undefined, T | undefined]>();
  for (const path of new Set([...before.keys(), ...after.keys()])) {
    if (JSON.stringify(before.get(path)) !== JSON.stringify(after.get(path)))
      changed.set(path, [before.get(path), after.get(path)]);
  }
  return changed;
}

describe("git.push keeps the synced tree", () => {
  it("imports the files only, and a push changes only the edited file's blob (its executable bit kept)", async () => {
    const { api, projectId, repo } = await importedSpecials();
    const listed = JSON.stringify(await api.file.list({ projectId }));
    for (const left of ["docs-link", "vendor/sub", "node_modules"]) expect(listed).not.toContain(left);
    const before = await entries(repo);
    expect([...before.values()].map((entry) => [entry.path, entry.mode, entry.type])).toEqual([
      ["README.md", "100644", "blob"],
      ["docs-link", "120000", "blob"],
      ["gradlew", "100755", "blob"],
      ["node_modules/dep/index.js", "100644", "blob"],
      ["scripts/build.sh", "100755", "blob"],
      ["src/a.ts", "100644", "blob"],
      ["src/b.ts", "100644", "blob"],
      ["vendor/keep.txt", "100644", "blob"],
      ["vendor/sub", "160000", "commit"],
    ]);

    await edit(api, projectId, "scripts/build.sh", "#!/bin/sh\necho build --fast\n");
    const pushed = await api.git.push({ projectId, message: "Faster build" });
    expect(pushed.files).toBe(6);
    const after = await entries(repo);
    const changed = differences(before, after);
    expect([...changed.keys()]).toEqual(["scripts/build.sh"]);
    expect(after.get("scripts/build.sh")).toMatchObject({ mode: "100755", type: "blob" });
    expect(after.get("scripts/build.sh")!.oid).not.toBe(before.get("scripts/build.sh")!.oid);
    expect(after.get("vendor/sub")).toEqual({
      mode: "160000",
      type: "commit",
      oid: SUBMODULE_COMMIT,
      path: "vendor/sub",
    });
    expect(await server().show(repo, "main:scripts/build.sh")).toBe("#!/bin/sh\necho build --fast\n");
    expect(await server().show(repo, "main:docs-link")).toBe("README.md");
    expect((await api.git.status({ projectId })).changes).toEqual([]);
    await expectNoLeftovers();
  });

  it("removes only the entry of a deleted file, and adds a new file as 100644", async () => {
    const { api, projectId, repo } = await importedSpecials();
    const before = await entries(repo);
    await api.file.delete({ projectId, path: "src/b.ts" });
    await api.git.push({ projectId, message: "Remove b" });
    const afterDelete = await entries(repo);
    expect([...differences(before, afterDelete)]).toEqual([["src/b.ts", [before.get("src/b.ts"), undefined]]]);

    await api.file.create({ projectId, path: "scripts/new.sh", content: "#!/bin/sh\n" });
    await api.file.create({ projectId, path: "tools/tool.ts", content: "export {};\n" });
    await api.git.push({ projectId, message: "Add files" });
    const afterAdd = await entries(repo);
    const added = differences(afterDelete, afterAdd);
    expect([...added.keys()]).toEqual(["scripts/new.sh", "tools/tool.ts"]);
    expect(afterAdd.get("scripts/new.sh")).toMatchObject({ mode: "100644", type: "blob" });
    expect(afterAdd.get("tools/tool.ts")).toMatchObject({ mode: "100644", type: "blob" });
    expect(await server().show(repo, "main:tools/tool.ts")).toBe("export {};\n");
  });

  it("removes a folder whose files were all deleted, keeps one holding entries the project does not track", async () => {
    const { api, projectId, repo } = await importedSpecials();
    await api.file.delete({ projectId, path: "src/a.ts" });
    await api.file.delete({ projectId, path: "src/b.ts" });
    await api.file.delete({ projectId, path: "vendor/keep.txt" });
    await api.git.push({ projectId, message: "Remove src and the vendored file" });
    const after = await entries(repo);
    expect([...after.keys()]).toEqual([
      "README.md",
      "docs-link",
      "gradlew",
      "node_modules/dep/index.js",
      "scripts/build.sh",
      "vendor/sub",
    ]);
    expect(await server().show(repo, "main", ["--format=", "--name-only", "--no-renames"])).toBe(
      "src/a.ts\nsrc/b.ts\nvendor/keep.txt\n",
    );
  });

  it("after a pull of someone else's commit, the next push keeps their link, submodule and executables", async () => {
    const { api, projectId, repo } = await importedSpecials();
    const theirs = await server().commitAs(
      repo,
      { "README.md": "# Tree, by someone else\n", "src/c.ts": "export const c = 1;\n" },
      {
        stage: async (git, work) => {
          await git(["rm", "-q", "docs-link"]);
          await symlink("src/a.ts", join(work, "docs-link"));
          await git(["add", "docs-link"]);
        },
      },
    );
    const base = await entries(repo);
    expect(base.get("docs-link")).toMatchObject({ mode: "120000" });
    expect(base.get("vendor/sub")).toMatchObject({ mode: "160000", oid: SUBMODULE_COMMIT });
    await edit(api, projectId, "src/a.ts", "export const a = 2;\n");
    const preview = await api.git.pullPreview({ projectId });
    expect(preview).toMatchObject({ remoteCommit: theirs, conflictCount: 0 });
    expect(preview.files.map((file) => [file.path, file.change])).toEqual([
      ["README.md", "modify"],
      ["src/c.ts", "add"],
    ]);
    await api.git.pullApply({
      projectId,
      remoteCommit: theirs,
      expected: preview.files.map((file) => ({ path: file.path, fileId: file.fileId, version: file.version })),
      resolutions: [],
    });
    expect((await api.git.status({ projectId })).changes).toEqual([{ path: "src/a.ts", change: "modify" }]);
    await api.git.push({ projectId, message: "a = 2" });
    const after = await entries(repo);
    expect([...differences(base, after).keys()]).toEqual(["src/a.ts"]);
    expect(await server().show(repo, "main:docs-link")).toBe("src/a.ts");
    expect(after.get("gradlew")).toMatchObject({ mode: "100755" });
    expect(after.get("node_modules/dep/index.js")).toEqual(base.get("node_modules/dep/index.js"));
    await expectNoLeftovers();
  });

  it("a project's new file at the path of a symbolic link it does not track replaces the link", async () => {
    const { api, projectId, repo } = await importedSpecials();
    const before = await entries(repo);
    await api.file.create({ projectId, path: "docs-link", content: "now a file\n" });
    await api.git.push({ projectId, message: "Link to file" });
    const after = await entries(repo);
    expect([...differences(before, after).keys()]).toEqual(["docs-link"]);
    expect(after.get("docs-link")).toMatchObject({ mode: "100644", type: "blob" });
    expect(await server().show(repo, "main:docs-link")).toBe("now a file\n");
  });

  it("changes and deletes a file whose name the import normalized under its name in the tree, adding none", async () => {
    const decomposed = "notes/cafe\u0301.txt";
    const composed = decomposed.normalize("NFC");
    const repo = `nfd-${tag()}`;
    const url = await server().createRepo(repo, { [decomposed]: "menu\n", "notes/other.txt": "other\n" });
    const { api } = await signedInUser();
    const op = await importAndWait(api, {
      url,
      name: `Nfd ${tag()}`,
      username: server().username,
      token: server().password,
    });
    const projectId = op.projectId!;
    expect((await api.file.read({ projectId, path: composed })).content).toBe("menu\n");
    await edit(api, projectId, composed, "menu, changed\n");
    await api.git.push({ projectId, message: "Change the menu" });
    expect((await server().lsTree(repo)).map((entry) => entry.path)).toEqual([decomposed, "notes/other.txt"]);
    expect(await server().show(repo, `main:${decomposed}`)).toBe("menu, changed\n");
    await api.file.delete({ projectId, path: composed });
    await api.git.push({ projectId, message: "No menu" });
    expect((await server().lsTree(repo)).map((entry) => entry.path)).toEqual(["notes/other.txt"]);
  });
});
