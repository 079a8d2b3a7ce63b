import { randomBytes } from "node:crypto";
import { strToU8, zipSync } from "fflate";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createCaller } from "~/server/api/root";
import { createTRPCContext } from "~/server/api/trpc";
import { loadSessionUser } from "~/server/auth/session-user";
import { createDatabase, type Database } from "~/server/db/client";
import { isTransientDatabaseError } from "~/server/db/errors";
import { createPool } from "~/server/db/pool";
import { expectFailure, projectState, type Caller } from "../files/support";
import { startCrashableCluster, type CrashableCluster } from "../support/crash-cluster";

// The app's own client and pool on a cluster of this file's own, which the tests kill and restart.
let cluster: CrashableCluster;
let appPool: pg.Pool;
let appDb: Database;
let admin: pg.Pool;

beforeAll(async () => {
  cluster = await startCrashableCluster();
  appPool = createPool(cluster.url, 5);
  appDb = createDatabase(appPool);
  admin = new pg.Pool({ connectionString: cluster.url, max: 2 });
  // Connections of this pool die with the server in these tests; that is expected here.
  admin.on("error", () => {});
}, 120_000);

afterAll(async () => {
  await appDb.$disconnect();
  await appPool.end();
  await admin.end();
  await cluster.stop();
});

async function signedInUser(): Promise<{ api: Caller; userId: string }> {
  const tag = randomBytes(4).toString("hex");
  const { rows } = await admin.query<{ id: string }>(
    `INSERT INTO users (email, username, full_name, password_hash) VALUES ($1, $2, 'Fault Tester', 'x') RETURNING id`,
    [`faults-${tag}@example.com`, `faults_${tag}`],
  );
  const user = await loadSessionUser({ db: appDb, userId: rows[0]!.id, sessionVersion: 0 });
  if (!user) throw new Error("user not loaded");
  const ctx = await createTRPCContext({ headers: new Headers(), session: { user }, ip: "198.51.100.20" });
  return { api: createCaller({ ...ctx, db: appDb }), userId: user.id };
}

