/**
 * A pull: the remote branch's changes since the last synced commit merged into the project's files, three ways
 * (base: the synced commit; theirs: the remote's tip; ours: the project's files now), with the template upgrade's
 * merge (`mergeFileSets`) and review (`merge-review.ts`). A project without changes since the sync takes the
 * remote's files as they are (a fast-forward). The preview writes nothing; the apply fetches again, refuses when
 * the remote or the project changed since the preview (CONFLICT), and writes in ONE transaction as the system
 * acting for the user, recording the new synced commit.
 */
import type { TGitPullApplyInput, TGitPullPreviewInput } from "~/lib/git/schemas";
import type { Database } from "~/server/db/client";
import { makeActor, withWrite, type Actor } from "~/server/db/write";
import { AppError } from "~/server/errors";
import { applyFileChanges, type AppliedChange, type PreparedFile } from "../files";
import { quote } from "../files/common";
import { liveFiles, planMergeApply, previewFiles, withTreeClashes, type ReviewFile } from "../merge-review";
import { mergeFileSets, type FileSet } from "../templates/merge";
import { loadGitCredentials } from "./credentials";
import { runOperation, type OperationTracker } from "./operations";
import { checkRemoteUrl, fetchBranch, hasCommit, readCommitFiles, remoteBranches, withTempDir } from "./remote";
import { changesSince, loadSync, recordSync, requireProjectRemote } from "./sync";

type Queryable = Pick<Database, "$queryRaw">;

/** How many paths the activity row names (the counts cover the rest). */
const ACTIVITY_MAX_PATHS = 100;

export interface GitPullPreview {
  upToDate: boolean;
  /** The project has no change since the last sync: the remote's files are taken as they are. */
  fastForward: boolean;
  branch: string;
  remoteCommit: string;
  /** The synced commit the merge starts from (null: never synced, or no longer in the remote's history). */
  baseCommit: string | null;
  files: ReviewFile[];
  cleanCount: number;
  conflictCount: number;
}

interface RemoteSides {
  branch: string;
  remoteCommit: string;
  baseCommit: string | null;
  base: FileSet;
  theirs: PreparedFile[];
}

function fileSet(files: PreparedFile[]): FileSet {
  return new Map(files.map((file) => [file.path, { content: file.content, isBinary: file.isBinary }]));
}

/**
 * The project's remote and the two remote sides of the merge: the branch's tip fetched into a temporary directory
 * (removed before this answers), with as much history as it takes to reach the synced commit, its tip's files and
 * the synced commit's. `upToDate` when the tip is the
 * synced commit (nothing is downloaded then).
 */
async function fetchSides(
  db: Database,
  projectId: string,
  userId: string,
  integrationId: string | undefined,
  tracker: OperationTracker,
) {
  const { signal } = tracker;
  const project = await requireProjectRemote(db, projectId, userId);
  const url = checkRemoteUrl(project.url);
  const credentials = await loadGitCredentials(db, projectId, integrationId, url);
  const remote = { url, credentials };
  const sync = await loadSync(db, projectId);
  tracker.report("Connecting", 0, null);
  const { heads } = await remoteBranches(remote, signal);
  const tip = heads.get(project.branch);
  if (tip === undefined) {
    throw new AppError("NOT_FOUND", `The branch ${quote(project.branch)} does not exist on the remote: push first.`);
  }
  if (tip === sync?.commit) return { upToDate: true as const, branch: project.branch, tip, sync };
  const sides = await withTempDir(async (dir): Promise<RemoteSides> => {
    const remoteCommit = await fetchBranch({
      dir,
      remote,
      branch: project.branch,
      until: sync?.commit ?? null,
      signal,
      onProgress: (event) => tracker.report(event.phase, event.loaded, event.total ?? null),
      onBytes: (loaded) => tracker.report("Downloading", loaded, null),
    });
    const theirs = await readCommitFiles(dir, remoteCommit);
    const baseCommit = sync && (await hasCommit(dir, sync.commit)) ? sync.commit : null;
    const base = baseCommit ? fileSet(await readCommitFiles(dir, baseCommit)) : new Map();
    return { branch: project.branch, remoteCommit, baseCommit, base, theirs };
  });
  return { upToDate: false as const, sides, sync };
}

/** The merge of the remote's changes into the project's files now (their rows locked with `lock`). */
async function mergeRemote(q: Queryable, projectId: string, sides: RemoteSides, lock: boolean) {
  const theirs = fileSet(sides.theirs);
  const live = await liveFiles(q, projectId, [...new Set([...sides.base.keys(), ...theirs.keys()])], lock);
  const merged = mergeFileSets(sides.base, theirs, live, {
    theirsVersion: sides.remoteCommit.slice(0, 7),
    theirsLabel: "remote",
  });
  return { entries: await withTreeClashes(q, projectId, merged), live };
}

