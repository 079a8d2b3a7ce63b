import { randomBytes } from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import { db } from "~/server/db/client";
import { MAX_RUNNING_GIT_OPERATIONS_PER_USER, startOperation } from "~/server/services/git/operations";
import { pool } from "../db";
import { expectFailure, signedInUser } from "../files/support";
import { expectNoLeftovers, gitServerForFile, importAndWait } from "./support";

const server = gitServerForFile();
const tag = () => randomBytes(3).toString("hex");

async function runningOf(userId: string): Promise<number> {
  const { rows } = await pool.query(
    `SELECT count(*)::int AS n FROM git_operations WHERE user_id = $1 AND status = 'running'`,
    [userId],
  );
  return rows[0].n;
}

/** A repository with `files`, imported with credentials by a new user. */
async function importedProject(files: Record<string, string>) {
  const repo = `bounds-${tag()}`;
  const url = await server().createRepo(repo, files);
  const user = await signedInUser();
  const op = await importAndWait(user.api, {
    url,
    name: `Bounded ${tag()}`,
    username: server().username,
    token: server().password,
  });
  expect(op.status).toBe("succeeded");
  return { ...user, repo, url, projectId: op.projectId! };
}

describe("running git work per user", () => {
  it("is at most MAX_RUNNING_GIT_OPERATIONS_PER_USER of all kinds, even when the requests arrive together", async () => {
    const { userId } = await signedInUser();
    const kinds = ["preview", "branches", "import", "preview", "branches", "preview", "branches", "preview"] as const;
    const results = await Promise.allSettled(
      kinds.map((kind) => startOperation({ db, userId, projectId: null, kind })),
    );
    expect(await runningOf(userId)).toBe(MAX_RUNNING_GIT_OPERATIONS_PER_USER);
    const refused = results.filter((result) => result.status === "rejected");
    expect(refused).toHaveLength(kinds.length - MAX_RUNNING_GIT_OPERATIONS_PER_USER);
    for (const result of refused) {
      expect((result as PromiseRejectedResult).reason).toMatchObject({
        code: "TOO_MANY_REQUESTS",
        message: expect.stringMatching(/Git operations running/),
      });
    }
  });

  it("refuses git.branches and git.pullPreview past the bound before any request goes out, and records them", async () => {
    const { api, userId, projectId, url } = await importedProject({ "a.txt": "a\n" });
    const { rows } = await pool.query(
      `INSERT INTO git_operations (user_id, kind) SELECT $1, 'preview' FROM generate_series(1, $2::int) RETURNING id`,
      [userId, MAX_RUNNING_GIT_OPERATIONS_PER_USER],
    );
    const before = server().log.length;
    await expectFailure(
      api.git.branches({ url, username: server().username, token: server().password }),
      "TOO_MANY_REQUESTS",
      /wait for one to finish/,
    );
    await expectFailure(api.git.pullPreview({ projectId }), "TOO_MANY_REQUESTS", /Git operations running/);
    await expectFailure(api.git.push({ projectId }), "TOO_MANY_REQUESTS", /Git operations running/);
    expect(server().log.slice(before)).toEqual([]);

    await pool.query(`UPDATE git_operations SET status = 'succeeded', finished_at = now() WHERE id = ANY($1::uuid[])`, [
      rows.map((row) => row.id),
    ]);
    expect(await api.git.branches({ url, username: server().username, token: server().password })).toEqual({
      branches: ["main"],
      defaultBranch: "main",
    });
    expect((await api.git.pullPreview({ projectId })).upToDate).toBe(true);
    // Each was a recorded operation that ended (and a preview holds no project: it never blocks a push).
    const { rows: ended } = await pool.query(
      `SELECT kind, status, project_id FROM git_operations
        WHERE user_id = $1 AND kind IN ('branches', 'preview') AND NOT (id = ANY($2::uuid[])) ORDER BY kind`,
      [userId, rows.map((row) => row.id)],
    );
    expect(ended).toEqual([
      { kind: "branches", status: "succeeded", project_id: null },
      { kind: "preview", status: "succeeded", project_id: null },
    ]);
    expect(await runningOf(userId)).toBe(0);
  });
});

describe("git.cancel of a pull apply", () => {
  it("stops the pull while it downloads: nothing is written, the sync stays, the operation is cancelled", async () => {
    const { api, projectId, repo } = await importedProject({ "a.txt": "a\n" });
    const synced = (await api.git.status({ projectId })).syncedCommit;
    const size = 1024 * 1024;
    const tip = await server().commitAs(repo, { "a.txt": "theirs\n", "big.bin": randomBytes(size) });
    const preview = await api.git.pullPreview({ projectId });
    expect(preview.remoteCommit).toBe(tip);
    server().setThrottle(20, 8 * 1024);
    try {
      const applying = api.git.pullApply({
        projectId,
        remoteCommit: tip,
        expected: preview.files.map((file) => ({ path: file.path, fileId: file.fileId, version: file.version })),
        resolutions: [],
      });
      applying.catch(() => undefined);
      // Wait until bytes of the pack are arriving, then cancel.
      let operationId = "";
      await vi.waitFor(
        async () => {
          const op = (await api.git.status({ projectId })).operation;
          expect(op).toMatchObject({ kind: "pull", status: "running" });
          expect(op!.loaded).toBeGreaterThan(0);
          operationId = op!.id;
        },
        { timeout: 20_000, interval: 50 },
      );
      expect(await api.git.cancel({ operationId })).toEqual({ ok: true });
      await expectFailure(applying, "CONFLICT", /pull was cancelled; nothing was written/);
      const op = await api.git.operation({ operationId });
      expect(op).toMatchObject({ status: "cancelled", error: null });
      expect(op.loaded).toBeLessThan(size);
    } finally {
      server().setThrottle(0);
    }
    expect((await api.file.read({ projectId, path: "a.txt" })).content).toBe("a\n");
    await expectFailure(api.file.read({ projectId, path: "big.bin" }), "NOT_FOUND");
    const status = await api.git.status({ projectId });
    expect(status.syncedCommit).toBe(synced);
    expect(status.operation).toBeNull();
    await expectNoLeftovers();
  });
});
