/**
 * Talking to a Git remote with isomorphic-git: its refs, a branch fetched into a temporary directory that is
 * always removed, the files of a commit read within the import limits, and every failure as a message for the
 * user that never holds a credential.
 */
import fs from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import git, { Errors, type AuthCallback, type ProgressCallback, type WalkerEntry } from "isomorphic-git";
import { env } from "~/env";
import type { TGitBranchesInput } from "~/lib/git/schemas";
import { normalizeFilePath, type PathCheck } from "~/lib/paths";
import type { Database } from "~/server/db/client";
import { AppError } from "~/server/errors";
import { OutboundError, checkOutboundUrl } from "~/server/net/outbound";
import { prepareBytes, type PreparedFile } from "../files/content";
import { quote } from "../files/common";
import { assertConsistentTree, importSkipReason } from "../files/import-export";
import { mib } from "../zip";
import { DownloadTooLarge, GitTimeout, guardedGitHttp, packLimits } from "./http";
import { OperationCancelled, runOperation } from "./operations";
import { PackTooLarge, PackUnreadable } from "./pack-check";

/** The temporary directories of git work start with this, under the system's temporary folder. */
export const GIT_TEMP_PREFIX = "vaporform-git-";

export interface GitCredentials {
  username?: string | null;
  token?: string | null;
}

/** A remote as the services use it: a checked URL and what to authenticate with. */
export interface GitRemote {
  url: string;
  credentials: GitCredentials;
}

/** The checked URL (http(s), no credentials inside) or a BAD_REQUEST saying why not. */
export function checkRemoteUrl(url: string): string {
  try {
    return checkOutboundUrl(url).toString();
  } catch (error) {
    if (error instanceof OutboundError) {
      throw new AppError(
        "BAD_REQUEST",
        error.message.startsWith("Put credentials")
          ? "Put the username and token in their fields, not in the URL."
          : error.message.replace("can be called", "can be used"),
      );
    }
    throw error;
  }
}

/** Basic auth from the stored or typed credentials; a second request for them means they were refused. */
export function authOf(credentials: GitCredentials): { onAuth?: AuthCallback; onAuthFailure?: AuthCallback } {
  if (!credentials.token) return {};
  let asked = false;
  return {
    onAuth: () => {
      if (asked) return { cancel: true };
      asked = true;
      return { username: credentials.username || "git", password: credentials.token! };
    },
    onAuthFailure: () => ({ cancel: true }),
  };
}

/**
 * A user-safe AppError for anything a git call threw. The messages are ours: isomorphic-git's may carry the
 * server's answer, and nothing here names a credential.
 */
export function gitFailure(error: unknown, url: string, hasCredentials: boolean): Error {
  if (error instanceof AppError || error instanceof OperationCancelled) return error;
  if (error instanceof OutboundError) return new AppError("BAD_REQUEST", error.message);
  if (error instanceof DownloadTooLarge) {
    return new AppError(
      "PAYLOAD_TOO_LARGE",
      `The repository is larger than ${mib(error.limit)} to download, the import limit; it was stopped.`,
    );
  }
  if (error instanceof PackTooLarge) {
    const limits = packLimits();
    return new AppError(
      "PAYLOAD_TOO_LARGE",
      error.what === "object"
        ? `The repository holds a file larger than ${mib(limits.maxObjectBytes)} unpacked, over the import limit; it was stopped before unpacking.`
        : error.what === "total"
          ? `The repository unpacks to more than ${mib(limits.maxUnpackedBytes)}, over the import limit; it was stopped before unpacking.`
          : `The repository has more than ${limits.maxObjects.toLocaleString("en-US")} objects, over the import limit; it was stopped.`,
    );
  }
  if (error instanceof PackUnreadable) return new AppError("BAD_REQUEST", error.message);
  if (error instanceof GitTimeout) return new AppError("SERVICE_UNAVAILABLE", "The remote did not answer in time.");
  const host = new URL(url).host;
  if (error instanceof Errors.HttpError || error instanceof Errors.UserCanceledError) {
    const status = error instanceof Errors.HttpError ? error.data.statusCode : 401;
    if (status === 401 || status === 403) {
      return new AppError(
        "FORBIDDEN",
        hasCredentials
          ? `${host} refused the credentials (authentication failed). Check the username and token.`
          : `${host} wants credentials for this repository (authentication failed): give a username and token.`,
      );
    }
    if (status === 404) return new AppError("NOT_FOUND", `No Git repository was found at ${url}.`);
    return new AppError("BAD_REQUEST", `${host} answered HTTP ${status}; this is not a Git repository it serves.`);
  }
  if (error instanceof Errors.SmartHttpError || error instanceof Errors.ParseError) {
    return new AppError("BAD_REQUEST", `${url} is not a Git repository (its answer is not Git's).`);
  }
  if (error instanceof Errors.NotFoundError) return new AppError("NOT_FOUND", "The branch or commit was not found.");
  if (error instanceof Errors.PushRejectedError) {
    return new AppError("CONFLICT", "The remote refused the push: it has commits this project lacks. Pull first.");
  }
  if (error instanceof Errors.GitPushError) {
    return new AppError("BAD_REQUEST", "The remote refused the push.");
  }
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === "ECONNREFUSED" || code === "ECONNRESET" || code === "ENOTFOUND" || code === "EHOSTUNREACH") {
    return new AppError("SERVICE_UNAVAILABLE", `Could not connect to ${host}.`);
  }
  return new AppError("BAD_REQUEST", `The Git operation with ${host} failed.`);
}

