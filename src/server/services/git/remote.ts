import type { TGitBranchesInput } from "~/lib/git/schemas";
import { AppError } from "~/server/errors";

/** The branches of a remote and its default branch. */
export async function listRemoteBranches(
  input: TGitBranchesInput,
): Promise<{ branches: string[]; defaultBranch: string | null }> {
  void input;
  throw new AppError("SERVICE_UNAVAILABLE", "Not built yet.");
}