/** Waits until the app's connection is running the import's INSERT and has written rows (it holds an xid). */
async function importStatementRunning(ended: () => boolean): Promise<void> {
  while (!ended()) {
    const { rowCount } = await admin.query(
      `SELECT 1 FROM pg_stat_activity
        WHERE application_name = 'vaporform' AND state = 'active' AND backend_xid IS NOT NULL
          AND query LIKE '%INSERT INTO project_files%'`,
    );
    if (rowCount) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error("the import ended before its INSERT could be interrupted");
}

/** Waits until the app's pool has let go of its dead connections. */
async function poolDrained(pool: pg.Pool): Promise<void> {
  while (pool.totalCount > 0) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe("PostgreSQL killed or restarting", () => {
  it("leaves no partial import after PostgreSQL is killed (SIGKILL) in the middle of a 10,000-file import", async () => {
    const { api } = await signedInUser();
    const projectId = (await api.project.create({ name: "Crash import" })).id;
    const before = await projectState(projectId, admin);
    const files = Array.from({ length: 10_000 }, (_, index) => ({
      path: `src/module-${Math.floor(index / 100)}/file-${index}.ts`,
      data: strToU8(`export const value${index} = ${index};\n`.repeat(20)),
    }));
    const archive = Buffer.from(zipSync(Object.fromEntries(files.map((file) => [file.path, file.data])))).toString(
      "base64",
    );

    const importing = api.file.importZip({ projectId, archive });
    let ended = false;
    importing.then(
      () => (ended = true),
      () => (ended = true),
    );
    await importStatementRunning(() => ended);
    await cluster.crash();
    await expectFailure(importing, "SERVICE_UNAVAILABLE", /could not be reached.*try again/);
    await cluster.restart();

    expect(await projectState(projectId, admin)).toEqual(before);
    const { rows } = await admin.query<{ stray: number }>(
      `SELECT ((SELECT count(*) FROM project_files WHERE file_path LIKE 'src/module-%')
             + (SELECT count(*) FROM project_file_versions WHERE file_path LIKE 'src/module-%'))::int AS stray`,
    );
    expect(rows[0]?.stray).toBe(0);

    // Nothing half-written stands in the way: the same import, run again, goes through whole.
    const result = await api.file.importZip({ projectId, archive });
    expect(result).toMatchObject({ imported: 10_000, created: 10_000 });
    expect(await projectState(projectId, admin)).toMatchObject({
      total_files: (before.total_files as number) + 10_000,
    });
  }, 180_000);

  it("answers a save while the database restarts with a clear 'try again', and the next save succeeds", async () => {
    const { api } = await signedInUser();
    const projectId = (await api.project.create({ name: "Crash save" })).id;
    const { id: fileId } = await api.file.create({ projectId, path: "notes.md", kind: "file", content: "first\n" });
    const before = await projectState(projectId, admin);

    await cluster.crash();
    const error = await expectFailure(
      api.file.save({ projectId, path: "notes.md", content: "second\n", fileId, baseVersion: 1 }),
      "SERVICE_UNAVAILABLE",
    );
    expect(error.message).toBe(
      "The database could not be reached (it may be restarting), so this change may not have been made. Check, then try again in a moment.",
    );
    await cluster.restart();

    expect(await projectState(projectId, admin)).toEqual(before);
    const saved = await api.file.save({ projectId, path: "notes.md", content: "second\n", fileId, baseVersion: 1 });
    expect(saved).toMatchObject({ version: 2, changed: true });
    expect((await api.file.read({ projectId, path: "notes.md" })).content).toBe("second\n");
  }, 120_000);

  it("answers a save retried after its answer was lost (it had committed) as saved, not as a CONFLICT", async () => {
    const { api } = await signedInUser();
    const projectId = (await api.project.create({ name: "Lost answer" })).id;
    const { id: fileId } = await api.file.create({ projectId, path: "notes.md", kind: "file", content: "first\n" });
    await api.file.save({ projectId, path: "notes.md", content: "second\n", fileId, baseVersion: 1 });
    const before = await projectState(projectId, admin);

    const retried = await api.file.save({ projectId, path: "notes.md", content: "second\n", fileId, baseVersion: 1 });

    expect(retried).toMatchObject({ version: 2, changed: false });
    expect(await projectState(projectId, admin)).toEqual(before);
    await expectFailure(
      api.file.save({ projectId, path: "notes.md", content: "other\n", fileId, baseVersion: 1 }),
      "CONFLICT",
    );
  });

  it("retries raw-SQL reads on connection loss like model reads, but never a raw write", async () => {
    const { userId } = await signedInUser();
    // Every connection is cut (as by a restart), and the server refuses the next attempts (still starting).
    const cutAll = async (refused: number) => {
      cluster.dropConnections();
      await poolDrained(appPool);
      cluster.refuseConnections(refused);
    };
    await cutAll(2);
    const [row] = await appDb.$queryRaw<
      { name: string }[]
    >`SELECT full_name AS name FROM users WHERE id = ${userId}::uuid`;
    expect(row?.name).toBe("Fault Tester");

    await cutAll(2);
    await expect(appDb.user.count()).resolves.toBeGreaterThan(0);

    // The writes fail on the first refused connection (a retry would have gone through), as the user's "try again".
    await cutAll(1);
    const attempts = cluster.connectionsAccepted();
    await expect(
      appDb.$queryRaw`UPDATE users SET full_name = 'Renamed' WHERE id = ${userId}::uuid RETURNING id`,
    ).rejects.toSatisfy(isTransientDatabaseError);
    expect(cluster.connectionsAccepted() - attempts).toBe(1);

    await cutAll(1);
    await expect(
      appDb.$executeRaw`UPDATE users SET full_name = 'Renamed' WHERE id = ${userId}::uuid`,
    ).rejects.toSatisfy(isTransientDatabaseError);

    await cutAll(1);
    await expect(
      appDb.$transaction((tx) => tx.user.update({ where: { id: userId }, data: { fullName: "Renamed" } })),
    ).rejects.toSatisfy(isTransientDatabaseError);

    const { rows } = await admin.query<{ full_name: string }>(`SELECT full_name FROM users WHERE id = $1`, [userId]);
    expect(rows[0]?.full_name).toBe("Fault Tester");
  }, 60_000);

  it("never retries a read inside a transaction whose connection was lost", async () => {
    const warn = vi.spyOn(console, "warn");
    try {
      const attempt = appDb.$transaction(async (tx) => {
        await tx.$queryRaw`SELECT 1 AS one`;
        cluster.dropConnections();
        return tx.user.count();
      });
      await expect(attempt).rejects.toSatisfy(isTransientDatabaseError);
      expect(warn.mock.calls.filter(([line]) => String(line).includes("retried"))).toEqual([]);
    } finally {
      warn.mockRestore();
    }
  }, 60_000);
});
