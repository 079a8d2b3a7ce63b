import type pg from "pg";
import { runMaintenance } from "~/server/db/maintenance";
import { pruneGitOperations, removeStaleGitTempDirs } from "~/server/services/git/cleanup";
import { previewHealthJob } from "~/server/services/preview/health";
import { reconcileProjectCounters } from "./counters";
import { reconcileUsageRollups } from "./rollups";

/** What a job's run gets: the worker's pool, the install's settings it needs, a log line writer. */
export interface JobContext {
  pool: pg.Pool;
  retentionMonths: number | undefined;
  log: (line: string) => void;
}

/** A JSON value a run answers; stored in job_runs.result and shown to admins. */
export type JobResult = string | number | boolean | null | JobResult[] | { [key: string]: JobResult };

/**
 * A background job: a pg-boss queue of that name, scheduled by `cron` (UTC, five fields) and runnable at once by an
 * admin. Runs never overlap across instances (the queue's policy: one active, at most one more waiting).
 */
export interface JobDefinition {
  /** Queue name: lower case, dots between words (e.g. `preview.health`). */
  name: string;
  title: string;
  description: string;
  cron: string;
  /** A run that takes longer is failed by pg-boss (and may run again on the next tick). */
  timeoutSeconds: number;
  run(context: JobContext): Promise<JobResult>;
}

const maintenance: JobDefinition = {
  name: "activity.maintenance",
  title: "Activity partitions and retention",
  description:
    "Creates the activity log's monthly partitions three months ahead, empties the default partition, drops " +
    "months past ACTIVITY_RETENTION_MONTHS, forgets job runs older than 90 days and finished git operations older " +
    "than 30 days, and removes git temporary directories (vaporform-git-*) a crash left for over an hour.",
  cron: "17 3 * * *",
  timeoutSeconds: 30 * 60,
  async run({ pool, retentionMonths }) {
    await runMaintenance(pool, { retentionMonths });
    const pruned = await pool.query("DELETE FROM job_runs WHERE started_at < now() - interval '90 days'");
    const gitOperationsPruned = await pruneGitOperations(pool);
    const gitTempDirsRemoved = await removeStaleGitTempDirs();
    return {
      retentionMonths: retentionMonths ?? null,
      jobRunsPruned: pruned.rowCount ?? 0,
      gitOperationsPruned,
      gitTempDirsRemoved,
    };
  },
};

const counters: JobDefinition = {
  name: "counters.reconcile",
  title: "Project counter reconciliation",
  description:
    "Compares each project's file count and size with its files, repairs drift and records each repair as " +
    "activity (source system).",
  cron: "41 * * * *",
  timeoutSeconds: 30 * 60,
  async run({ pool }) {
    const { projectsChecked, repaired } = await reconcileProjectCounters({ pool });
    // The first repairs in full; the activity log has every one of them.
    return {
      projectsChecked,
      projectsRepaired: repaired.length,
      repairs: repaired.slice(0, 20).map((repair) => ({ ...repair })),
    };
  },
};

const rollups: JobDefinition = {
  name: "rollups.reconcile",
  title: "AI usage rollup reconciliation",
  description:
    "Compares the last 7 days of the daily AI usage rollup with the interactions, and the per-model, per-user " +
    "and per-project rollups with it; repairs and reports drift.",
  cron: "23 * * * *",
  timeoutSeconds: 30 * 60,
  async run({ pool }) {
    const { fromDay, dailyRowsRepaired, coarseDaysRepaired } = await reconcileUsageRollups({ pool });
    return { fromDay, dailyRowsRepaired, coarseDaysRepaired };
  },
};

/**
 * The install's jobs. To add one (the preview service's `preview.health`, say): export its JobDefinition from its
 * service module and list it here, so the worker (scripts/start.ts) and the admin page (a Next process) read the
 * same list. `registerJob` adds one to this process only (tests; a worker that runs extra jobs).
 */
const BUILT_IN: JobDefinition[] = [maintenance, counters, rollups, previewHealthJob];

const registry = new Map<string, JobDefinition>(BUILT_IN.map((definition) => [definition.name, definition]));

/** Adds a job to this process's registry; a name must be lower-case words joined by dots, and new. */
export function registerJob(definition: JobDefinition): void {
  if (!/^[a-z][a-z0-9]*(\.[a-z][a-z0-9-]*)+$/.test(definition.name)) {
    throw new Error(`job name "${definition.name}" must be lower-case words joined by dots`);
  }
  if (registry.has(definition.name)) throw new Error(`job "${definition.name}" is already registered`);
  registry.set(definition.name, definition);
}

/** Every registered job, in registration order. */
export function listJobDefinitions(): JobDefinition[] {
  return [...registry.values()];
}

export function findJobDefinition(name: string): JobDefinition | undefined {
  return registry.get(name);
}
