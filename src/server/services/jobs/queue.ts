import os from "node:os";
import PgBoss from "pg-boss";
import type pg from "pg";
import { listJobDefinitions, type JobDefinition, type JobResult } from "./registry";

/** pg-boss's own schema (its tables, functions and migrations); the app's tables stay in `public`. */
export const QUEUE_SCHEMA = "pgboss";

/** What a queued job carries: set by "Run now"; scheduled jobs carry nothing. */
interface JobData {
  trigger?: "manual";
  requestedBy?: string;
}

/** pg-boss on one of our pools, so its queries get the pool's timeouts and survive what the pool survives. */
function createBoss(pool: pg.Pool, options: PgBoss.ConstructorOptions, log: (line: string) => void): PgBoss {
  const boss = new PgBoss({
    db: { executeSql: (text, values) => pool.query(text, values) },
    schema: QUEUE_SCHEMA,
    ...options,
  });
  // Without a listener an `error` event would end the process. While the database is down every poll fails, so
  // one line a minute is enough to say so.
  let lastLogged = 0;
  boss.on("error", (error: Error) => {
    if (Date.now() - lastLogged < 60_000) return;
    lastLogged = Date.now();
    log(`[jobs] ${error.message} (the queue keeps retrying; further errors this minute not shown)`);
  });
  return boss;
}

/**
 * Creates or upgrades pg-boss's schema. pg-boss does it under its own advisory lock, so several instances may
 * start at once. Part of `npm run db:migrate`, of `npm start` and of the test database template.
 */
export async function installJobQueue(pool: pg.Pool): Promise<void> {
  const boss = createBoss(pool, { migrate: true, schedule: false, supervise: false }, console.warn);
  await boss.start();
  await boss.stop({ graceful: false, close: false });
}

export interface JobQueueOptions {
  pool: pg.Pool;
  /** Defaults to every registered job (./registry.ts). */
  jobs?: JobDefinition[];
  retentionMonths?: number;
  log?: (line: string) => void;
  /** How this instance is named in job_runs; defaults to host:pid. */
  instance?: string;
  /** How often an idle worker asks for a job (pg-boss polls; it needs no LISTEN connection). Default 10 s. */
  pollingIntervalSeconds?: number;
  /** How often one instance (whichever claims the tick) checks the schedules. Default 30 s. */
  cronMonitorIntervalSeconds?: number;
}

