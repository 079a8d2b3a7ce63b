import type { GitChange } from "~/lib/git/schemas";
import type { Database } from "~/server/db/client";
import { AppError } from "~/server/errors";
import type { GitOperationView } from "./operations";

export interface GitStatus {
  repositoryType: string;
  url: string | null;
  branch: string | null;
  lastSyncAt: Date | null;
  syncedCommit: string | null;
  hasCredentials: boolean;
  changes: { path: string; change: GitChange }[];
  operation: GitOperationView | null;
}

/** The project's remote, its last sync and what changed since. */
export async function getGitStatus(options: { db: Database; projectId: string; userId: string }): Promise<GitStatus> {
  void options;
  throw new AppError("SERVICE_UNAVAILABLE", "Not built yet.");
}