/** The remote's branches (refs/heads/*, sorted) and the one its HEAD names. */
export async function remoteBranches(remote: GitRemote, signal?: AbortSignal) {
  const http = guardedGitHttp({ maxBytes: env.IMPORT_MAX_ARCHIVE_BYTES, signal });
  try {
    const refs = await git.listServerRefs({
      http,
      url: remote.url,
      symrefs: true,
      protocolVersion: 1,
      ...authOf(remote.credentials),
    });
    const heads = new Map<string, string>();
    let head: string | null = null;
    for (const ref of refs) {
      if (ref.ref.startsWith("refs/heads/")) heads.set(ref.ref.slice("refs/heads/".length), ref.oid);
      if (ref.ref === "HEAD" && ref.target?.startsWith("refs/heads/")) head = ref.target.slice("refs/heads/".length);
    }
    return { heads, defaultBranch: head !== null && heads.has(head) ? head : null };
  } catch (error) {
    throw gitFailure(error, remote.url, Boolean(remote.credentials.token));
  }
}

/** git.branches: the branches of a remote and its default branch (recorded: it counts in the per-user bound). */
export async function listRemoteBranches(options: { db: Database; userId: string; input: TGitBranchesInput }) {
  const { input } = options;
  const url = checkRemoteUrl(input.url);
  return runOperation(
    { db: options.db, userId: options.userId, projectId: null, kind: "branches" },
    async (tracker) => {
      tracker.report("Connecting", 0, null);
      const { heads, defaultBranch } = await remoteBranches({ url, credentials: input }, tracker.signal);
      return { branches: [...heads.keys()].sort(), defaultBranch };
    },
  );
}

