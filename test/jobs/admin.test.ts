import { afterAll, describe, expect, it } from "vitest";
import { startJobQueue, type RunningJobQueue } from "~/server/services/jobs/queue";
import { pool } from "../db";
import { trpcError } from "../support/trpc";
import { person } from "../usage/support";

let queue: RunningJobQueue | undefined;

afterAll(async () => {
  await queue?.stop();
});

describe("admin.jobs", () => {
  it("lists every job with its schedule and next run, and Run now runs it on an instance", async () => {
    const admin = await person({ role: "admin" });
    const before = await admin.api.admin.jobs.list();
    expect(before.map((job) => job.name)).toEqual([
      "activity.maintenance",
      "counters.reconcile",
      "rollups.reconcile",
      "preview.health",
    ]);
    for (const job of before) {
      expect(job.cron).toMatch(/^\S+ \S+ \S+ \S+ \S+$/);
      expect(job.nextRunAt.getTime()).toBeGreaterThan(Date.now());
      expect(job.lastRun).toBeNull();
    }
    const daily = before.find((job) => job.name === "activity.maintenance")!;
    expect(daily.nextRunAt.getUTCHours()).toBe(3);
    expect(daily.nextRunAt.getUTCMinutes()).toBe(17);

    // The queues exist once an instance has started; until then "Run now" says so.
    const early = await trpcError(admin.api.admin.jobs.run({ name: "counters.reconcile" }));
    expect(early.code).toBe("SERVICE_UNAVAILABLE");

    queue = await startJobQueue({ pool, pollingIntervalSeconds: 0.5, log: () => {}, instance: "test-instance" });
    expect(await admin.api.admin.jobs.run({ name: "counters.reconcile" })).toEqual({ queued: true });

    let job = (await admin.api.admin.jobs.list()).find((each) => each.name === "counters.reconcile")!;
    for (let tries = 0; job.lastRun?.status !== "succeeded" && tries < 100; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      job = (await admin.api.admin.jobs.list()).find((each) => each.name === "counters.reconcile")!;
    }
    expect(job.lastRun).toMatchObject({
      status: "succeeded",
      trigger: "manual",
      instance: "test-instance",
      error: null,
    });
    expect(job.lastRun?.requestedBy).toMatch(/^usage_/);
    expect(job.lastRun?.durationMs).toBeGreaterThanOrEqual(0);
    expect(JSON.parse(job.lastRun?.result ?? "null")).toMatchObject({ projectsRepaired: 0 });
    expect(job.waiting).toBe(0);
    expect(job.recentRuns).toHaveLength(1);
  }, 30_000);

  it("refuses an unknown job and a malformed name", async () => {
    const admin = await person({ role: "admin" });
    expect((await trpcError(admin.api.admin.jobs.run({ name: "no.such-job" }))).code).toBe("NOT_FOUND");
    expect((await trpcError(admin.api.admin.jobs.run({ name: "DROP TABLE" }))).code).toBe("BAD_REQUEST");
  });
});
