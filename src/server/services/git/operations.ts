/**
 * Git operations in PostgreSQL (`git_operations`), so any instance can show an import's progress and cancel it:
 * the runner writes its phase and byte counts at most PROGRESS_INTERVAL_MS apart and reads the cancel flag back
 * in the same statement; a cancel is only the flag (the runner, wherever it runs, stops at its next progress).
 */
import type { GitOperationKind, GitOperationStatus } from "~/lib/git/schemas";
import type { Database } from "~/server/db/client";
import { AppError } from "~/server/errors";

/** Progress reaches the database at most this often (plus every change of phase). */
export const PROGRESS_INTERVAL_MS = 250;

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

/** Records a new running operation of `userId` and answers its id. */
export async function startOperation(options: {
  db: Database;
  userId: string;
  projectId: string | null;
  kind: GitOperationKind;
}): Promise<string> {
  const row = await options.db.gitOperation.create({
    data: { userId: options.userId, projectId: options.projectId, kind: options.kind },
    select: { id: true },
  });
  return row.id;
}

/** One of the caller's operations; anyone else's answers NOT_FOUND. */
export async function getOperation(options: { db: Database; userId: string; operationId: string }) {
  const row = await options.db.gitOperation.findFirst({
    where: { id: options.operationId, userId: options.userId },
    select: VIEW,
  });
  if (!row) throw new AppError("NOT_FOUND", "Operation not found.");
  return view(row);
}

/** The running operation on a project, if any (the newest). */
export async function runningOperation(db: Database, projectId: string): Promise<GitOperationView | null> {
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
 * The runner's side of one operation: `progress` writes (throttled) and says whether a cancel was asked for;
 * `finish` records the end once. `signal` aborts the runner's HTTP requests as soon as a cancel is seen.
 */
export class OperationTracker {
  private lastWrite = 0;
  private lastPhase = "";
  private cancelled = false;
  private readonly controller = new AbortController();
  readonly signal = this.controller.signal;

  constructor(
    private readonly db: Database,
    readonly id: string,
  ) {}

  /** Records the phase and counts (at most every PROGRESS_INTERVAL_MS unless the phase changed). */
  async progress(phase: string, loaded: number, total: number | null): Promise<void> {
    const now = Date.now();
    if (phase === this.lastPhase && now - this.lastWrite < PROGRESS_INTERVAL_MS) return this.assertRunning();
    this.lastWrite = now;
    this.lastPhase = phase;
    const rows = await this.db.$queryRaw<{ cancel_requested: boolean }[]>`
      UPDATE git_operations
         SET phase = ${phase.slice(0, 100)}, loaded = ${Math.max(0, Math.round(loaded))},
             total = ${total === null ? null : Math.max(0, Math.round(total))}, updated_at = now()
       WHERE id = ${this.id}::uuid
      RETURNING cancel_requested`;
    if (rows[0]?.cancel_requested) {
      this.cancelled = true;
      this.controller.abort(new OperationCancelled());
    }
    return this.assertRunning();
  }

  /** Reads the cancel flag now (before a step that cannot be interrupted, like the final transaction). */
  async checkCancelled(): Promise<void> {
    const row = await this.db.gitOperation.findUnique({ where: { id: this.id }, select: { cancelRequested: true } });
    if (row?.cancelRequested) {
      this.cancelled = true;
      this.controller.abort(new OperationCancelled());
    }
    return this.assertRunning();
  }

  private assertRunning(): void {
    if (this.cancelled) throw new OperationCancelled();
  }

  /** Records how the operation ended (an error message is one already safe to show). */
  async finish(
    status: Exclude<GitOperationStatus, "running">,
    extra: { error?: string; projectId?: string } = {},
  ): Promise<void> {
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
