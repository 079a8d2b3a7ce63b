import { afterAll, describe, expect, it } from "vitest";
import { createPool } from "~/server/db/pool";
import { enqueueJob, installJobQueue, startJobQueue, type RunningJobQueue } from "~/server/services/jobs/queue";
import type { JobDefinition } from "~/server/services/jobs/registry";
import { pool } from "../db";
import { person } from "../usage/support";
import { startCrashableCluster } from "../support/crash-cluster";

const url = process.env.DATABASE_URL ?? "";
const running: RunningJobQueue[] = [];
const pools = [createPool(url, 6), createPool(url, 6)];

afterAll(async () => {
  await Promise.all(running.map((queue) => queue.stop()));
  await Promise.all(pools.map((each) => each.end()));
});

async function until<T>(probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

interface Run {
  instance: string;
  status: string;
  triggered_by: string;
  requested_by: string | null;
  result: unknown;
  error: string | null;
  duration_ms: number | null;
  created_minute: string;
}

async function runsOf(name: string): Promise<Run[]> {
  const { rows } = await pool.query<Run>(
    `SELECT r.instance, r.status, r.triggered_by, r.requested_by, r.result, r.error, r.duration_ms,
            to_char(date_trunc('minute', j.created_on), 'HH24:MI') AS created_minute
       FROM job_runs r LEFT JOIN pgboss.job j ON j.id = r.queue_job_id
      WHERE r.job_name = $1 ORDER BY r.started_at`,
    [name],
  );
  return rows;
}

describe("the job queue on two instances of one database", () => {
  const tick: JobDefinition = {
    name: "test.tick",
    title: "Every minute",
    description: "A test job scheduled every minute.",
    cron: "* * * * *",
    timeoutSeconds: 60,
    run: async () => ({ ticked: true }),
  };
  const broken: JobDefinition = {
    name: "test.broken",
    title: "Always fails",
    description: "A test job that throws.",
    cron: "0 0 1 1 *",
    timeoutSeconds: 60,
    run: async () => {
      throw new Error("the disk is on fire");
    },
  };

  it("runs each scheduled tick once across instances, manual runs once, and records failures", async () => {
    const admin = await person({ role: "admin" });
    const [first, second] = pools as [typeof pool, typeof pool];
    for (const [index, each] of [first, second].entries()) {
      running.push(
        await startJobQueue({
          pool: each,
          jobs: [tick, broken],
          instance: `instance-${index + 1}`,
          pollingIntervalSeconds: 0.5,
          cronMonitorIntervalSeconds: 1,
          log: () => {},
        }),
      );
    }
    expect(await enqueueJob({ pool, name: "test.broken", requestedBy: admin.userId })).toBe("queued");

    // The schedule fires for the current minute as soon as a timekeeper starts; both instances check it every second.
    await until(async () => ((await runsOf("test.tick")).some((run) => run.status === "succeeded") ? true : undefined));
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    const ticks = await runsOf("test.tick");
    const perMinute = new Map<string, number>();
    for (const run of ticks) perMinute.set(run.created_minute, (perMinute.get(run.created_minute) ?? 0) + 1);
    expect(
      [...perMinute.values()].every((count) => count === 1),
      JSON.stringify(ticks),
    ).toBe(true);
    expect(ticks.every((run) => run.triggered_by === "schedule" && run.status === "succeeded")).toBe(true);
    expect(ticks[0]?.result).toEqual({ ticked: true });

    const failed = await until(async () => (await runsOf("test.broken")).find((run) => run.status === "failed"));
    expect(failed).toMatchObject({ triggered_by: "manual", requested_by: admin.userId, error: "the disk is on fire" });
    expect(failed.duration_ms).toBeGreaterThanOrEqual(0);
    expect(await runsOf("test.broken")).toHaveLength(1);
    // One schedule row per job, whatever the number of instances that declared it.
    const { rows } = await pool.query("SELECT name FROM pgboss.schedule WHERE name LIKE 'test.%' ORDER BY name");
    expect(rows).toEqual([{ name: "test.broken" }, { name: "test.tick" }]);
  }, 60_000);

  it("queues one manual run while one waits, none for a queue no instance created", async () => {
    const admin = await person({ role: "admin" });
    const { rows } = await pool.query("SELECT 1 FROM pgboss.queue WHERE name = 'test.idle'");
    if (rows.length === 0) await pool.query(`SELECT pgboss.create_queue('test.idle', '{"policy":"stately"}')`);
    expect(await enqueueJob({ pool, name: "test.never", requestedBy: admin.userId })).toBe("no-queue");
    expect(await enqueueJob({ pool, name: "test.idle", requestedBy: admin.userId })).toBe("queued");
    expect(await enqueueJob({ pool, name: "test.idle", requestedBy: admin.userId })).toBe("waiting");
  });
});

describe("the job queue across a database restart", () => {
  it("keeps polling while the database is down and runs the next job once it is back", async () => {
    const cluster = await startCrashableCluster();
    const clusterPool = createPool(cluster.url, 4);
    let calls = 0;
    const job: JobDefinition = {
      name: "test.after-restart",
      title: "After a restart",
      description: "Counts its runs.",
      cron: "0 0 1 1 *",
      timeoutSeconds: 60,
      run: async () => ++calls,
    };
    try {
      await installJobQueue(clusterPool);
      const queue = await startJobQueue({
        pool: clusterPool,
        jobs: [job],
        pollingIntervalSeconds: 0.5,
        log: () => {},
      });
      const { rows: users } = await clusterPool.query<{ id: string }>(
        "INSERT INTO users (email, username, full_name, password_hash, role) VALUES ('r@example.com', 'r', 'R', 'x', 'admin') RETURNING id",
      );
      await cluster.crash();
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      await cluster.restart();
      await until(async () => {
        try {
          return (await enqueueJob({ pool: clusterPool, name: job.name, requestedBy: users[0]!.id })) === "queued"
            ? true
            : undefined;
        } catch {
          return undefined;
        }
      });
      await until(async () => (calls > 0 ? true : undefined));
      expect(calls).toBe(1);
      await queue.stop();
    } finally {
      await clusterPool.end();
      await cluster.stop();
    }
  }, 90_000);
});
