import type { TGitPushInput } from "~/lib/git/schemas";
import type { Database } from "~/server/db/client";
import { AppError } from "~/server/errors";

/** Pushes the project's files as one commit on its branch. */
export async function pushProject(options: {
  db: Database;
  projectId: string;
  userId: string;
  input: TGitPushInput;
}): Promise<{ commit: string; branch: string; files: number }> {
  void options;
  throw new AppError("SERVICE_UNAVAILABLE", "Not built yet.");
}
