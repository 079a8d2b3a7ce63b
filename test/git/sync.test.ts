import { randomBytes, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { pool } from "../db";
import { expectFailure, signedInUser, type Caller } from "../files/support";
import { expectNoLeftovers, importAndWait, gitServerForFile } from "./support";

const server = gitServerForFile();
const tag = () => randomBytes(3).toString("hex");

/** A repository with `files`, imported with credentials by a new user. */
async function importedProject(files: Record<string, string>) {
  const repo = `sync-${tag()}`;
  const url = await server().createRepo(repo, files);
  const user = await signedInUser();
  const op = await importAndWait(user.api, {
    url,
    name: `Synced ${tag()}`,
    username: server().username,
    token: server().password,
  });
  expect(op.status).toBe("succeeded");
  return { ...user, repo, url, projectId: op.projectId! };
}

async function edit(api: Caller, projectId: string, path: string, content: string) {
  const file = await api.file.read({ projectId, path });
  await api.file.save({ projectId, path, content, fileId: file.id, baseVersion: file.version });
}

async function content(api: Caller, projectId: string, path: string) {
  return (await api.file.read({ projectId, path })).content;
}

function expectedOf(preview: { files: { path: string; fileId: string | null; version: number | null }[] }) {
  return preview.files.map((file) => ({ path: file.path, fileId: file.fileId, version: file.version }));
}

describe("git.push", () => {
  it("pushes the project's files as one commit by the user, with the message; the sync is recorded", async () => {
    const { api, projectId, repo, userId } = await importedProject({ "README.md": "# One\n", "src/a.ts": "a\n" });
    await edit(api, projectId, "src/a.ts", "a changed\n");
    await api.file.create({ projectId, path: "src/new.ts", content: "new\n" });
    await api.file.delete({ projectId, path: "README.md" });
    expect((await api.git.status({ projectId })).changes).toEqual([
      { path: "README.md", change: "delete" },
      { path: "src/a.ts", change: "modify" },
      { path: "src/new.ts", change: "add" },
    ]);
    const pushed = await api.git.push({ projectId, message: "Change things" });
    expect(pushed).toMatchObject({ branch: "main", files: 2 });
    const { rows } = await pool.query(`SELECT full_name, email FROM users WHERE id = $1`, [userId]);
    const [head, parent] = await server().readLog(repo);
    expect(head).toMatchObject({
      commit: pushed.commit,
      authorName: rows[0].full_name,
      authorEmail: rows[0].email,
      subject: "Change things",
    });
    expect(parent!.subject).toBe("Initial commit");
    expect(await server().readFiles(repo)).toEqual({ "src/a.ts": "a changed\n", "src/new.ts": "new\n" });
    const status = await api.git.status({ projectId });
    expect(status).toMatchObject({ syncedCommit: pushed.commit, changes: [], lastSyncAt: expect.any(Date) });
    await expectFailure(api.git.push({ projectId }), "BAD_REQUEST", /Nothing to push/);
    await expectNoLeftovers();
  });

  it("project.list counts each synced project's changes not pushed, as git.status lists them, and none after a push", async () => {
    const { api, projectId } = await importedProject({ "README.md": "# One\n", "src/a.ts": "a\n" });
    const blank = await api.project.create({ name: `Blank ${tag()}` });
    const listed = async () => {
      const { items } = await api.project.list({ sort: "name" });
      return Object.fromEntries(items.map((item) => [item.id, item.unpushedChanges]));
    };
    expect(await listed()).toEqual({ [projectId]: 0, [blank.id]: null });
    await edit(api, projectId, "src/a.ts", "a changed\n");
    await api.file.create({ projectId, path: "src/new.ts", content: "new\n" });
    await api.file.delete({ projectId, path: "README.md" });
    expect((await listed())[projectId]).toBe((await api.git.status({ projectId })).changes.length);
    expect((await listed())[projectId]).toBe(3);
    await api.git.push({ projectId, message: "Change things" });
    expect((await listed())[projectId]).toBe(0);
  });

  it("runs one push or pull of a project at a time, shown in git.status, and records each", async () => {
    const { api, projectId, userId } = await importedProject({ "a.txt": "a\n" });
    await edit(api, projectId, "a.txt", "b\n");
    const { rows } = await pool.query(
      `INSERT INTO git_operations (user_id, project_id, kind) VALUES ($1, $2, 'pull') RETURNING id`,
      [userId, projectId],
    );
    expect((await api.git.status({ projectId })).operation).toMatchObject({ id: rows[0].id, kind: "pull" });
    await expectFailure(api.git.push({ projectId }), "CONFLICT", /already running/);
    await pool.query(`UPDATE git_operations SET status = 'succeeded', finished_at = now() WHERE id = $1`, [rows[0].id]);
    await api.git.push({ projectId });
    const pushes = await pool.query(`SELECT status FROM git_operations WHERE project_id = $1 AND kind = 'push'`, [
      projectId,
    ]);
    expect(pushes.rows).toEqual([{ status: "succeeded" }]);
    expect((await api.git.status({ projectId })).operation).toBeNull();
  });

  it("lists the changed files in the default message", async () => {
    const { api, projectId, repo } = await importedProject({ "a.txt": "a\n" });
    await edit(api, projectId, "a.txt", "b\n");
    await api.git.push({ projectId });
    const [head] = await server().readLog(repo);
    expect(head!.subject).toBe("Update 1 file from Vaporform");
    expect(head!.body).toBe("M a.txt");
  });

  it("is refused with 'pull first' after someone else pushed, and sends nothing", async () => {
    const { api, projectId, repo } = await importedProject({ "a.txt": "a\n" });
    const theirs = await server().commitAs(repo, { "b.txt": "theirs\n" });
    await edit(api, projectId, "a.txt", "mine\n");
    await expectFailure(api.git.push({ projectId }), "CONFLICT", /moved on since the last sync\)\. Pull first\./);
    expect(await server().tip(repo)).toBe(theirs);
    await expectNoLeftovers();
  });

  it("pushes a new project with a repository URL as the first commit of an empty remote, and of a new branch", async () => {
    const empty = `empty-${tag()}`;
    const url = await server().createRepo(empty);
    const { api } = await signedInUser();
    const { id: projectId } = await api.project.create({ name: `Fresh ${tag()}` });
    await api.project.update({ projectId, repositoryUrl: url, repositoryBranch: "main" });
    await expectFailure(api.git.push({ projectId }), "FORBIDDEN", /wants credentials/);
    await expectFailure(api.git.push({ projectId, integrationId: randomUUID() }), "NOT_FOUND", /Integration not found/);
    // The token of an integration of the project, chosen by id (a host that takes any username with a token).
    const { id: integrationId } = await api.integration.create({
      projectId,
      serviceName: "git",
      serviceType: "github",
      configuration: { method: "POST", headers: [] },
      apiKey: server().password,
    });
    server().setAnyUsername(true);
    try {
      const first = await api.git.push({ projectId, message: "First", integrationId });
      expect(await server().tip(empty)).toBe(first.commit);
      expect(Object.keys(await server().readFiles(empty))).toEqual(["README.md"]);
      expect((await server().readLog(empty)).map((entry) => entry.subject)).toEqual(["First"]);

      const withMain = `branchy-${tag()}`;
      const branchUrl = await server().createRepo(withMain, { "main.txt": "main\n" });
      await api.project.update({ projectId, repositoryUrl: branchUrl, repositoryBranch: "feature" });
      expect((await api.git.status({ projectId })).syncedCommit).toBeNull();
      const pushed = await api.git.push({ projectId, integrationId });
      expect(await server().tip(withMain, "feature")).toBe(pushed.commit);
      expect(await server().readFiles(withMain, "main")).toEqual({ "main.txt": "main\n" });
    } finally {
      server().setAnyUsername(false);
    }
  });
});

