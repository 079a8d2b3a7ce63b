import type { TGitImportInput } from "~/lib/git/schemas";
import type { Database } from "~/server/db/client";
import { AppError } from "~/server/errors";

/** Starts importing a remote's branch as a new project of `userId`; answers the operation to follow. */
export async function startGitImport(options: {
  db: Database;
  userId: string;
  input: TGitImportInput;
}): Promise<{ operationId: string }> {
  void options;
  throw new AppError("SERVICE_UNAVAILABLE", "Not built yet.");
}
