import { describe, expect, it } from "vitest";
import { LATENCY_BUCKETS, latencyBucket } from "~/lib/latency-buckets";
import { turnCostUsd } from "~/lib/pricing";
import { pool } from "../db";
import { createInteraction, createProject, db, one, rows } from "./helpers";

const KEY = "day, user_id, project_id, model, interaction_type";
const SUMS = `interactions, failures, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens,
              cache_write_1h_tokens, execution_time_ms, cost_usd::text AS cost_usd, unpriced_interactions,
              unpriced_tokens, latency_buckets`;

/** The rollup rows of a user, and the same aggregate computed from the raw table: they must be equal. */
async function rollupAndTruth(userId: string) {
  const rollup = await rows(db, `SELECT ${KEY}, ${SUMS} FROM claude_usage_daily WHERE user_id = $1 ORDER BY ${KEY}`, [
    userId,
  ]);
  // A running turn is not counted until it ends.
  const finished = `FROM claude_interactions WHERE user_id = $1 AND status <> 'running'`;
  const sums = await rows(
    db,
    `SELECT (created_at AT TIME ZONE 'UTC')::date AS day, user_id, project_id, model, interaction_type,
            count(*)::int AS interactions, count(*) FILTER (WHERE success IS FALSE)::int AS failures,
            sum(COALESCE(input_tokens, 0))::bigint AS input_tokens, sum(COALESCE(output_tokens, 0))::bigint AS output_tokens,
            sum(cache_read_tokens)::bigint AS cache_read_tokens, sum(cache_write_tokens)::bigint AS cache_write_tokens,
            sum(cache_write_1h_tokens)::bigint AS cache_write_1h_tokens,
            sum(COALESCE(execution_time_ms, 0))::bigint AS execution_time_ms,
            sum(COALESCE(cost_usd, 0))::numeric(18,6)::text AS cost_usd,
            count(*) FILTER (WHERE cost_usd IS NULL)::int AS unpriced_interactions,
            COALESCE(sum(COALESCE(input_tokens, 0) + COALESCE(output_tokens, 0) + cache_read_tokens
                         + cache_write_tokens + cache_write_1h_tokens) FILTER (WHERE cost_usd IS NULL), 0)::bigint
              AS unpriced_tokens,
            array_agg(COALESCE(execution_time_ms, 0)) AS times
       ${finished} GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5`,
    [userId],
  );
  // The histogram from the app's own bucket function (src/lib/latency-buckets.ts), so the two stay in step.
  const truth = sums.map(({ times, ...row }) => {
    const buckets = new Array<number>(LATENCY_BUCKETS).fill(0);
    for (const ms of times as number[]) buckets[latencyBucket(ms)]! += 1;
    return { ...row, latency_buckets: buckets };
  });
  return { rollup, truth };
}

describe("claude_usage_daily rollup", () => {
  it("mirrors claude_interactions exactly after inserts, updates and deletes", async () => {
    const project = await createProject();
    const u = project.userId;
    const a = await createInteraction(db, project.id, u, { createdAt: "2026-03-01T10:00:00Z", inputTokens: 10 });
    await createInteraction(db, project.id, u, {
      createdAt: "2026-03-01T23:59:59Z",
      success: false,
      cacheReadTokens: 7,
    });
    const c = await createInteraction(db, project.id, u, { createdAt: "2026-03-02T00:00:00Z", type: "debug" });

    let state = await rollupAndTruth(u);
    expect(state.rollup).toHaveLength(2);
    expect(state.rollup).toEqual(state.truth);
    expect(state.rollup[0]).toMatchObject({
      interactions: 2,
      failures: 1,
      input_tokens: "110",
      cache_read_tokens: "7",
    });

    await db.query(`UPDATE claude_interactions SET output_tokens = 999, cache_write_1h_tokens = 5 WHERE id = $1`, [a]);
    await db.query(
      `UPDATE claude_interactions SET model = 'claude-other', created_at = '2026-03-05T12:00:00Z' WHERE id = $1`,
      [c],
    );
    await db.query(`UPDATE claude_interactions SET completed_at = now(), claude_response = 'x' WHERE id = $1`, [a]);
    state = await rollupAndTruth(u);
    expect(state.rollup).toEqual(state.truth);
    expect(state.rollup.map((row) => row.model)).toEqual(["claude-test", "claude-other"]);

    await db.query(`DELETE FROM claude_interactions WHERE id = $1`, [c]);
    state = await rollupAndTruth(u);
    expect(state.rollup).toEqual(state.truth);
    expect(state.rollup).toHaveLength(1);

    await db.query(`DELETE FROM claude_interactions WHERE user_id = $1`, [u]);
    state = await rollupAndTruth(u);
    expect(state.rollup).toEqual([]);
  });

  it("stays exact under concurrent writers", async () => {
    const project = await createProject();
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        createInteraction(pool, project.id, project.userId, { inputTokens: i, success: i % 4 !== 0 }),
      ),
    );
    await pool.query(
      `DELETE FROM claude_interactions WHERE id IN (SELECT id FROM claude_interactions WHERE user_id = $1 LIMIT 10)`,
      [project.userId],
    );
    const state = await rollupAndTruth(project.userId);
    expect(state.rollup).toEqual(state.truth);
    expect(state.rollup[0]).toMatchObject({ interactions: 30 });
  });
});

