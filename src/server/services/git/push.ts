/**
 * A push: the project's files as ONE commit on its branch, whose parent is the commit of the last sync. Nothing is
 * downloaded: the commit's objects are written into an empty temporary repository and sent; the remote already
 * holds the parent. When the remote's branch is no longer at the synced commit (someone else pushed), the push is
 * refused before anything is sent: pull first. A project that was never synced (repository type `new` with a URL
 * in its settings) pushes its first commit to an empty remote or a branch that does not exist yet.
 */
import fs from "node:fs";
import git from "isomorphic-git";
import { env } from "~/env";
import { defaultCommitMessage } from "~/lib/git/display";
import type { TGitPushInput } from "~/lib/git/schemas";
import type { Database } from "~/server/db/client";
import { CONTENT_BUDGET_BYTES, groupByBytes } from "~/server/db/sql";
import { AppError } from "~/server/errors";
import { quote } from "../files/common";
import { loadGitCredentials } from "./credentials";
import { guardedGitHttp } from "./http";
import { runProjectOperation } from "./operations";
import { authOf, checkRemoteUrl, gitFailure, remoteBranches, withTempDir, type GitRemote } from "./remote";
import { changesSince, loadSync, recordSync, requireProjectRemote } from "./sync";

/** How many changed paths the default commit message lists. */

interface TreeNode {
  blobs: Map<string, string>;
  trees: Map<string, TreeNode>;
}

/** Writes `node` and its subtrees bottom-up; answers the tree's id. */
async function writeTreeNode(dir: string, node: TreeNode): Promise<string> {
  const tree: { mode: string; path: string; oid: string; type: "blob" | "tree" }[] = [];
  for (const [name, child] of node.trees)
    tree.push({ mode: "040000", path: name, oid: await writeTreeNode(dir, child), type: "tree" });
  for (const [name, oid] of node.blobs) tree.push({ mode: "100644", path: name, oid, type: "blob" });
  return git.writeTree({ fs, dir, tree });
}

/**
 * Writes every file of the project as a blob (contents read in groups of at most CONTENT_BUDGET_BYTES) and the
 * trees above them; answers the root tree and each file's content hash.
 */
async function writeProjectTree(db: Database, dir: string, projectId: string) {
  const listing = await db.$queryRaw<{ file_path: string; size_bytes: number }[]>`
    SELECT file_path, size_bytes FROM project_files WHERE project_id = ${projectId}::uuid ORDER BY file_path`;
  const root: TreeNode = { blobs: new Map(), trees: new Map() };
  const hashes: { path: string; contentHash: string }[] = [];
  for (const group of groupByBytes(listing, (file) => file.size_bytes, CONTENT_BUDGET_BYTES)) {
    const rows = await db.$queryRaw<{ file_path: string; content: string; is_binary: boolean; content_hash: string }[]>`
      SELECT file_path, content, is_binary, content_hash FROM project_files
       WHERE project_id = ${projectId}::uuid AND file_path = ANY(${group.map((file) => file.file_path)}::text[])
       ORDER BY file_path`;
    for (const row of rows) {
      const blob = row.is_binary ? Buffer.from(row.content, "base64") : Buffer.from(row.content, "utf8");
      const oid = await git.writeBlob({ fs, dir, blob });
      const segments = row.file_path.split("/");
      let node = root;
      for (const segment of segments.slice(0, -1)) {
        let next = node.trees.get(segment);
        if (!next) node.trees.set(segment, (next = { blobs: new Map(), trees: new Map() }));
        node = next;
      }
      node.blobs.set(segments.at(-1)!, oid);
      hashes.push({ path: row.file_path, contentHash: row.content_hash });
    }
  }
  return { tree: await writeTreeNode(dir, root), hashes };
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
  return runProjectOperation({ db, userId, projectId, kind: "push" }, () =>
    push(db, projectId, userId, project, input),
  );
}

async function push(
  db: Database,
  projectId: string,
  userId: string,
  project: Awaited<ReturnType<typeof requireProjectRemote>>,
  input: TGitPushInput,
): Promise<{ commit: string; branch: string; files: number }> {
  const credentials = await loadGitCredentials(db, projectId, input.integrationId);
  const remote: GitRemote = { url: checkRemoteUrl(project.url), credentials };
  const branch = project.branch;
  const user = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { fullName: true, email: true } });
  const sync = await loadSync(db, projectId);
  const { heads } = await remoteBranches(remote);
  const tip = heads.get(branch) ?? null;
  if (tip !== (sync?.commit ?? null)) {
    throw new AppError(
      "CONFLICT",
      tip === null
        ? `The branch ${quote(branch)} no longer exists on the remote; pull or check the repository settings.`
        : `The remote's branch ${quote(branch)} has commits this project does not have (it moved on since the last sync). Pull first.`,
      { remoteCommit: tip },
    );
  }
  const changes = await changesSince(db, projectId, sync?.files ?? new Map());
  if (changes.length === 0 && tip !== null) {
    throw new AppError("BAD_REQUEST", "Nothing to push: no file changed since the last sync.");
  }

  return withTempDir(async (dir) => {
    await git.init({ fs, dir, defaultBranch: branch });
    const { tree, hashes } = await writeProjectTree(db, dir, projectId);
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
    const http = guardedGitHttp({ maxBytes: env.IMPORT_MAX_ARCHIVE_BYTES });
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
      throw gitFailure(error, remote.url, Boolean(credentials.token));
    }
    await db.$transaction((tx) => recordSync(tx, projectId, commit, hashes));
    return { commit, branch, files: hashes.length };
  });
}