export interface RunningJobQueue {
  /** Stops taking jobs, waits (at most 10 s) for the running ones, marks the rest failed. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Starts the job queue in this process: ensures each job's queue and schedule, and works the jobs. Safe with any
 * number of instances on one database: pg-boss lets one instance per tick turn a schedule into a job, deduplicated
 * per minute, and each queue's `stately` policy keeps one run active (and at most one more waiting) install-wide.
 * A lost database only makes polls fail (logged once a minute) until it is back.
 */
export async function startJobQueue(options: JobQueueOptions): Promise<RunningJobQueue> {
  const { pool, retentionMonths } = options;
  const jobs = options.jobs ?? listJobDefinitions();
  const log = options.log ?? console.warn;
  const instance = (options.instance ?? `${os.hostname()}:${process.pid}`).slice(0, 200);
  const boss = createBoss(
    pool,
    {
      migrate: true,
      schedule: true,
      supervise: true,
      ...(options.cronMonitorIntervalSeconds ? { cronMonitorIntervalSeconds: options.cronMonitorIntervalSeconds } : {}),
    },
    log,
  );
  await boss.start();
  try {
    for (const job of jobs) {
      await ensureQueue(boss, job);
      await boss.schedule(job.name, job.cron, {}, { tz: "UTC" });
    }
    // A job no longer defined would go on being queued with nobody to run it.
    const names = new Set(jobs.map((job) => job.name));
    for (const schedule of await boss.getSchedules()) {
      if (!names.has(schedule.name)) await boss.unschedule(schedule.name);
    }
    for (const job of jobs) {
      await boss.work<JobData>(
        job.name,
        { batchSize: 1, pollingIntervalSeconds: options.pollingIntervalSeconds ?? 10 },
        async ([queued]) => {
          if (!queued) return null;
          return runRecorded({ pool, job, queued, instance, retentionMonths, log });
        },
      );
    }
  } catch (error) {
    await boss.stop({ graceful: false, close: false }).catch(() => {});
    throw error;
  }
  let stopping: Promise<void> | undefined;
  return {
    stop: () => (stopping ??= boss.stop({ graceful: true, timeout: 10_000, close: false })),
  };
}

async function ensureQueue(boss: PgBoss, job: JobDefinition) {
  const queue = { name: job.name, policy: "stately" as const, retryLimit: 0, expireInSeconds: job.timeoutSeconds };
  if (await boss.getQueue(job.name)) {
    await boss.updateQueue(job.name, queue);
    return;
  }
  try {
    await boss.createQueue(job.name, queue);
  } catch (error) {
    // Another instance created it between our look and our insert.
    if (!(await boss.getQueue(job.name))) throw error;
  }
}

/** Runs one queued job, recording it in job_runs (running, then succeeded or failed with the error). */
async function runRecorded(options: {
  pool: pg.Pool;
  job: JobDefinition;
  queued: PgBoss.Job<JobData>;
  instance: string;
  retentionMonths: number | undefined;
  log: (line: string) => void;
}): Promise<JobResult> {
  const { pool, job, queued, instance, log } = options;
  const manual = queued.data?.trigger === "manual";
  // A run whose instance died (or lost the database) mid-run stays "running": past the job's timeout, it is not.
  await pool.query(
    `UPDATE job_runs SET status = 'failed', finished_at = now(), error = 'did not finish: its instance stopped or lost the database'
      WHERE job_name = $1 AND status = 'running' AND started_at < now() - make_interval(secs => $2)`,
    [job.name, job.timeoutSeconds],
  );
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO job_runs (job_name, queue_job_id, triggered_by, requested_by, instance)
     VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [job.name, queued.id, manual ? "manual" : "schedule", manual ? (queued.data.requestedBy ?? null) : null, instance],
  );
  const runId = rows[0]!.id;
  const started = Date.now();
  try {
    const result = await job.run({ pool, retentionMonths: options.retentionMonths, log });
    await pool.query(
      `UPDATE job_runs SET status = 'succeeded', finished_at = now(), duration_ms = $2, result = $3 WHERE id = $1`,
      [runId, Date.now() - started, JSON.stringify(result)],
    );
    return result;
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).slice(0, 4000) || "failed";
    log(`[jobs] ${job.name} failed: ${message}`);
    await pool
      .query(`UPDATE job_runs SET status = 'failed', finished_at = now(), duration_ms = $2, error = $3 WHERE id = $1`, [
        runId,
        Date.now() - started,
        message,
      ])
      .catch(() => {});
    throw error;
  }
}

/** How many runs of each job wait in the queue (queued, not yet taken by an instance); 0 for an unknown queue. */
export async function countWaitingJobs(pool: pg.Pool, names: string[]): Promise<Map<string, number>> {
  const boss = createBoss(pool, { migrate: false, schedule: false, supervise: false }, console.warn);
  const counts = new Map<string, number>();
  for (const name of names) counts.set(name, (await boss.getQueueSize(name)) ?? 0);
  return counts;
}

/**
 * Queues a run of `name` now, for whichever instance polls first: `queued`, or `waiting` when one already waits
 * (the queue keeps at most one, so clicks do not pile up), or `no-queue` when no instance has created the job's
 * queue yet. Needs no running worker in this process.
 */
export async function enqueueJob(options: {
  pool: pg.Pool;
  name: string;
  requestedBy: string;
}): Promise<"queued" | "waiting" | "no-queue"> {
  const boss = createBoss(options.pool, { migrate: false, schedule: false, supervise: false }, console.warn);
  if (!(await boss.getQueue(options.name))) return "no-queue";
  const data: JobData = { trigger: "manual", requestedBy: options.requestedBy };
  return (await boss.send(options.name, data)) === null ? "waiting" : "queued";
}