describe("cost stored with each interaction", () => {
  async function addPrice(model: string, from: string, rates: number[], longContext?: [number, ...number[]]) {
    return one<{ id: string }>(
      db,
      `INSERT INTO model_prices (model, effective_from, input_per_mtok, output_per_mtok, cache_read_per_mtok,
                                 cache_write_per_mtok, cache_write_1h_per_mtok, long_context_threshold,
                                 long_input_per_mtok, long_output_per_mtok, long_cache_read_per_mtok,
                                 long_cache_write_per_mtok, long_cache_write_1h_per_mtok)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
      [model, from, ...rates, ...(longContext ?? [null, null, null, null, null, null])],
    );
  }
  const stored = async (id: string) =>
    one<{ cost: string | null; price_id: string | null }>(
      db,
      `SELECT cost_usd::text AS cost, price_id FROM claude_interactions WHERE id = $1`,
      [id],
    );

  it("prices each finished interaction with its model's price in effect, once, and leaves unpriced ones NULL", async () => {
    const project = await createProject();
    const model = `claude-price-${project.id.slice(0, 8)}`;
    const jan = await addPrice(model, "2026-01-01T00:00:00Z", [3, 15, 0.3, 3.75, 6]);
    const mar = await addPrice(model, "2026-03-01T00:00:00Z", [1, 5, 0.1, 1.25, 2]);
    const feb = await createInteraction(db, project.id, project.userId, {
      model,
      createdAt: "2026-02-10T00:00:00Z",
      inputTokens: 1_000_000,
      outputTokens: 100_000,
      cacheReadTokens: 1_000_000,
      cacheWriteTokens: 0,
      cacheWrite1hTokens: 500_000,
    });
    const march = await createInteraction(db, project.id, project.userId, {
      model,
      createdAt: "2026-03-10T00:00:00Z",
      inputTokens: 1_000_000,
      outputTokens: 0,
    });
    const before = await createInteraction(db, project.id, project.userId, {
      model,
      createdAt: "2025-12-31T00:00:00Z",
    });
    const running = await createInteraction(db, project.id, project.userId, {
      model,
      createdAt: "2026-03-11T00:00:00Z",
      status: "running",
    });

    expect((await one<{ n: number }>(db, "SELECT vf_backfill_interaction_costs() AS n")).n).toBeGreaterThanOrEqual(2);
    expect(await stored(feb)).toEqual({ cost: "7.800000", price_id: jan.id }); // 3 + 1.5 + 0.3 + 3
    expect(await stored(march)).toEqual({ cost: "1.000000", price_id: mar.id });
    expect(await stored(before)).toEqual({ cost: null, price_id: null }); // unpriced, never $0
    expect(await stored(running)).toEqual({ cost: null, price_id: null });

    // A price corrected later does not silently change what was stored (re-pricing is an admin's audited action).
    await db.query(`UPDATE model_prices SET input_per_mtok = 4 WHERE id = $1`, [jan.id]);
    expect(await stored(feb)).toEqual({ cost: "7.800000", price_id: jan.id });
    // The price row an interaction used cannot be deleted from under it.
    await expect(db.query(`DELETE FROM model_prices WHERE id = $1`, [jan.id])).rejects.toThrow(/foreign key/);

    const state = await rollupAndTruth(project.userId);
    expect(state.rollup).toEqual(state.truth);
    const days = await rows<{ day: string; cost: string; unpriced: number }>(
      db,
      `SELECT day::text, cost_usd::text AS cost, unpriced_interactions AS unpriced FROM claude_usage_daily
        WHERE model = $1 ORDER BY day`,
      [model],
    );
    expect(days).toEqual([
      { day: "2025-12-31", cost: "0.000000", unpriced: 1 },
      { day: "2026-02-10", cost: "7.800000", unpriced: 0 },
      { day: "2026-03-10", cost: "1.000000", unpriced: 0 },
    ]);
  });

  it("prices a whole request at the long-context rates once its prompt passes the threshold", async () => {
    const project = await createProject();
    const model = `claude-long-${project.id.slice(0, 8)}`;
    await addPrice(model, "2026-01-01T00:00:00Z", [0.1, 0.5, 0.01, 0.125, 0.2], [100_000, 0.5, 2.5, 0.05, 0.625, 1]);
    const small = await createInteraction(db, project.id, project.userId, {
      model,
      createdAt: "2026-02-01T00:00:00Z",
      inputTokens: 60_000,
      cacheReadTokens: 40_000,
      outputTokens: 1_000_000,
    });
    const large = await createInteraction(db, project.id, project.userId, {
      model,
      createdAt: "2026-02-01T00:00:00Z",
      inputTokens: 60_000,
      cacheReadTokens: 40_001,
      outputTokens: 1_000_000,
    });
    await db.query("SELECT vf_backfill_interaction_costs()");
    // 100,000 prompt tokens: base tier. 0.006 + 0.0004 + 0.5
    expect((await stored(small)).cost).toBe("0.506400");
    // 100,001: every token of the request at the long-context rates. 0.03 + 0.00200005 + 2.5
    expect((await stored(large)).cost).toBe("2.532000");
    // The app prices a one-call turn exactly as the SQL does (src/lib/pricing.ts).
    const rates = (input: string, output: string, read: string, write5m: string, write1h: string) => ({
      input,
      output,
      cacheRead: read,
      cacheWrite5m: write5m,
      cacheWrite1h: write1h,
    });
    const price = {
      base: rates("0.1", "0.5", "0.01", "0.125", "0.2"),
      longContext: { threshold: 100_000, rates: rates("0.5", "2.5", "0.05", "0.625", "1") },
    };
    const call = (cacheReadTokens: number) => ({
      inputTokens: 60_000,
      outputTokens: 1_000_000,
      cacheReadTokens,
      cacheWrite5mTokens: 0,
      cacheWrite1hTokens: 0,
    });
    expect(turnCostUsd(price, [call(40_000)])).toBe("0.506400");
    expect(turnCostUsd(price, [call(40_001)])).toBe("2.532000");
  });

  it("counts a running turn in the rollup only once it ends, with its latency in the histogram", async () => {
    const project = await createProject();
    const id = await createInteraction(db, project.id, project.userId, {
      status: "running",
      executionTimeMs: 0,
      createdAt: "2026-04-01T10:00:00Z",
    });
    expect((await rollupAndTruth(project.userId)).rollup).toEqual([]);
    await db.query(
      `UPDATE claude_interactions SET status = 'succeeded', execution_time_ms = 2500, cost_usd = 0.25 WHERE id = $1`,
      [id],
    );
    const state = await rollupAndTruth(project.userId);
    expect(state.rollup).toEqual(state.truth);
    expect(state.rollup[0]).toMatchObject({ interactions: 1, cost_usd: "0.250000" });
    expect((state.rollup[0]!.latency_buckets as number[])[latencyBucket(2500)]).toBe(1);
  });

  it("has the same latency bucket function in SQL as in the app, over every millisecond up to 10 minutes", async () => {
    const sql = await rows<{ ms: number; bucket: number }>(
      db,
      "SELECT ms, vf_latency_bucket(ms) AS bucket FROM generate_series(0, 600000) AS ms ORDER BY ms",
    );
    const mismatches = sql.filter((row) => row.bucket !== latencyBucket(row.ms));
    expect(mismatches).toEqual([]);
    expect((await one<{ b: number }>(db, "SELECT vf_latency_bucket(2000000000) AS b")).b).toBe(
      latencyBucket(2_000_000_000),
    );
  });
});
