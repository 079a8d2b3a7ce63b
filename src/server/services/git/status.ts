/** Where a project stands with its Git remote: the remote, the last sync, what changed since, a running operation. */
import type { GitChange } from "~/lib/git/schemas";
import type { Database } from "~/server/db/client";
import { GIT_INTEGRATION_WHERE } from "./credentials";
import { runningOperation, type GitOperationView } from "./operations";
import { changesSince, loadProjectRemote, loadSync } from "./sync";

export interface GitStatus {
  repositoryType: string;
  url: string | null;
  branch: string | null;
  lastSyncAt: Date | null;
  syncedCommit: string | null;
  /** Whether push and pull have a stored token (never the token). */
  hasCredentials: boolean;
  /** The project's files against the synced commit (every file is an "add" before the first sync). */
  changes: { path: string; change: GitChange }[];
  operation: GitOperationView | null;
}

/** git.status: the project's remote, its last sync and what changed since, all from the database. */
export async function getGitStatus(options: { db: Database; projectId: string; userId: string }): Promise<GitStatus> {
  const { db, projectId, userId } = options;
  const remote = await loadProjectRemote(db, projectId, userId);
  const sync = await loadSync(db, projectId);
  const credentials = await db.projectIntegration.count({
    where: {
      projectId,
      apiKeyEncrypted: { not: null },
      ...GIT_INTEGRATION_WHERE,
    },
  });
  return {
    repositoryType: remote.repositoryType,
    url: remote.url,
    branch: remote.url ? remote.branch : null,
    lastSyncAt: remote.lastSyncAt,
    syncedCommit: sync?.commit ?? null,
    hasCredentials: credentials > 0,
    changes: remote.url ? await changesSince(db, projectId, sync?.files ?? new Map()) : [],
    operation: await runningOperation(db, projectId),
  };
}
