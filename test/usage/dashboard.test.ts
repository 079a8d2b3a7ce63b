import { beforeAll, describe, expect, it } from "vitest";
import { addBuckets, LATENCY_BUCKETS, latencyBucket, percentileFromBuckets } from "~/lib/latency-buckets";
import { pool } from "../db";
import { expectFailure } from "../files/support";
import { interaction, person, project } from "./support";

/**
 * usage.dashboard and usage.mine read the rollup; every figure here is computed again from the raw
 * claude_interactions rows and must be equal.
 */
const MODELS = ["claude-opus-t", "claude-sonnet-t", "claude-unpriced-t"];
const TYPES = ["chat", "file_modification", "debug"];

let admin: Awaited<ReturnType<typeof person>>;
let alice: Awaited<ReturnType<typeof person>>;
let bob: Awaited<ReturnType<typeof person>>;
const projects: Record<string, string[]> = {};

function rng(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

beforeAll(async () => {
  admin = await person({ role: "admin" });
  alice = await person();
  bob = await person({ premium: true });
  projects[alice.userId] = [await project(alice.userId), await project(alice.userId)];
  projects[bob.userId] = [await project(bob.userId)];
  const random = rng(7);
  for (let i = 0; i < 120; i++) {
    const user = i % 3 === 0 ? bob : alice;
    const list = projects[user.userId]!;
    const model = MODELS[Math.floor(random() * MODELS.length)]!;
    const day = 1 + Math.floor(random() * 40); // 2026-10-01 .. 2026-11-09
    const at = new Date(Date.UTC(2026, 9, day, Math.floor(random() * 24), 7)).toISOString();
    await interaction(list[i % list.length]!, user.userId, {
      model,
      type: TYPES[i % TYPES.length],
      createdAt: at,
      input: Math.floor(random() * 5000),
      output: Math.floor(random() * 2000),
      cacheRead: Math.floor(random() * 20000),
      cacheWrite: Math.floor(random() * 3000),
      cacheWrite1h: i % 5 === 0 ? 1000 : 0,
      ms: Math.floor(200 + random() * 30000),
      success: random() > 0.15,
      costUsd: model === "claude-unpriced-t" ? null : (random() * 0.5).toFixed(6),
    });
  }
  // A running turn is not counted anywhere.
  await interaction(projects[alice.userId]![0]!, alice.userId, {
    status: "running",
    createdAt: "2026-10-05T00:00:00Z",
  });
});

const RANGE = "created_at >= $1::date AND created_at < ($2::date + 1) AND status <> 'running'";
const TOKENS =
  "COALESCE(input_tokens,0) + COALESCE(output_tokens,0) + cache_read_tokens + cache_write_tokens + cache_write_1h_tokens";

async function raw(sql: string, values: unknown[]) {
  return (await pool.query(sql, values)).rows;
}

describe("usage.dashboard", () => {
  it("answers the same figures as the raw interactions: totals, rates, latency, series, models, types, top lists", async () => {
    const from = "2026-10-03";
    const to = "2026-10-30";
    const dash = await admin.api.usage.dashboard({ from, to, granularity: "day", top: 50 });

    const [t] = await raw(
      `SELECT count(*)::int AS turns, count(*) FILTER (WHERE success IS FALSE)::int AS failures,
              sum(COALESCE(input_tokens,0))::int AS input, sum(COALESCE(output_tokens,0))::int AS output,
              sum(cache_read_tokens)::int AS cache_read, sum(cache_write_tokens)::int AS cache_write,
              sum(cache_write_1h_tokens)::int AS cache_write_1h, sum(${TOKENS})::int AS total,
              COALESCE(sum(cost_usd), 0)::numeric(18,6)::text AS cost,
              count(*) FILTER (WHERE cost_usd IS NULL)::int AS unpriced,
              COALESCE(sum(${TOKENS}) FILTER (WHERE cost_usd IS NULL), 0)::int AS unpriced_tokens,
              array_agg(execution_time_ms) AS times,
              count(DISTINCT user_id)::int AS users, count(DISTINCT project_id)::int AS projects
         FROM claude_interactions WHERE ${RANGE}`,
      [from, to],
    );
    expect(dash.totals).toMatchObject({
      turns: t.turns,
      failures: t.failures,
      tokens: {
        input: t.input,
        output: t.output,
        cacheRead: t.cache_read,
        cacheWrite5m: t.cache_write,
        cacheWrite1h: t.cache_write_1h,
        total: t.total,
      },
      costUsd: t.cost,
      unpricedTurns: t.unpriced,
      unpricedTokens: t.unpriced_tokens,
      activeUsers: t.users,
      activeProjects: t.projects,
    });
    expect(t.unpriced).toBeGreaterThan(0);
    expect(dash.totals.errorRate).toBeCloseTo(t.failures / t.turns, 12);
    expect(dash.totals.cacheHitRate).toBeCloseTo(
      t.cache_read / (t.input + t.cache_read + t.cache_write + t.cache_write_1h),
      12,
    );
    const buckets = addBuckets(new Array<number>(LATENCY_BUCKETS).fill(0), []);
    for (const ms of t.times as number[]) buckets[latencyBucket(ms)]! += 1;
    expect(dash.totals.latency.p50Ms).toBe(percentileFromBuckets(buckets, 0.5));
    expect(dash.totals.latency.p95Ms).toBe(percentileFromBuckets(buckets, 0.95));

    const series = await raw(
      `SELECT to_char((created_at AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD') AS period, model, count(*)::int AS turns,
              sum(${TOKENS})::int AS total, COALESCE(sum(cost_usd), 0)::numeric(18,6)::text AS cost,
              count(*) FILTER (WHERE cost_usd IS NULL)::int AS unpriced
         FROM claude_interactions WHERE ${RANGE} GROUP BY 1, 2 ORDER BY 1, 2`,
      [from, to],
    );
    expect(
      dash.series.map((s) => ({
        period: s.period,
        model: s.model,
        turns: s.turns,
        total: s.tokens.total,
        cost: s.costUsd,
        unpriced: s.unpricedTurns,
      })),
    ).toEqual(series);

    const byModel = await raw(
      `SELECT model, count(*)::int AS turns, COALESCE(sum(cost_usd), 0)::numeric(18,6)::text AS cost,
              count(*) FILTER (WHERE cost_usd IS NULL)::int AS unpriced
         FROM claude_interactions WHERE ${RANGE} GROUP BY 1 ORDER BY 1`,
      [from, to],
    );
    expect(
      dash.byModel
        .map((m) => ({ model: m.model, turns: m.turns, cost: m.costUsd, unpriced: m.unpricedTurns }))
        .sort((a, b) => a.model.localeCompare(b.model)),
    ).toEqual(byModel);
    // The unpriced model is reported as unpriced, never as a cost.
    expect(dash.byModel.find((m) => m.model === "claude-unpriced-t")).toMatchObject({ costUsd: "0.000000" });
    expect(dash.byModel.find((m) => m.model === "claude-unpriced-t")!.unpricedTurns).toBe(
      dash.byModel.find((m) => m.model === "claude-unpriced-t")!.turns,
    );

    const byType = await raw(
      `SELECT interaction_type, count(*)::int AS turns, count(*) FILTER (WHERE success IS FALSE)::int AS failures,
              COALESCE(sum(cost_usd), 0)::numeric(18,6)::text AS cost
         FROM claude_interactions WHERE ${RANGE} GROUP BY 1 ORDER BY 1`,
      [from, to],
    );
    expect(
      dash.byType
        .map((r) => ({ interaction_type: r.interactionType, turns: r.turns, failures: r.failures, cost: r.costUsd }))
        .sort((a, b) => a.interaction_type.localeCompare(b.interaction_type)),
    ).toEqual(byType);

    const users = await raw(
      `SELECT user_id, count(*)::int AS turns, COALESCE(sum(cost_usd), 0)::numeric(18,6)::text AS cost
         FROM claude_interactions WHERE ${RANGE} GROUP BY 1 ORDER BY sum(cost_usd) DESC NULLS LAST`,
      [from, to],
    );
    expect(dash.topUsers.map((u) => ({ user_id: u.userId, turns: u.turns, cost: u.costUsd }))).toEqual(users);
    expect(dash.topUsers[0]!.username).toMatch(/^usage_/);
    const projectRows = await raw(
      `SELECT project_id, count(*)::int AS turns, COALESCE(sum(cost_usd), 0)::numeric(18,6)::text AS cost
         FROM claude_interactions WHERE ${RANGE} GROUP BY 1 ORDER BY sum(cost_usd) DESC NULLS LAST`,
      [from, to],
    );
    expect(dash.topProjects.map((p) => ({ project_id: p.projectId, turns: p.turns, cost: p.costUsd }))).toEqual(
      projectRows,
    );
    expect(dash.install).toMatchObject({ projects: 3 });
    expect(dash.install.users).toBeGreaterThanOrEqual(3);
  });

  it("groups by ISO week (Monday, UTC) and limits top lists", async () => {
    const from = "2026-10-01";
    const to = "2026-11-09";
    const dash = await admin.api.usage.dashboard({ from, to, granularity: "week", top: 1 });
    const weeks = await raw(
      `SELECT to_char(date_trunc('week', (created_at AT TIME ZONE 'UTC')::date), 'YYYY-MM-DD') AS period, model,
              count(*)::int AS turns
         FROM claude_interactions WHERE ${RANGE} GROUP BY 1, 2 ORDER BY 1, 2`,
      [from, to],
    );
    expect(dash.series.map((s) => ({ period: s.period, model: s.model, turns: s.turns }))).toEqual(weeks);
    expect(new Date(`${dash.series[0]!.period}T00:00:00Z`).getUTCDay()).toBe(1);
    expect(dash.topUsers).toHaveLength(1);
    expect(dash.topProjects).toHaveLength(1);
  });

  it("refuses a non-admin, a range over 400 days and a top-N over 50", async () => {
    await expectFailure(alice.api.usage.dashboard({ from: "2026-10-01", to: "2026-10-31" }), "FORBIDDEN");
    await expectFailure(admin.api.usage.dashboard({ from: "2025-01-01", to: "2026-10-31" }), "BAD_REQUEST", /400 days/);
    await expectFailure(admin.api.usage.dashboard({ from: "2026-10-01", to: "2026-10-31", top: 51 }), "BAD_REQUEST");
  });

  it("shows an empty range as zeros with no latency, not as an error", async () => {
    const dash = await admin.api.usage.dashboard({ from: "2020-01-01", to: "2020-01-31" });
    expect(dash.totals).toMatchObject({
      turns: 0,
      costUsd: "0.000000",
      errorRate: null,
      cacheHitRate: null,
      latency: { p50Ms: null, p95Ms: null },
    });
    expect(dash.series).toEqual([]);
  });
});

describe("the coarse rollups the dashboard reads", () => {
  it("equal claude_usage_daily grouped by their keys: by day, model and type, by day and user, by day and project", async () => {
    const SUMS = `interactions, failures, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens,
                  cache_write_1h_tokens, execution_time_ms, cost_usd, unpriced_interactions, unpriced_tokens`;
    const summed = SUMS.split(",")
      .map((column) => column.trim())
      .map((column) => `sum(${column})::text AS ${column}`)
      .join(", ");
    const asText = SUMS.split(",")
      .map((column) => `${column.trim()}::text`)
      .join(", ");
    const BUCKETS = `ARRAY[${Array.from({ length: LATENCY_BUCKETS }, (_, i) => `sum(latency_buckets[${i + 1}])::int`).join(", ")}] AS latency_buckets`;
    for (const [table, key, buckets] of [
      ["claude_usage_daily_models", "day, model, interaction_type", true],
      ["claude_usage_daily_users", "day, user_id", false],
      ["claude_usage_daily_projects", "day, project_id", false],
    ] as const) {
      const kept = await raw(
        `SELECT ${key}, ${asText}${buckets ? ", latency_buckets" : ""} FROM ${table} ORDER BY ${key}`,
        [],
      );
      const grouped = await raw(
        `SELECT ${key}, ${summed}${buckets ? `, ${BUCKETS}` : ""}
           FROM claude_usage_daily GROUP BY ${key} ORDER BY ${key}`,
        [],
      );
      expect(kept.length, table).toBeGreaterThan(0);
      expect(kept, table).toEqual(grouped);
    }
  });
});

describe("usage.mine", () => {
  it("answers each user's own tokens and cost by project and month, equal to the raw rows, and nobody else's", async () => {
    const mine = await alice.api.usage.mine({ months: 24 });
    const cells = await raw(
      `SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM') AS month, project_id, count(*)::int AS turns,
              sum(${TOKENS})::int AS total, COALESCE(sum(cost_usd), 0)::numeric(18,6)::text AS cost,
              count(*) FILTER (WHERE cost_usd IS NULL)::int AS unpriced
         FROM claude_interactions WHERE user_id = $1 AND status <> 'running' GROUP BY 1, 2 ORDER BY 1 DESC, 2`,
      [alice.userId],
    );
    expect(
      mine.cells.map((c) => ({
        month: c.month,
        project_id: c.projectId,
        turns: c.turns,
        total: c.tokens.total,
        cost: c.costUsd,
        unpriced: c.unpricedTurns,
      })),
    ).toEqual(cells);
    expect(new Set(mine.cells.map((c) => c.projectId))).toEqual(new Set(projects[alice.userId]));
    const october = mine.byMonth.find((m) => m.month === "2026-10")!;
    expect(october.turns).toBe(cells.filter((c) => c.month === "2026-10").reduce((sum, c) => sum + c.turns, 0));
    expect(mine.budget.source).toBe("default");

    const one = await alice.api.usage.mine({ projectId: projects[alice.userId]![0]!, months: 24 });
    expect(new Set(one.cells.map((c) => c.projectId))).toEqual(new Set([projects[alice.userId]![0]]));
    await expectFailure(bob.api.usage.mine({ projectId: projects[alice.userId]![0]! }), "NOT_FOUND");
    const bobs = await bob.api.usage.mine({ months: 24 });
    expect(bobs.budget.source).toBe("premium-default");
    expect(bobs.cells.every((c) => c.projectId === projects[bob.userId]![0])).toBe(true);
  });
});
