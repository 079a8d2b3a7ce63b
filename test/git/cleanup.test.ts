import { mkdir, mkdtemp, readdir, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  GIT_OPERATIONS_RETENTION_DAYS,
  GIT_TEMP_STALE_MS,
  pruneGitOperations,
  removeStaleGitTempDirs,
} from "~/server/services/git/cleanup";
import { GIT_TEMP_PREFIX } from "~/server/services/git/remote";
import { findJobDefinition } from "~/server/services/jobs/registry";
import { pool } from "../db";
import { signedInUser } from "../files/support";

// A temporary folder of this file's own as the system's (os.tmpdir() reads TMPDIR).
let previousTmp: string | undefined;
beforeAll(async () => {
  previousTmp = process.env.TMPDIR;
  process.env.TMPDIR = await mkdtemp(join(tmpdir(), "vf-test-git-cleanup-"));
});
afterAll(() => {
  process.env.TMPDIR = previousTmp;
});

async function folder(name: string, ageMs: number, file = false): Promise<void> {
  const path = join(tmpdir(), name);
  if (file) await writeFile(path, "x");
  else {
    await mkdir(join(path, ".git", "objects"), { recursive: true });
    await writeFile(join(path, ".git", "HEAD"), "ref: refs/heads/main\n");
  }
  const when = new Date(Date.now() - ageMs);
  await utimes(path, when, when);
}

describe("git temporary directories left by a crash", () => {
  it("are removed when older than an hour; newer ones, other folders and plain files stay", async () => {
    await folder(`${GIT_TEMP_PREFIX}old`, GIT_TEMP_STALE_MS + 60_000);
    await folder(`${GIT_TEMP_PREFIX}older`, 5 * GIT_TEMP_STALE_MS);
    await folder(`${GIT_TEMP_PREFIX}fresh`, 60_000);
    await folder("someone-else-old", 5 * GIT_TEMP_STALE_MS);
    await folder(`${GIT_TEMP_PREFIX}file`, 5 * GIT_TEMP_STALE_MS, true);
    expect(await removeStaleGitTempDirs()).toBe(2);
    expect((await readdir(tmpdir())).sort()).toEqual(
      [`${GIT_TEMP_PREFIX}file`, `${GIT_TEMP_PREFIX}fresh`, "someone-else-old"].sort(),
    );
    expect(await removeStaleGitTempDirs()).toBe(0);
  });
});

describe("git_operations retention", () => {
  it("deletes finished operations older than GIT_OPERATIONS_RETENTION_DAYS, in the daily maintenance job", async () => {
    const { userId } = await signedInUser();
    const days = GIT_OPERATIONS_RETENTION_DAYS;
    const { rows } = await pool.query<{ id: string; label: string }>(
      `INSERT INTO git_operations (user_id, kind, status, created_at, updated_at, finished_at)
       VALUES ($1, 'import', 'succeeded', now() - make_interval(days => $2 + 2), now(), now() - make_interval(days => $2 + 1)),
              ($1, 'pull', 'cancelled', now() - make_interval(days => $2 + 2), now(), now() - make_interval(days => $2 + 1)),
              ($1, 'push', 'failed', now() - make_interval(days => $2), now(), now() - make_interval(days => $2 - 1)),
              ($1, 'preview', 'running', now() - make_interval(days => $2 + 5), now(), NULL)
       RETURNING id, kind || '-' || status AS label`,
      [userId, days],
    );
    const maintenance = findJobDefinition("activity.maintenance")!;
    const result = (await maintenance.run({ pool, retentionMonths: undefined, log: () => {} })) as Record<
      string,
      unknown
    >;
    expect(result.gitOperationsPruned).toBeGreaterThanOrEqual(2);
    expect(typeof result.gitTempDirsRemoved).toBe("number");
    const { rows: left } = await pool.query<{ label: string }>(
      `SELECT kind || '-' || status AS label FROM git_operations WHERE id = ANY($1::uuid[]) ORDER BY label`,
      [rows.map((row) => row.id)],
    );
    expect(left.map((row) => row.label)).toEqual(["preview-running", "push-failed"]);
    expect(await pruneGitOperations(pool)).toBe(0);
  });
});
