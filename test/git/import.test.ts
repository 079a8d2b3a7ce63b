import { randomBytes } from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import { env } from "~/env";
import { decryptSecret } from "~/server/crypto";
import { importSettled } from "~/server/services/git/import";
import { pool } from "../db";
import { expectFailure, signedInUser } from "../files/support";
import { expectNoLeftovers, importAndWait, gitServerForFile } from "./support";

const server = gitServerForFile();
const tag = () => randomBytes(3).toString("hex");

async function projectsNamed(userId: string, name: string) {
  const { rows } = await pool.query(`SELECT id FROM projects WHERE user_id = $1 AND name = $2`, [userId, name]);
  return rows;
}

describe("git.import", () => {
  it("imports a branch with credentials: files, remote, synced commit, the token stored encrypted", async () => {
    const repo = `app-${tag()}`;
    const url = await server().createRepo(repo, {
      "README.md": "# App\n",
      "src/index.ts": "export const x = 1;\n",
      "node_modules/left/out.js": "x",
      "logo.png": Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]),
    });
    const { api, userId } = await signedInUser();
    const name = `Imported ${tag()}`;
    const op = await importAndWait(api, { url, name, username: "alice", token: server().password });
    expect(op).toMatchObject({ kind: "import", status: "succeeded", error: null });
    const projectId = op.projectId!;
    const files = await api.file.list({ projectId });
    expect(JSON.stringify(files)).toContain("src/index.ts");
    expect(JSON.stringify(files)).not.toContain("node_modules");
    const png = await api.file.read({ projectId, path: "logo.png" });
    expect(png).toMatchObject({ isBinary: true });
    const { rows } = await pool.query(
      `SELECT p.repository_type, p.repository_url, p.repository_branch, p.last_sync_at, s.commit_oid
         FROM projects p JOIN project_git_sync s ON s.project_id = p.id WHERE p.id = $1`,
      [projectId],
    );
    expect(rows[0]).toMatchObject({
      repository_type: "existing",
      repository_url: url,
      repository_branch: "main",
      last_sync_at: expect.any(Date),
      commit_oid: await server().tip(repo),
    });
    const activity = await pool.query(
      `SELECT source_type FROM project_activity WHERE project_id = $1 AND activity_type = 'file_created'`,
      [projectId],
    );
    expect(activity.rows.length).toBeGreaterThan(0);
    expect(new Set(activity.rows.map((row) => row.source_type))).toEqual(new Set(["system"]));
    const integration = await pool.query(
      `SELECT service_name, service_type, configuration, api_key_encrypted FROM project_integrations WHERE project_id = $1`,
      [projectId],
    );
    expect(integration.rows[0]).toMatchObject({ service_name: "git", service_type: "git" });
    expect(integration.rows[0].configuration).toEqual({ username: "alice", host: new URL(url).host });
    expect(integration.rows[0].api_key_encrypted).not.toContain(server().password);
    expect(decryptSecret(integration.rows[0].api_key_encrypted)).toBe(server().password);
    const status = await api.git.status({ projectId });
    expect(status).toMatchObject({ repositoryType: "existing", hasCredentials: true, changes: [] });
    expect(JSON.stringify(status)).not.toContain(server().password);
    const listed = await api.integration.list({ projectId });
    expect(JSON.stringify(listed)).not.toContain(server().password);
    expect(await projectsNamed(userId, name)).toHaveLength(1);
    await expectNoLeftovers();
  });

  it("imports a public repository without credentials, and a chosen branch", async () => {
    const repo = `public-${tag()}`;
    const url = await server().createRepo(repo, { "a.txt": "main\n" });
    await server().commitAs(repo, { "a.txt": "dev\n" }, { branch: "dev" });
    server().setPublicRead(true);
    try {
      const { api } = await signedInUser();
      const branches = await api.git.branches({ url });
      expect(branches).toEqual({ branches: ["dev", "main"], defaultBranch: "main" });
      const op = await importAndWait(api, { url, branch: "dev", name: `Public ${tag()}` });
      expect(op.status).toBe("succeeded");
      const file = await api.file.read({ projectId: op.projectId!, path: "a.txt" });
      expect(file.content).toBe("dev\n");
      expect((await api.git.status({ projectId: op.projectId! })).hasCredentials).toBe(false);
    } finally {
      server().setPublicRead(false);
    }
  });

  it("answers wrong credentials with a clear error, creates nothing and keeps no token", async () => {
    const url = await server().createRepo(`private-${tag()}`, { "a.txt": "x" });
    const { api, userId } = await signedInUser();
    const name = `Wrong ${tag()}`;
    await expectFailure(api.git.branches({ url, token: "nope" }), "FORBIDDEN", /refused the credentials/);
    const op = await importAndWait(api, { url, name, username: "alice", token: "wrong-token" });
    expect(op.status).toBe("failed");
    expect(op.error).toMatch(/refused the credentials \(authentication failed\)/);
    expect(op.error).not.toContain("wrong-token");
    expect(await projectsNamed(userId, name)).toHaveLength(0);
    const noCreds = await importAndWait(api, { url, name });
    expect(noCreds.error).toMatch(/wants credentials/);
    await expectNoLeftovers();
  });

  it("refuses a branch that does not exist, a remote that is not a git repository, and other schemes", async () => {
    const url = await server().createRepo(`branches-${tag()}`, { "a.txt": "x" });
    const { api, userId } = await signedInUser();
    const name = `Bad ${tag()}`;
    const credentials = { username: "alice", token: server().password };
    const missing = await importAndWait(api, { url, branch: "nope", name, ...credentials });
    expect(missing).toMatchObject({ status: "failed", error: "The branch “nope” does not exist on the remote." });
    const notGit = await importAndWait(api, { url: `${server().url}/not-a-repo.git`, name, ...credentials });
    expect(notGit.status).toBe("failed");
    expect(notGit.error).toMatch(/No Git repository was found|not a Git repository/);
    await expectFailure(api.git.import({ url: "file:///etc", name }), "BAD_REQUEST", /Only http/);
    await expectFailure(api.git.import({ url: "ssh://git@example.com/x.git", name }), "BAD_REQUEST", /Only http/);
    await expectFailure(api.git.branches({ url: "ftp://example.com/x.git" }), "BAD_REQUEST", /Only http/);
    await expectFailure(
      api.git.import({ url: `http://alice:pw@127.0.0.1:${server().port}/x.git`, name }),
      "BAD_REQUEST",
      /not in the URL/,
    );
    expect(await projectsNamed(userId, name)).toHaveLength(0);
    await expectNoLeftovers();
  });

  it("refuses a duplicate project name before starting", async () => {
    const { api } = await signedInUser();
    const name = `Taken ${tag()}`;
    await api.project.create({ name });
    await expectFailure(
      api.git.import({ url: `${server().url}/x.git`, name }),
      "CONFLICT",
      /You already have a project named/,
    );
  });

  it("refuses a loopback remote unless OUTBOUND_ALLOW_PRIVATE is set", async () => {
    const url = await server().createRepo(`blocked-${tag()}`, { "a.txt": "x" });
    const { api, userId } = await signedInUser();
    const name = `Blocked ${tag()}`;
    const requests = server().log.length;
    env.OUTBOUND_ALLOW_PRIVATE = false;
    try {
      await expectFailure(api.git.branches({ url }), "BAD_REQUEST", /127\.0\.0\.1 is a loopback address/);
      const op = await importAndWait(api, { url, name, username: "alice", token: server().password });
      expect(op.status).toBe("failed");
      expect(op.error).toMatch(/loopback address; requests to it are refused/);
    } finally {
      env.OUTBOUND_ALLOW_PRIVATE = true;
    }
    expect(server().log.length).toBe(requests);
    expect(await projectsNamed(userId, name)).toHaveLength(0);
  });

  it("stops an oversized repository while it downloads, and creates nothing", async () => {
    const repo = `big-${tag()}`;
    // Random bytes do not compress: the pack is about as large as the files.
    const url = await server().createRepo(repo, { "big.bin": randomBytes(400 * 1024), "small.txt": "x" });
    const { api, userId } = await signedInUser();
    const name = `Big ${tag()}`;
    const limit = env.IMPORT_MAX_ARCHIVE_BYTES;
    env.IMPORT_MAX_ARCHIVE_BYTES = 100 * 1024;
    try {
      const op = await importAndWait(api, { url, name, username: "alice", token: server().password });
      expect(op.status).toBe("failed");
      expect(op.error).toMatch(/larger than 0\.1 MiB to download, the import limit; it was stopped/);
      // Stopped during the download: far fewer bytes were read than the pack holds.
      expect(op.loaded).toBeLessThanOrEqual(100 * 1024);
    } finally {
      env.IMPORT_MAX_ARCHIVE_BYTES = limit;
    }
    const files = env.IMPORT_MAX_FILES;
    env.IMPORT_MAX_FILES = 1;
    try {
      const op = await importAndWait(api, { url, name, username: "alice", token: server().password });
      expect(op).toMatchObject({ status: "failed", error: "The repository has more than 1 files." });
    } finally {
      env.IMPORT_MAX_FILES = files;
    }
    expect(await projectsNamed(userId, name)).toHaveLength(0);
    await expectNoLeftovers();
  });

  it("cancels an import while it downloads: nothing is created; only the owner sees or cancels it", async () => {
    const repo = `cancel-${tag()}`;
    const size = 1024 * 1024;
    const url = await server().createRepo(repo, { "big.bin": randomBytes(size) });
    const { api, userId } = await signedInUser();
    const other = await signedInUser();
    const name = `Cancelled ${tag()}`;
    server().setThrottle(20, 8 * 1024);
    try {
      const { operationId } = await api.git.import({ url, name, username: "alice", token: server().password });
      await expectFailure(other.api.git.operation({ operationId }), "NOT_FOUND");
      await expectFailure(other.api.git.cancel({ operationId }), "NOT_FOUND");
      // Wait until bytes of the pack are arriving, then cancel.
      await vi.waitFor(
        async () => {
          const op = await api.git.operation({ operationId });
          expect(op.status).toBe("running");
          expect(op.loaded).toBeGreaterThan(0);
        },
        { timeout: 20_000, interval: 50 },
      );
      expect(await api.git.cancel({ operationId })).toEqual({ ok: true });
      await importSettled(operationId);
      const op = await api.git.operation({ operationId });
      expect(op).toMatchObject({ status: "cancelled", projectId: null, error: null });
      expect(op.loaded).toBeLessThan(size);
    } finally {
      server().setThrottle(0);
    }
    expect(await projectsNamed(userId, name)).toHaveLength(0);
    await expectNoLeftovers();
  });

  it("limits the imports one user may run at once", async () => {
    const { api, userId } = await signedInUser();
    await pool.query(`INSERT INTO git_operations (user_id, kind) SELECT $1, 'import' FROM generate_series(1, 3)`, [
      userId,
    ]);
    await expectFailure(
      api.git.import({ url: `${server().url}/x.git`, name: `Many ${tag()}` }),
      "TOO_MANY_REQUESTS",
      /3 imports running/,
    );
    // Rows whose runner stopped (no heartbeat for a minute) no longer count, and read as interrupted.
    await pool.query(`UPDATE git_operations SET updated_at = now() - interval '2 minutes' WHERE user_id = $1`, [
      userId,
    ]);
    const { operationId } = await api.git.import({ url: `${server().url}/x.git`, name: `Many ${tag()}` });
    await importSettled(operationId);
    const { rows } = await pool.query(`SELECT id FROM git_operations WHERE user_id = $1 AND id <> $2 LIMIT 1`, [
      userId,
      operationId,
    ]);
    expect(await api.git.operation({ operationId: rows[0].id })).toMatchObject({
      status: "failed",
      error: "The operation was interrupted (the server stopped).",
    });
  });
});
