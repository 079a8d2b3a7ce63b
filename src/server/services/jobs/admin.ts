import cronParser from "cron-parser";
import type pg from "pg";
import type { TRunJobInput } from "~/lib/schemas/jobs";
import type { Database } from "~/server/db/client";
import type { Actor } from "~/server/db/write";
import { AppError } from "~/server/errors";
import { countWaitingJobs, enqueueJob } from "./queue";
import { findJobDefinition, listJobDefinitions } from "./registry";

/** How many past runs of each job the admin page shows. */
const RECENT_RUNS = 5;

/** The next time `cron` (UTC) fires after `after`. */
export function nextRunAt(cron: string, after: Date = new Date()): Date {
  return cronParser.parseExpression(cron, { tz: "UTC", currentDate: after }).next().toDate();
}

/**
 * Every registered job with its schedule, its next run, whether a run waits in the queue, and its latest runs
 * (status, duration, result or error, who asked for a manual one).
 */
export async function listJobs(options: { db: Database; pool: pg.Pool }) {
  const { db, pool } = options;
  const definitions = listJobDefinitions();
  const names = definitions.map((job) => job.name);
  const runs = await db.$queryRaw<
    {
      id: string;
      job_name: string;
      triggered_by: string;
      requested_by_name: string | null;
      instance: string;
      status: string;
      started_at: Date;
      finished_at: Date | null;
      duration_ms: number | null;
      result: unknown;
      error: string | null;
    }[]
  >`
    SELECT r.id, r.job_name, r.triggered_by, u.username AS requested_by_name, r.instance, r.status, r.started_at,
           r.finished_at, r.duration_ms, r.result, r.error
      FROM unnest(${names}::text[]) AS j(name)
      CROSS JOIN LATERAL (SELECT * FROM job_runs WHERE job_name = j.name ORDER BY started_at DESC LIMIT ${RECENT_RUNS}) r
      LEFT JOIN users u ON u.id = r.requested_by
     ORDER BY r.job_name, r.started_at DESC`;
  const waiting = await countWaitingJobs(pool, names);
  const now = new Date();
  return definitions.map((job) => {
    const recent = runs
      .filter((run) => run.job_name === job.name)
      .map((run) => ({
        id: run.id,
        trigger: run.triggered_by as "schedule" | "manual",
        requestedBy: run.requested_by_name,
        instance: run.instance,
        status: run.status as "running" | "succeeded" | "failed",
        startedAt: run.started_at,
        finishedAt: run.finished_at,
        durationMs: run.duration_ms,
        result: run.result === null ? null : JSON.stringify(run.result),
        error: run.error,
      }));
    return {
      name: job.name,
      title: job.title,
      description: job.description,
      cron: job.cron,
      nextRunAt: nextRunAt(job.cron, now),
      waiting: waiting.get(job.name) ?? 0,
      lastRun: recent[0] ?? null,
      recentRuns: recent,
    };
  });
}

/**
 * Queues a run of a job now ("Run now"), for the first instance that polls; `queued: false` when one already
 * waits. An unknown name is NOT_FOUND; SERVICE_UNAVAILABLE while no instance has started the queue.
 */
export async function runJobNow(options: { pool: pg.Pool; actor: Actor } & TRunJobInput) {
  const { pool, actor, name } = options;
  if (!findJobDefinition(name)) throw new AppError("NOT_FOUND", "There is no such job.");
  if (!actor.userId) throw new AppError("UNAUTHORIZED", "Please sign in.");
  const outcome = await enqueueJob({ pool, name, requestedBy: actor.userId });
  if (outcome === "no-queue") {
    throw new AppError(
      "SERVICE_UNAVAILABLE",
      "No instance has started the job queue yet: start the app with `npm start`.",
    );
  }
  return { queued: outcome === "queued" };
}