/** git.pullPreview: what pulling the remote's branch would change, file by file; writes nothing. */
export async function previewGitPull(options: {
  db: Database;
  projectId: string;
  userId: string;
  input: TGitPullPreviewInput;
}): Promise<GitPullPreview> {
  const { db, projectId, userId } = options;
  await requireProjectRemote(db, projectId, userId);
  // Recorded (without the project: a preview never blocks a push or pull) to count in the per-user bound.
  return runOperation({ db, userId, projectId: null, kind: "preview" }, (tracker) => preview(options, tracker));
}

async function preview(
  options: Parameters<typeof previewGitPull>[0],
  tracker: OperationTracker,
): Promise<GitPullPreview> {
  const { db, projectId, userId } = options;
  const fetched = await fetchSides(db, projectId, userId, options.input.integrationId, tracker);
  if (fetched.upToDate) {
    return {
      upToDate: true,
      fastForward: true,
      branch: fetched.branch,
      remoteCommit: fetched.tip,
      baseCommit: fetched.sync?.commit ?? null,
      files: [],
      cleanCount: 0,
      conflictCount: 0,
    };
  }
  const { sides, sync } = fetched;
  const { entries, live } = await mergeRemote(db, projectId, sides, false);
  const changed = await changesSince(db, projectId, sync?.files ?? new Map());
  return {
    upToDate: false,
    fastForward: sync !== null && sides.baseCommit !== null && changed.length === 0,
    branch: sides.branch,
    remoteCommit: sides.remoteCommit,
    baseCommit: sides.baseCommit,
    ...previewFiles(entries, live),
  };
}

/**
 * git.pullApply: pulls as the preview showed. CONFLICT when the remote's tip is no longer `remoteCommit`, when the
 * project synced since (another push or pull), or when a file the preview showed changed; every collision needs
 * its resolution. Writes as the system acting for the user, in ONE transaction with the new synced commit.
 */
export async function applyGitPull(options: {
  db: Database;
  actor: Actor;
  projectId: string;
  userId: string;
  input: TGitPullApplyInput;
}): Promise<{ written: number; deleted: number; commit: string }> {
  const { db, projectId, userId } = options;
  await requireProjectRemote(db, projectId, userId);
  return runOperation({ db, userId, projectId, kind: "pull" }, (tracker) => pull(options, tracker));
}

async function pull(options: Parameters<typeof applyGitPull>[0], tracker: OperationTracker) {
  const { db, projectId, userId, input } = options;
  const fetched = await fetchSides(db, projectId, userId, input.integrationId, tracker);
  if (fetched.upToDate) {
    throw new AppError(
      "CONFLICT",
      fetched.tip === input.remoteCommit
        ? "This project is already at the remote's commit: nothing to pull."
        : "The remote changed since you reviewed this pull. Review the pull again.",
    );
  }
  const { sides, sync } = fetched;
  if (sides.remoteCommit !== input.remoteCommit) {
    throw new AppError("CONFLICT", "The remote has new commits since you reviewed this pull. Review the pull again.", {
      remoteCommit: sides.remoteCommit,
    });
  }
  // A cancel asked for during the download stops the pull here, before anything is written.
  await tracker.checkCancelled();
  const actor = makeActor({ userId: options.actor.userId, source: "system" });
  return withWrite(
    db,
    actor,
    async (tx) => {
      await tx.$queryRaw`SELECT 1 AS locked FROM projects WHERE id = ${projectId}::uuid FOR UPDATE`;
      if ((await loadSync(tx, projectId))?.commit !== sync?.commit) {
        throw new AppError("CONFLICT", "The project was synced since you reviewed this pull. Review the pull again.");
      }
      const { entries, live } = await mergeRemote(tx, projectId, sides, true);
      const { changes, conflictsResolved } = await planMergeApply(tx, projectId, entries, live, input, {
        action: "pull",
        verbing: "pulling",
        theirs: "the remote's",
      });
      const written: AppliedChange[] = await applyFileChanges(tx, projectId, actor, changes);
      await recordSync(tx, projectId, sides.remoteCommit, sides.theirs);
      const deleted = written.filter((change) => change.action === "deleted").length;
      await tx.projectActivity.create({
        data: {
          projectId,
          userId: actor.userId,
          activityType: "git_pulled",
          description: `Pulled ${sides.branch} at ${sides.remoteCommit.slice(0, 7)}`,
          metadata: {
            branch: sides.branch,
            from_commit: sides.baseCommit,
            to_commit: sides.remoteCommit,
            written: written.length - deleted,
            deleted,
            conflicts_resolved: conflictsResolved,
          },
          affectedResources: written.slice(0, ACTIVITY_MAX_PATHS).map((change) => change.path),
          sourceType: actor.source,
        },
      });
      return { written: written.length - deleted, deleted, commit: sides.remoteCommit };
    },
    { lockPathsOf: projectId, timeout: 60_000 },
  );
}
