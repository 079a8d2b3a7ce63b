import type { TGitPullApplyInput, TGitPullPreviewInput } from "~/lib/git/schemas";
import type { Database } from "~/server/db/client";
import type { Actor } from "~/server/db/write";
import { AppError } from "~/server/errors";
import type { ReviewFile } from "../merge-review";

export interface GitPullPreview {
  upToDate: boolean;
  fastForward: boolean;
  branch: string;
  remoteCommit: string;
  baseCommit: string | null;
  files: ReviewFile[];
  cleanCount: number;
  conflictCount: number;
}

/** What pulling the remote's branch would change. */
export async function previewGitPull(options: {
  db: Database;
  projectId: string;
  userId: string;
  input: TGitPullPreviewInput;
}): Promise<GitPullPreview> {
  void options;
  throw new AppError("SERVICE_UNAVAILABLE", "Not built yet.");
}

/** Pulls as the preview showed. */
export async function applyGitPull(options: {
  db: Database;
  actor: Actor;
  projectId: string;
  userId: string;
  input: TGitPullApplyInput;
}): Promise<{ written: number; deleted: number; commit: string }> {
  void options;
  throw new AppError("SERVICE_UNAVAILABLE", "Not built yet.");
}