describe("git.pullPreview / git.pullApply", () => {
  it("fast-forwards a project without changes, and says when it is up to date", async () => {
    const { api, projectId, repo } = await importedProject({ "a.txt": "a\n", "gone.txt": "bye\n" });
    expect(await api.git.pullPreview({ projectId })).toMatchObject({ upToDate: true, files: [] });
    const tip = await server().commitAs(repo, { "a.txt": "a2\n", "gone.txt": null, "new.txt": "new\n" });
    const preview = await api.git.pullPreview({ projectId });
    expect(preview).toMatchObject({ upToDate: false, fastForward: true, remoteCommit: tip, conflictCount: 0 });
    expect(preview.files.map((file) => [file.path, file.change, file.status])).toEqual([
      ["a.txt", "modify", "clean"],
      ["gone.txt", "delete", "clean"],
      ["new.txt", "add", "clean"],
    ]);
    // The preview wrote nothing.
    expect(await content(api, projectId, "a.txt")).toBe("a\n");
    const applied = await api.git.pullApply({
      projectId,
      remoteCommit: preview.remoteCommit,
      expected: expectedOf(preview),
      resolutions: [],
    });
    expect(applied).toEqual({ written: 2, deleted: 1, commit: tip });
    expect(await content(api, projectId, "a.txt")).toBe("a2\n");
    expect(await content(api, projectId, "new.txt")).toBe("new\n");
    const status = await api.git.status({ projectId });
    expect(status).toMatchObject({ syncedCommit: tip, changes: [] });
    const { rows } = await pool.query(
      `SELECT DISTINCT source_type FROM project_activity WHERE project_id = $1 AND activity_type = 'git_pulled'`,
      [projectId],
    );
    expect(rows).toEqual([{ source_type: "system" }]);
    await expectNoLeftovers();
  });

  it("merges the remote's changes with the project's cleanly, and the next push builds on them", async () => {
    const { api, projectId, repo } = await importedProject({ "a.txt": "1\n2\n3\n4\n5\n", "b.txt": "b\n" });
    await edit(api, projectId, "a.txt", "1 mine\n2\n3\n4\n5\n");
    await server().commitAs(repo, { "a.txt": "1\n2\n3\n4\n5 theirs\n", "c.txt": "c\n" });
    const preview = await api.git.pullPreview({ projectId });
    expect(preview).toMatchObject({ fastForward: false, conflictCount: 0, cleanCount: 2 });
    expect(preview.files.find((file) => file.path === "a.txt")!.merged).toBe("1 mine\n2\n3\n4\n5 theirs\n");
    await api.git.pullApply({
      projectId,
      remoteCommit: preview.remoteCommit,
      expected: expectedOf(preview),
      resolutions: [],
    });
    expect(await content(api, projectId, "a.txt")).toBe("1 mine\n2\n3\n4\n5 theirs\n");
    expect((await api.git.status({ projectId })).changes).toEqual([{ path: "a.txt", change: "modify" }]);
    const pushed = await api.git.push({ projectId, message: "Merged" });
    const log = await server().readLog(repo);
    expect(log[0]!.commit).toBe(pushed.commit);
    expect(log[1]!.commit).toBe(preview.remoteCommit);
    expect(await server().readFiles(repo)).toEqual({
      "a.txt": "1 mine\n2\n3\n4\n5 theirs\n",
      "b.txt": "b\n",
      "c.txt": "c\n",
    });
  });

  it("shows a conflict, refuses to apply it unresolved, and applies the user's resolution", async () => {
    const { api, projectId, repo } = await importedProject({ "a.txt": "line\n" });
    await edit(api, projectId, "a.txt", "mine\n");
    const tip = await server().commitAs(repo, { "a.txt": "theirs\n" });
    const preview = await api.git.pullPreview({ projectId });
    expect(preview).toMatchObject({ conflictCount: 1, remoteCommit: tip });
    const file = preview.files[0]!;
    expect(file).toMatchObject({
      path: "a.txt",
      status: "conflict",
      base: "line\n",
      ours: "mine\n",
      theirs: "theirs\n",
    });
    expect(file.merged).toBe(`<<<<<<< yours\nmine\n=======\ntheirs\n>>>>>>> remote ${tip.slice(0, 7)}\n`);
    const input = { projectId, remoteCommit: tip, expected: expectedOf(preview) };
    await expectFailure(
      api.git.pullApply({ ...input, resolutions: [] }),
      "CONFLICT",
      /Resolve every conflict before pulling/,
    );
    expect(await content(api, projectId, "a.txt")).toBe("mine\n");
    await api.git.pullApply({ ...input, resolutions: [{ path: "a.txt", content: "both\n" }] });
    expect(await content(api, projectId, "a.txt")).toBe("both\n");
    expect((await api.git.status({ projectId })).syncedCommit).toBe(tip);
  });

  it("refuses the apply when the project or the remote changed since the preview, writing nothing", async () => {
    const { api, projectId, repo } = await importedProject({ "a.txt": "a\n", "b.txt": "b\n" });
    await server().commitAs(repo, { "a.txt": "a2\n" });
    const preview = await api.git.pullPreview({ projectId });
    await edit(api, projectId, "a.txt", "edited after the preview\n");
    const input = { projectId, remoteCommit: preview.remoteCommit, expected: expectedOf(preview), resolutions: [] };
    await expectFailure(api.git.pullApply(input), "CONFLICT", /The project changed since you reviewed this pull/);
    expect(await content(api, projectId, "a.txt")).toBe("edited after the preview\n");

    const second = await api.git.pullPreview({ projectId });
    await server().commitAs(repo, { "b.txt": "b2\n" });
    await expectFailure(
      api.git.pullApply({ ...input, remoteCommit: second.remoteCommit, expected: expectedOf(second) }),
      "CONFLICT",
      /The remote has new commits since you reviewed this pull/,
    );
    expect(await content(api, projectId, "b.txt")).toBe("b\n");
    expect((await api.git.status({ projectId })).syncedCommit).not.toBe(second.remoteCommit);
    await expectNoLeftovers();
  });

  it("an archived project still pushes (a read of its files) but refuses the pull's writes", async () => {
    const { api, projectId, repo } = await importedProject({ "a.txt": "a\n" });
    await edit(api, projectId, "a.txt", "mine\n");
    await api.project.archive({ projectId });
    const pushed = await api.git.push({ projectId });
    expect(await server().tip(repo)).toBe(pushed.commit);
    await server().commitAs(repo, { "b.txt": "b\n" });
    const preview = await api.git.pullPreview({ projectId });
    await expectFailure(
      api.git.pullApply({
        projectId,
        remoteCommit: preview.remoteCommit,
        expected: expectedOf(preview),
        resolutions: [],
      }),
      "PRECONDITION_FAILED",
      /archived; unarchive it to make changes/,
    );
    expect((await api.git.status({ projectId })).syncedCommit).toBe(pushed.commit);
  });

  it("reaches a synced commit many commits back by deepening the fetch, and merges from it", async () => {
    const { api, projectId, repo } = await importedProject({ "a.txt": "1\n2\n3\n", "log.txt": "0\n" });
    const synced = (await api.git.status({ projectId })).syncedCommit;
    await edit(api, projectId, "a.txt", "1 mine\n2\n3\n");
    for (let i = 1; i <= 20; i++) await server().commitAs(repo, { "log.txt": `${i}\n` });
    await server().commitAs(repo, { "a.txt": "1\n2\n3 theirs\n" });
    const logged = server().log.length;
    const preview = await api.git.pullPreview({ projectId });
    expect(preview).toMatchObject({ baseCommit: synced, fastForward: false, conflictCount: 0 });
    expect(preview.files.find((file) => file.path === "a.txt")!.merged).toBe("1 mine\n2\n3 theirs\n");
    // Three requests of packs at least: the tip, then 16 more commits, then 64.
    const fetches = server()
      .log.slice(logged)
      .filter((entry) => entry.path.endsWith("/git-upload-pack") && entry.method === "POST");
    expect(fetches.length).toBe(3);
    await expectNoLeftovers();
  });
});
