/**
 * A push: ONE commit on the project's branch whose parent is the commit of the last sync and whose tree is that
 * commit's tree with the project's changes since the sync applied (`tree.ts`): the files it added or changed as new
 * blobs (a changed file keeps its mode, so an executable stays one; a new file is `100644`), the files it deleted
 * removed, and every entry it does not track (symbolic links, submodules, `node_modules/`: what the import leaves
 * out) kept as it is. For that the branch's tip is fetched first (`fetchBranch`: depth 1, no checkout, the pull's
 * download budget), so every object of the new tree is local; the pack sent leaves out what the synced commit
 * holds. When the remote's branch is no longer at the synced commit (someone else pushed), the push is refused
 * before anything is sent: pull first. It is always a fast-forward, never forced. A project that was never synced
 * (repository type `new` with a URL in its settings) pushes its files as the first commit of an empty remote or of
 * a branch that does not exist yet.
 */
import fs from "node:fs";
import git, { Errors } from "isomorphic-git";
import { env } from "~/env";
import { defaultCommitMessage } from "~/lib/git/display";
import type { GitChange, TGitPushInput } from "~/lib/git/schemas";
import type { Database } from "~/server/db/client";
import { CONTENT_BUDGET_BYTES, groupByBytes } from "~/server/db/sql";
import { AppError } from "~/server/errors";
import { quote } from "../files/common";
import { mib } from "../zip";
import { loadGitCredentials } from "./credentials";
import { guardedGitHttp } from "./http";
import { runOperation, type OperationTracker } from "./operations";
import {
  authOf,
  checkRemoteUrl,
  fetchBranch,
  gitFailure,
  importedTreePaths,
  remoteBranches,
  withTempDir,
  type GitRemote,
} from "./remote";
import { changesSince, loadSync, recordSync, requireProjectRemote } from "./sync";
import { writeEditedTree, type TreeEdit } from "./tree";

/**
 * The blobs of the files the project added or changed (contents read in groups of at most CONTENT_BUDGET_BYTES),
 * as edits of the synced tree with the project's deletions, and the manifest of the pushed tree: the synced
 * files' hashes with the pushed ones. A file changed again meanwhile is pushed as it is read, with that content's
 * hash; one deleted meanwhile is left as it was synced (its deletion shows as a change afterwards). `treePaths`:
 * each synced file's path in the synced tree (not the app's where the app normalized a name).
 */
async function projectEdits(
  db: Database,
  dir: string,
  projectId: string,
  synced: ReadonlyMap<string, string>,
  changes: readonly { path: string; change: GitChange }[],
  treePaths: ReadonlyMap<string, string>,
) {
  const manifest = new Map(synced);
  const edits: TreeEdit[] = [];
  for (const { path, change } of changes) {
    if (change !== "delete") continue;
    manifest.delete(path);
    edits.push({ path: treePaths.get(path) ?? path, oid: null });
  }
  const written = changes.filter((entry) => entry.change !== "delete").map((entry) => entry.path);
  const listing = await db.$queryRaw<{ file_path: string; size_bytes: number }[]>`
    SELECT file_path, size_bytes FROM project_files
     WHERE project_id = ${projectId}::uuid AND file_path = ANY(${written}::text[]) ORDER BY file_path`;
  for (const group of groupByBytes(listing, (file) => file.size_bytes, CONTENT_BUDGET_BYTES)) {
    const rows = await db.$queryRaw<{ file_path: string; content: string; is_binary: boolean; content_hash: string }[]>`
      SELECT file_path, content, is_binary, content_hash FROM project_files
       WHERE project_id = ${projectId}::uuid AND file_path = ANY(${group.map((file) => file.file_path)}::text[])
       ORDER BY file_path`;
    for (const row of rows) {
      const blob = row.is_binary ? Buffer.from(row.content, "base64") : Buffer.from(row.content, "utf8");
      edits.push({ path: treePaths.get(row.file_path) ?? row.file_path, oid: await git.writeBlob({ fs, dir, blob }) });
      manifest.set(row.file_path, row.content_hash);
    }
  }
  return { edits, hashes: [...manifest].map(([path, contentHash]) => ({ path, contentHash })) };
}

function movedOn(branch: string, remoteCommit: string): AppError {
  return new AppError(
    "CONFLICT",
    `The remote's branch ${quote(branch)} has commits this project does not have (it moved on since the last sync). Pull first.`,
    { remoteCommit },
  );
}

/** git.push: the project's files as one commit on its branch (author: the user); CONFLICT when the remote moved. */
export async function pushProject(options: {
  db: Database;
  projectId: string;
  userId: string;
  input: TGitPushInput;
}): Promise<{ commit: string; branch: string; files: number }> {
  const { db, projectId, userId, input } = options;
  const project = await requireProjectRemote(db, projectId, userId);
  return runOperation({ db, userId, projectId, kind: "push" }, (tracker) =>
    push(db, projectId, userId, project, input, tracker),
  );
}

