/**
 * The last sync of a project with its remote (`project_git_sync`): the commit, and each of its files' content
 * hash, so what changed since is a comparison of hashes in the database. Written by import, push and pull, in
 * the same transaction as what they change, with `projects.last_sync_at`.
 */
import type { GitChange } from "~/lib/git/schemas";
import type { Database } from "~/server/db/client";
import type { WriteTx } from "~/server/db/write";
import { AppError } from "~/server/errors";

type Queryable = Pick<Database, "$queryRaw" | "projectGitSync">;

/** Records `commit` (whose files are `files`: path and content hash) as the project's last sync. */
export async function recordSync(
  tx: WriteTx,
  projectId: string,
  commit: string,
  files: readonly { path: string; contentHash: string }[],
): Promise<void> {
  const manifest = Object.fromEntries(files.map((file) => [file.path, file.contentHash]));
  const now = new Date();
  await tx.projectGitSync.upsert({
    where: { projectId },
    create: { projectId, commitOid: commit, files: manifest, syncedAt: now },
    update: { commitOid: commit, files: manifest, syncedAt: now },
  });
  await tx.project.update({ where: { id: projectId }, data: { lastSyncAt: now } });
}

/** The project's last sync: the commit and its files' hashes by path (null: never synced). */
export async function loadSync(q: Queryable, projectId: string) {
  const row = await q.projectGitSync.findUnique({ where: { projectId }, select: { commitOid: true, files: true } });
  if (!row) return null;
  return { commit: row.commitOid, files: new Map(Object.entries(row.files as Record<string, string>)) };
}

/** The project's files against the synced ones (`synced`: path to content hash; empty when never synced). */
export async function changesSince(
  q: Queryable,
  projectId: string,
  synced: ReadonlyMap<string, string>,
): Promise<{ path: string; change: GitChange }[]> {
  const rows = await q.$queryRaw<{ file_path: string; content_hash: string | null }[]>`
    SELECT file_path, content_hash FROM project_files WHERE project_id = ${projectId}::uuid ORDER BY file_path`;
  const changes: { path: string; change: GitChange }[] = [];
  const present = new Set<string>();
  for (const row of rows) {
    present.add(row.file_path);
    const before = synced.get(row.file_path);
    if (before === undefined) changes.push({ path: row.file_path, change: "add" });
    else if (before !== row.content_hash) changes.push({ path: row.file_path, change: "modify" });
  }
  for (const path of synced.keys()) if (!present.has(path)) changes.push({ path, change: "delete" });
  return changes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** The project's remote as its settings hold it (NOT_FOUND for someone else's project). */
export async function loadProjectRemote(q: Pick<Database, "project">, projectId: string, userId: string) {
  const project = await q.project.findFirst({
    where: { id: projectId, userId },
    select: { repositoryType: true, repositoryUrl: true, repositoryBranch: true, lastSyncAt: true },
  });
  if (!project) throw new AppError("NOT_FOUND", "Project not found.");
  return {
    repositoryType: project.repositoryType ?? "new",
    url: project.repositoryUrl,
    branch: project.repositoryBranch || "main",
    lastSyncAt: project.lastSyncAt,
  };
}

/** The remote a push or pull goes to, or a BAD_REQUEST when the project has none. */
export async function requireProjectRemote(q: Pick<Database, "project">, projectId: string, userId: string) {
  const remote = await loadProjectRemote(q, projectId, userId);
  if (!remote.url) {
    throw new AppError(
      "BAD_REQUEST",
      "This project has no Git remote: import it from one, or set the repository URL in its settings.",
    );
  }
  return { ...remote, url: remote.url };
}
