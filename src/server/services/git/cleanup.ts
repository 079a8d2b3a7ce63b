/**
 * What git work leaves behind when a server dies mid-operation, cleaned up: its temporary directories (removed at
 * server start and by the daily maintenance job; each machine has its own) and the recorded operations once they
 * are old (the daily maintenance job).
 */
import { lstat, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type pg from "pg";
import { GIT_TEMP_PREFIX } from "./remote";

/** A git temporary directory untouched for this long belongs to no running operation (the HTTP timeouts are far shorter). */
export const GIT_TEMP_STALE_MS = 60 * 60 * 1000;
/** Finished git operations are kept this long (they are only read while running or just after). */
export const GIT_OPERATIONS_RETENTION_DAYS = 30;

/** Removes the `vaporform-git-*` directories under os.tmpdir() older than GIT_TEMP_STALE_MS; answers how many. */
export async function removeStaleGitTempDirs(now = Date.now()): Promise<number> {
  const root = tmpdir();
  let removed = 0;
  for (const name of await readdir(root)) {
    if (!name.startsWith(GIT_TEMP_PREFIX)) continue;
    const path = join(root, name);
    try {
      const stat = await lstat(path);
      if (!stat.isDirectory() || now - stat.mtimeMs < GIT_TEMP_STALE_MS) continue;
      await rm(path, { recursive: true, force: true });
      removed++;
    } catch (error) {
      console.warn(`[git] could not remove the stale temporary directory ${path}: ${(error as Error).message}`);
    }
  }
  return removed;
}

/** Deletes the finished git operations older than GIT_OPERATIONS_RETENTION_DAYS; answers how many. */
export async function pruneGitOperations(pool: pg.Pool): Promise<number> {
  const result = await pool.query(
    `DELETE FROM git_operations WHERE finished_at IS NOT NULL AND finished_at < now() - make_interval(days => $1)`,
    [GIT_OPERATIONS_RETENTION_DAYS],
  );
  return result.rowCount ?? 0;
}