/** Runs `fn` in a new temporary directory, removed afterwards whatever happens. */
export async function withTempDir<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), GIT_TEMP_PREFIX));
  try {
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** How much deeper each further fetch of a pull goes, looking for the synced commit: 16, 64, 256… commits. */
const DEEPEN_FACTOR = 4;

/** Whether `dir`'s history was cut by a shallow fetch (git's `shallow` file lists the boundary commits). */
async function isShallow(dir: string): Promise<boolean> {
  try {
    return (await readFile(join(dir, ".git", "shallow"), "utf8")).trim() !== "";
  } catch {
    return false;
  }
}

/**
 * Fetches the tip of `branch` into `dir` (no checkout); with `until`, deepens the history by growing steps until
 * that commit is there or the history ends. Every request shares one budget of IMPORT_MAX_ARCHIVE_BYTES: past it
 * the download stops. Answers the tip's commit.
 */
export async function fetchBranch(options: {
  dir: string;
  remote: GitRemote;
  branch: string;
  until?: string | null;
  signal?: AbortSignal;
  onProgress?: ProgressCallback;
  onBytes?: (loaded: number) => void;
}): Promise<string> {
  const { dir, remote, branch, until } = options;
  const http = guardedGitHttp({
    maxBytes: env.IMPORT_MAX_ARCHIVE_BYTES,
    signal: options.signal,
    onBytes: options.onBytes,
  });
  const common = { fs, http, dir, url: remote.url, ref: branch, singleBranch: true, onProgress: options.onProgress };
  try {
    await git.clone({ ...common, noCheckout: true, noTags: true, depth: 1, ...authOf(remote.credentials) });
    for (let step = DEEPEN_FACTOR * DEEPEN_FACTOR; until && !(await hasCommit(dir, until)); step *= DEEPEN_FACTOR) {
      if (!(await isShallow(dir))) break;
      await git.fetch({ ...common, tags: false, depth: step, relative: true, ...authOf(remote.credentials) });
    }
    return await git.resolveRef({ fs, dir, ref: `refs/remotes/origin/${branch}` });
  } catch (error) {
    if (error instanceof Errors.NotFoundError || (error as { code?: string }).code === "NotFoundError") {
      throw new AppError("NOT_FOUND", `The branch ${quote(branch)} does not exist on the remote.`);
    }
    throw gitFailure(
      options.signal?.aborted ? options.signal.reason : error,
      remote.url,
      Boolean(remote.credentials.token),
    );
  }
}

/** Whether `oid` is a commit present in `dir`'s object store. */
export async function hasCommit(dir: string, oid: string): Promise<boolean> {
  try {
    await git.readCommit({ fs, dir, oid });
    return true;
  } catch {
    return false;
  }
}

/**
 * Visits each file of commit `oid` the import takes, with its path in the tree and that path checked like a zip's
 * entries (`normalizeFilePath`): folders the zip import leaves out (node_modules, .git) left out, symbolic links and
 * submodules left out. `visit` may run for several files at once (walk maps the entries of a tree concurrently).
 */
async function walkImportedFiles(
  dir: string,
  oid: string,
  visit: (file: { treePath: string; checked: PathCheck; entry: WalkerEntry }) => Promise<void>,
): Promise<void> {
  await git.walk({
    fs,
    dir,
    trees: [git.TREE({ ref: oid })],
    map: async (treePath, [entry]) => {
      if (!entry || treePath === ".") return true;
      const type = await entry.type();
      if (type === "tree") return importSkipReason(`${treePath}/x`) === null ? true : null;
      if (type !== "blob") return null;
      const mode = await entry.mode();
      if (mode === 0o120000 || importSkipReason(treePath) !== null) return null;
      await visit({ treePath, checked: normalizeFilePath(treePath), entry });
      return true;
    },
  });
}

/**
 * The files of commit `oid` as the app stores them (see walkImportedFiles; a path that fails the check is a
 * BAD_REQUEST), within the import limits (IMPORT_MAX_FILES files, IMPORT_MAX_FILE_BYTES each,
 * IMPORT_MAX_TOTAL_BYTES in all).
 */
export async function readCommitFiles(dir: string, oid: string): Promise<PreparedFile[]> {
  const files: PreparedFile[] = [];
  // Counted before the first await of each visit: the visits run concurrently.
  let count = 0;
  let total = 0;
  // Two git paths can be one path here (NFC, trimmed): refused like a zip's, before a write could clash.
  const seen = new Set<string>();
  await walkImportedFiles(dir, oid, async ({ treePath, checked, entry }) => {
    if (!checked.ok) {
      throw new AppError("BAD_REQUEST", `The file ${quote(treePath)} cannot be imported: ${checked.message}`);
    }
    if (seen.has(checked.path)) {
      throw new AppError("BAD_REQUEST", `The repository contains ${quote(checked.path)} twice (as two spellings).`);
    }
    seen.add(checked.path);
    if (++count > env.IMPORT_MAX_FILES) {
      throw new AppError("PAYLOAD_TOO_LARGE", `The repository has more than ${env.IMPORT_MAX_FILES} files.`);
    }
    const bytes = (await entry.content()) ?? new Uint8Array();
    total += bytes.length;
    if (total > env.IMPORT_MAX_TOTAL_BYTES) {
      throw new AppError(
        "PAYLOAD_TOO_LARGE",
        `The repository's files are larger than ${mib(env.IMPORT_MAX_TOTAL_BYTES)}.`,
      );
    }
    files.push(prepareBytes(checked.path, bytes, env.IMPORT_MAX_FILE_BYTES));
  });
  assertConsistentTree(seen);
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * The tree path of each file of commit `oid` the import takes, by its path in the app (they differ when the
 * app's path check normalizes a name: Unicode NFC, spaces around the path); a path the check refuses is no file
 * of the app's. Reads trees only, no file's content.
 */
export async function importedTreePaths(dir: string, oid: string): Promise<Map<string, string>> {
  const paths = new Map<string, string>();
  await walkImportedFiles(dir, oid, async ({ treePath, checked }) => {
    if (checked.ok) paths.set(checked.path, treePath);
  });
  return paths;
}
