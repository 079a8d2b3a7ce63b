/**
 * Git operations in PostgreSQL (`git_operations`), so any instance can show an import's progress and cancel it:
 * the runner writes its phase and byte counts at most PROGRESS_INTERVAL_MS apart and reads the cancel flag back
 * in the same statement; a cancel is only the flag (the runner, wherever it runs, stops at its next progress).
 */
import type { GitOperationKind, GitOperationStatus } from "~/lib/git/schemas";
import type { Database } from "~/server/db/client";
import { isUniqueViolation } from "~/server/db/errors";
import { AppError } from "~/server/errors";

/** Progress reaches the database at most this often (plus every change of phase). */
export const PROGRESS_INTERVAL_MS = 250;
/** A runner touches its row this often, whatever it is doing, so a row left by a stopped server can be told apart. */
export const HEARTBEAT_MS = 10_000;
/** A running operation whose row was not touched for this long died with its server: it is recorded as failed. */
export const STALE_AFTER_MS = 60_000;
/** Imports one user may have running at once (each holds up to the import limits in memory). */
export const MAX_RUNNING_IMPORTS_PER_USER = 3;
/**
 * Git work of any kind (import, push, pull, pull preview, branch list) one user may have running at once, on all
 * instances together: each may download up to IMPORT_MAX_ARCHIVE_BYTES and hold files in memory.
 */
export const MAX_RUNNING_GIT_OPERATIONS_PER_USER = 4;

/** The operation as the browser sees it. */
export interface GitOperationView {
  id: string;
  kind: GitOperationKind;
  status: GitOperationStatus;
  phase: string;
  loaded: number;
  total: number | null;
  error: string | null;
  projectId: string | null;
}

const VIEW = {
  id: true,
  kind: true,
  status: true,
  phase: true,
  loaded: true,
  total: true,
  error: true,
  projectId: true,
} as const;

function view(row: {
  id: string;
  kind: string;
  status: string;
  phase: string;
  loaded: bigint;
  total: bigint | null;
  error: string | null;
  projectId: string | null;
}): GitOperationView {
  return {
    ...row,
    kind: row.kind as GitOperationKind,
    status: row.status as GitOperationStatus,
    loaded: Number(row.loaded),
    total: row.total === null ? null : Number(row.total),
  };
}

/** Ends the running operations whose runner stopped touching them (its server stopped). */
async function expireStale(db: Database): Promise<void> {
  await db.gitOperation.updateMany({
    where: { status: "running", updatedAt: { lt: new Date(Date.now() - STALE_AFTER_MS) } },
    data: { status: "failed", error: "The operation was interrupted (the server stopped).", finishedAt: new Date() },
  });
}

/**
 * Records a new running operation of `userId` and answers its id: TOO_MANY_REQUESTS past the running imports
 * allowed, or past the git operations of any kind allowed (counted under a per-user advisory lock, so requests
 * arriving together, on any instance, cannot all pass).
 */
export async function startOperation(options: {
  db: Database;
  userId: string;
  projectId: string | null;
  kind: GitOperationKind;
}): Promise<string> {
  await expireStale(options.db);
  return options.db.$transaction(async (tx) => {
    // One start of this user's at a time: requests arriving together cannot all pass the count below.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('vf_git_operations'), hashtext(${options.userId}))`;
    const kinds = await tx.gitOperation.groupBy({
      by: ["kind"],
      where: { userId: options.userId, status: "running" },
      _count: { _all: true },
    });
    const running = kinds.reduce((sum, row) => sum + row._count._all, 0);
    const imports = kinds.find((row) => row.kind === "import")?._count._all ?? 0;
    if (options.kind === "import" && imports >= MAX_RUNNING_IMPORTS_PER_USER) {
      throw new AppError(
        "TOO_MANY_REQUESTS",
        `You have ${imports} imports running; wait for one to finish (or cancel it) before starting another.`,
      );
    }
    if (running >= MAX_RUNNING_GIT_OPERATIONS_PER_USER) {
      throw new AppError(
        "TOO_MANY_REQUESTS",
        `You have ${running} Git operations running (imports, pushes, pulls, previews, branch lists); wait for one to finish before starting another.`,
      );
    }
    const row = await tx.gitOperation.create({
      data: { userId: options.userId, projectId: options.projectId, kind: options.kind },
      select: { id: true },
    });
    return row.id;
  });
}

/** One of the caller's operations; anyone else's answers NOT_FOUND. */
export async function getOperation(options: { db: Database; userId: string; operationId: string }) {
  await expireStale(options.db);
  const row = await options.db.gitOperation.findFirst({
    where: { id: options.operationId, userId: options.userId },
    select: VIEW,
  });
  if (!row) throw new AppError("NOT_FOUND", "Operation not found.");
  return view(row);
}

/** The running operation on a project, if any (the newest). */
export async function runningOperation(db: Database, projectId: string): Promise<GitOperationView | null> {
  await expireStale(db);
  const row = await db.gitOperation.findFirst({
    where: { projectId, status: "running" },
    orderBy: { createdAt: "desc" },
    select: VIEW,
  });
  return row ? view(row) : null;
}