async function push(
  db: Database,
  projectId: string,
  userId: string,
  project: Awaited<ReturnType<typeof requireProjectRemote>>,
  input: TGitPushInput,
  tracker: OperationTracker,
): Promise<{ commit: string; branch: string; files: number }> {
  const { signal } = tracker;
  const url = checkRemoteUrl(project.url);
  const credentials = await loadGitCredentials(db, projectId, input.integrationId, url);
  const remote: GitRemote = { url, credentials };
  const branch = project.branch;
  const user = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { fullName: true, email: true } });
  const sync = await loadSync(db, projectId);
  tracker.report("Connecting", 0, null);
  const { heads } = await remoteBranches(remote, signal);
  const tip = heads.get(branch) ?? null;
  if (tip === null && sync) {
    throw new AppError(
      "CONFLICT",
      `The branch ${quote(branch)} no longer exists on the remote; pull or check the repository settings.`,
      { remoteCommit: null },
    );
  }
  if (tip !== null && tip !== sync?.commit) throw movedOn(branch, tip);
  const changes = await changesSince(db, projectId, sync?.files ?? new Map());
  if (changes.length === 0 && tip !== null) {
    throw new AppError("BAD_REQUEST", "Nothing to push: no file changed since the last sync.");
  }

  // The commit and its pack are built in memory: a push is bounded like an import (IMPORT_MAX_FILES, IMPORT_MAX_TOTAL_BYTES).
  const [size] = await db.$queryRaw<{ files: number; bytes: bigint }[]>`
    SELECT count(*)::int AS files, COALESCE(sum(size_bytes), 0)::bigint AS bytes
      FROM project_files WHERE project_id = ${projectId}::uuid`;
  if (size && size.files > env.IMPORT_MAX_FILES) {
    throw new AppError("PAYLOAD_TOO_LARGE", `The project has more than ${env.IMPORT_MAX_FILES} files to push.`);
  }
  if (size && Number(size.bytes) > env.IMPORT_MAX_TOTAL_BYTES) {
    throw new AppError(
      "PAYLOAD_TOO_LARGE",
      `The project's files are larger than ${mib(env.IMPORT_MAX_TOTAL_BYTES)} to push.`,
    );
  }

  return withTempDir(async (dir) => {
    let treePaths = new Map<string, string>();
    if (tip === null) await git.init({ fs, dir, defaultBranch: branch });
    else {
      // The synced commit's tree and objects, so the pushed tree is that tree with the project's changes only.
      const fetched = await fetchBranch({
        dir,
        remote,
        branch,
        signal,
        onProgress: (event) => tracker.report(event.phase, event.loaded, event.total ?? null),
        onBytes: (loaded) => tracker.report("Downloading", loaded, null),
      });
      if (fetched !== tip) throw movedOn(branch, fetched);
      treePaths = await importedTreePaths(dir, tip);
    }
    const { edits, hashes } = await projectEdits(db, dir, projectId, sync?.files ?? new Map(), changes, treePaths);
    const tree = await writeEditedTree(dir, tip, edits);
    const now = Math.floor(Date.now() / 1000);
    const author = { name: user.fullName, email: user.email, timestamp: now, timezoneOffset: 0 };
    const commit = await git.commit({
      fs,
      dir,
      message: input.message?.trim() ? `${input.message.trim()}\n` : `${defaultCommitMessage(changes)}\n`,
      author,
      committer: author,
      tree,
      parent: tip ? [tip] : [],
      ref: `refs/heads/${branch}`,
    });
    // The last point a cancel stops the push at: once sent, the remote has the commit.
    await tracker.checkCancelled();
    const http = guardedGitHttp({ maxBytes: env.IMPORT_MAX_ARCHIVE_BYTES, signal });
    try {
      const result = await git.push({
        fs,
        http,
        dir,
        url: remote.url,
        ref: `refs/heads/${branch}`,
        remoteRef: `refs/heads/${branch}`,
        ...authOf(credentials),
      });
      if (!result.ok) throw new AppError("CONFLICT", "The remote refused the push. Pull first, then push again.");
    } catch (error) {
      // isomorphic-git checks the fast-forward against the tip its own discovery saw: a tip this repository does
      // not hold means someone pushed since the check above (nothing was sent).
      if (error instanceof Errors.NotFoundError) {
        throw new AppError(
          "CONFLICT",
          `The remote's branch ${quote(branch)} moved on while this push started (someone else pushed). Pull first.`,
        );
      }
      throw gitFailure(signal.aborted ? signal.reason : error, remote.url, Boolean(credentials.token));
    }
    await db.$transaction((tx) => recordSync(tx, projectId, commit, hashes));
    return { commit, branch, files: hashes.length };
  });
}
