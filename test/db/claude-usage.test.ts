import { describe, expect, it } from "vitest";
import { pool } from "../db";
import { createInteraction, createProject, db, one, rows } from "./helpers";

const KEY = "day, user_id, project_id, model, interaction_type";
const SUMS = `interactions, failures, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens,
              cache_write_1h_tokens, execution_time_ms`;

/** The rollup rows of a user, and the same aggregate computed from the raw table: they must be equal. */
async function rollupAndTruth(userId: string) {
  const rollup = await rows(db, `SELECT ${KEY}, ${SUMS} FROM claude_usage_daily WHERE user_id = $1 ORDER BY ${KEY}`, [
    userId,
  ]);
  const truth = await rows(
    db,
    `SELECT (created_at AT TIME ZONE 'UTC')::date AS day, user_id, project_id, model, interaction_type,
            count(*)::int AS interactions, count(*) FILTER (WHERE success IS FALSE)::int AS failures,
            sum(COALESCE(input_tokens, 0))::bigint AS input_tokens, sum(COALESCE(output_tokens, 0))::bigint AS output_tokens,
            sum(cache_read_tokens)::bigint AS cache_read_tokens, sum(cache_write_tokens)::bigint AS cache_write_tokens,
            sum(cache_write_1h_tokens)::bigint AS cache_write_1h_tokens,
            sum(COALESCE(execution_time_ms, 0))::bigint AS execution_time_ms
       FROM claude_interactions WHERE user_id = $1 GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5`,
    [userId],
  );
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

describe("cost from model_prices", () => {
  it("prices each interaction with its model's price in effect, and re-prices history on a correction", async () => {
    const project = await createProject();
    const model = `claude-price-${project.id.slice(0, 8)}`;
    const price = await one<{ id: string }>(
      db,
      `INSERT INTO model_prices (model, effective_from, input_per_mtok, output_per_mtok, cache_read_per_mtok,
                                 cache_write_per_mtok, cache_write_1h_per_mtok)
       VALUES ($1, '2026-01-01T00:00:00Z', 3, 15, 0.3, 3.75, 6) RETURNING id`,
      [model],
    );
    await db.query(
      `INSERT INTO model_prices (model, effective_from, input_per_mtok, output_per_mtok, cache_read_per_mtok,
                                 cache_write_per_mtok, cache_write_1h_per_mtok)
       VALUES ($1, '2026-03-01T00:00:00Z', 1, 5, 0.1, 1.25, 2)`,
      [model],
    );
    const feb = await createInteraction(db, project.id, project.userId, {
      model,
      createdAt: "2026-02-10T00:00:00Z",
      inputTokens: 1_000_000,
      outputTokens: 100_000,
      cacheReadTokens: 1_000_000,
      cacheWriteTokens: 0,
      cacheWrite1hTokens: 500_000,
    });
    const mar = await createInteraction(db, project.id, project.userId, {
      model,
      createdAt: "2026-03-10T00:00:00Z",
      inputTokens: 1_000_000,
      outputTokens: 0,
    });
    const before = await createInteraction(db, project.id, project.userId, {
      model,
      createdAt: "2025-12-31T00:00:00Z",
    });

    const cost = async (id: string) =>
      (
        await one<{ cost: string | null }>(
          db,
          `SELECT cost_usd::float8::text AS cost FROM claude_interaction_costs WHERE interaction_id = $1`,
          [id],
        )
      ).cost;

    expect(await cost(feb)).toBe("7.8"); // 3 + 1.5 + 0.3 + 3
    expect(await cost(mar)).toBe("1");
    expect(await cost(before)).toBeNull();

    await db.query(`UPDATE model_prices SET input_per_mtok = 4 WHERE id = $1`, [price.id]);
    expect(await cost(feb)).toBe("8.8");
    expect(await cost(mar)).toBe("1");

    const daily = await rows<{ day: string; cost: string }>(
      db,
      `SELECT day::text, cost_usd::float8::text AS cost FROM claude_usage_daily_costs WHERE model = $1 ORDER BY day`,
      [model],
    );
    expect(daily).toEqual([
      { day: "2025-12-31", cost: null },
      { day: "2026-02-10", cost: "8.8" },
      { day: "2026-03-10", cost: "1" },
    ]);
  });
});