/** Asks a running operation of the caller to stop; a finished one is left as it ended. */
export async function cancelOperation(options: { db: Database; userId: string; operationId: string }) {
  await getOperation(options);
  await options.db.gitOperation.updateMany({
    where: { id: options.operationId, userId: options.userId, status: "running" },
    data: { cancelRequested: true, updatedAt: new Date() },
  });
  return { ok: true as const };
}

/** Thrown inside a runner when its operation was cancelled. */
export class OperationCancelled extends Error {
  override name = "OperationCancelled";
  constructor() {
    super("The operation was cancelled.");
  }
}

/**
 * The runner's side of one operation: `report` records progress (throttled, never waited for) and reads the cancel
 * flag back in the same statement; a cancel seen there aborts `signal`, which stops the runner's HTTP requests.
 * `checkCancelled` reads the flag before a step that cannot be interrupted; `finish` records the end.
 */
export class OperationTracker {
  private lastWrite = 0;
  private lastPhase = "";
  private writing: Promise<void> | null = null;
  private readonly controller = new AbortController();
  readonly signal = this.controller.signal;
  private readonly heartbeat: NodeJS.Timeout;

  constructor(
    private readonly db: Database,
    readonly id: string,
  ) {
    this.heartbeat = setInterval(() => {
      this.db.gitOperation
        .updateMany({ where: { id, status: "running" }, data: { updatedAt: new Date() } })
        .catch((error: Error) => console.warn(`[git] heartbeat of ${id} not recorded: ${error.message}`));
    }, HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  /** Records the phase and counts: at most every PROGRESS_INTERVAL_MS, or at once when the phase changed. */
  report(phase: string, loaded: number, total: number | null): void {
    const now = Date.now();
    if (this.writing || (phase === this.lastPhase && now - this.lastWrite < PROGRESS_INTERVAL_MS)) return;
    this.lastWrite = now;
    this.lastPhase = phase;
    this.writing = this.db.$queryRaw<{ cancel_requested: boolean }[]>`
      UPDATE git_operations
         SET phase = ${phase.slice(0, 100)}, loaded = ${Math.max(0, Math.round(loaded))},
             total = ${total === null ? null : Math.max(0, Math.round(total))}, updated_at = now()
       WHERE id = ${this.id}::uuid AND status = 'running'
      RETURNING cancel_requested`
      .then((rows) => {
        if (rows[0]?.cancel_requested) this.cancel();
      })
      .catch((error: Error) => console.warn(`[git] progress of ${this.id} not recorded: ${error.message}`))
      .finally(() => {
        this.writing = null;
      });
  }

  private cancel(): void {
    if (!this.signal.aborted) this.controller.abort(new OperationCancelled());
  }

  /** Reads the cancel flag now; throws OperationCancelled when it is set (or was seen before). */
  async checkCancelled(): Promise<void> {
    await this.writing;
    const row = await this.db.gitOperation.findUnique({ where: { id: this.id }, select: { cancelRequested: true } });
    if (row?.cancelRequested) this.cancel();
    if (this.signal.aborted) throw new OperationCancelled();
  }

  /** Records how the operation ended (an error message is one already safe to show). */
  async finish(
    status: Exclude<GitOperationStatus, "running">,
    extra: { error?: string; projectId?: string } = {},
  ): Promise<void> {
    clearInterval(this.heartbeat);
    await this.writing;
    await this.db.gitOperation.update({
      where: { id: this.id },
      data: {
        status,
        error: extra.error ?? null,
        ...(extra.projectId ? { projectId: extra.projectId } : {}),
        finishedAt: new Date(),
        updatedAt: new Date(),
      },
    });
  }
}

const CANCELLED_MESSAGES: Record<GitOperationKind, string> = {
  import: "The import was cancelled.",
  push: "The push was cancelled; nothing was sent.",
  pull: "The pull was cancelled; nothing was written.",
  preview: "The pull preview was cancelled.",
  branches: "The branch list was cancelled.",
};

/**
 * Runs git work as a recorded operation (so it counts in the per-user bound and can be cancelled with git.cancel):
 * `fn` gets the tracker, whose `signal` its HTTP requests take and whose `report` reads the cancel flag back. A
 * push or pull of a project: at most one runs per project at a time (a unique index on the running rows; a second
 * one answers CONFLICT). Its end is recorded whatever happens; a cancel answers CONFLICT.
 */
export async function runOperation<T>(
  options: { db: Database; userId: string; projectId: string | null; kind: Exclude<GitOperationKind, "import"> },
  fn: (tracker: OperationTracker) => Promise<T>,
): Promise<T> {
  const { db } = options;
  let id: string;
  try {
    id = await startOperation(options);
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError("CONFLICT", "A push or pull of this project is already running; try again when it ends.");
    }
    throw error;
  }
  const tracker = new OperationTracker(db, id);
  try {
    const result = await fn(tracker);
    await tracker.finish("succeeded");
    return result;
  } catch (error) {
    if (error instanceof OperationCancelled || tracker.signal.aborted) {
      await tracker.finish("cancelled").catch(() => undefined);
      throw new AppError("CONFLICT", CANCELLED_MESSAGES[options.kind]);
    }
    await tracker
      .finish("failed", { error: error instanceof AppError ? error.message : "The operation failed on our side." })
      .catch(() => undefined);
    throw error;
  }
}
