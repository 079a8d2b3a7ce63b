/**
 * A new project from a remote's branch. `startGitImport` checks what it can at once (the URL, the name) and
 * records the operation; the import then runs in this server process: the branch's tip is fetched (depth 1) into a
 * temporary directory, within the zip import's limits (the download stops at IMPORT_MAX_ARCHIVE_BYTES), its files
 * read, and the project created with them in ONE transaction at the end (as the system acting for the user), with
 * its remote, branch, synced commit and credentials. A failure or a cancel creates nothing.
 */
import type { TGitImportInput } from "~/lib/git/schemas";
import type { Database } from "~/server/db/client";
import { makeActor } from "~/server/db/write";
import { AppError } from "~/server/errors";
import { createProject, duplicateProjectName } from "../project";
import { storeGitCredentials } from "./credentials";
import { OperationCancelled, OperationTracker, startOperation } from "./operations";
import { checkRemoteUrl, fetchBranch, readCommitFiles, remoteBranches, withTempDir, type GitRemote } from "./remote";
import { recordSync } from "./sync";

/** Imports running in this process, so tests and a shutdown can wait for them. */
const running = ((globalThis as { __vfGitImports?: Map<string, Promise<void>> }).__vfGitImports ??= new Map());

/** Starts importing a remote's branch as a new project of `userId`; answers the operation to follow. */
export async function startGitImport(options: {
  db: Database;
  userId: string;
  input: TGitImportInput;
}): Promise<{ operationId: string }> {
  const { db, userId, input } = options;
  const url = checkRemoteUrl(input.url);
  const name = input.name.trim().normalize("NFC");
  if (await db.project.findFirst({ where: { userId, name }, select: { id: true } })) throw duplicateProjectName(name);
  const operationId = await startOperation({ db, userId, projectId: null, kind: "import" });
  const remote: GitRemote = { url, credentials: { username: input.username, token: input.token } };
  const work = runImport(db, userId, operationId, remote, { ...input, name }).finally(() =>
    running.delete(operationId),
  );
  running.set(operationId, work);
  return { operationId };
}

/** Resolves when the import `operationId` of this process has ended (at once when it is not running here). */
export async function importSettled(operationId: string): Promise<void> {
  await running.get(operationId);
}

async function runImport(
  db: Database,
  userId: string,
  operationId: string,
  remote: GitRemote,
  input: TGitImportInput & { name: string },
): Promise<void> {
  const tracker = new OperationTracker(db, operationId);
  try {
    const projectId = await withTempDir(async (dir) => {
      tracker.report("Connecting", 0, null);
      const { heads, defaultBranch } = await remoteBranches(remote, tracker.signal);
      const branch = input.branch ?? defaultBranch ?? [...heads.keys()][0];
      if (branch === undefined)
        throw new AppError("BAD_REQUEST", "The repository is empty: it has no branch to import.");
      if (!heads.has(branch)) {
        throw new AppError("NOT_FOUND", `The branch “${branch}” does not exist on the remote.`);
      }
      const commit = await fetchBranch({
        dir,
        remote,
        branch,
        signal: tracker.signal,
        onProgress: (event) => tracker.report(event.phase, event.loaded, event.total ?? null),
        onBytes: (loaded) => tracker.report("Downloading", loaded, null),
      });
      tracker.report("Reading files", 0, null);
      const files = await readCommitFiles(dir, commit);
      await tracker.checkCancelled();
      tracker.report("Creating the project", files.length, files.length);
      const actor = makeActor({ userId, source: "system" });
      const created = await createProject({
        db,
        actor,
        userId,
        name: input.name,
        description: input.description ?? "",
        files,
        withinTransaction: async (tx, id) => {
          await tx.project.update({
            where: { id },
            data: { repositoryType: "existing", repositoryUrl: remote.url, repositoryBranch: branch },
          });
          await recordSync(tx, id, commit, files);
          await storeGitCredentials(tx, { projectId: id, userId, url: remote.url, credentials: remote.credentials });
          await tx.projectActivity.create({
            data: {
              projectId: id,
              userId,
              activityType: "git_imported",
              description: `Imported from ${remote.url} (${branch}, ${commit.slice(0, 7)})`,
              metadata: { url: remote.url, branch, commit, files: files.length },
              sourceType: actor.source,
            },
          });
        },
      });
      return created.id;
    });
    await tracker.finish("succeeded", { projectId });
  } catch (error) {
    await finishFailed(tracker, error);
  }
}

/** Records how a failed operation ended: cancelled, a message for the user, or (logged) a generic one. */
export async function finishFailed(tracker: OperationTracker, error: unknown): Promise<void> {
  try {
    if (error instanceof OperationCancelled || tracker.signal.aborted) await tracker.finish("cancelled");
    else if (error instanceof AppError) await tracker.finish("failed", { error: error.message });
    else {
      // The name and message only: a library's error object may hold request headers.
      const { name, message } = error instanceof Error ? error : { name: "Error", message: String(error) };
      console.error(`[git] operation ${tracker.id} failed: ${name}: ${message}`);
      await tracker.finish("failed", { error: "The import failed on our side. Please try again." });
    }
  } catch (recordError) {
    console.error(`[git] operation ${tracker.id} could not be recorded:`, (recordError as Error).message);
  }
}
