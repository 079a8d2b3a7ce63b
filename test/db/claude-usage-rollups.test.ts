import { describe, expect, it } from "vitest";
import { LATENCY_BUCKETS } from "~/lib/latency-buckets";
import { pool } from "../db";
import { createInteraction, createProject, createUser, db, rows } from "./helpers";

/**
 * The coarse rollups of migration 20261203150000_usage_rollups, kept from claude_usage_daily by its row trigger:
 * each must equal claude_usage_daily grouped by its key, and the finished raw interactions grouped the same way.
 * Every test file has its own database, so whole tables are compared.
 */
const COARSE = [
  { table: "claude_usage_daily_models", key: ["day", "model", "interaction_type"], buckets: true },
  { table: "claude_usage_daily_users", key: ["day", "user_id"], buckets: false },
  { table: "claude_usage_daily_projects", key: ["day", "project_id"], buckets: false },
] as const;
type Coarse = (typeof COARSE)[number];

const INT_SUMS = ["interactions", "failures", "unpriced_interactions"];
const BIGINT_SUMS = [
  "input_tokens",
  "output_tokens",
  "cache_read_tokens",
  "cache_write_tokens",
  "cache_write_1h_tokens",
  "execution_time_ms",
  "unpriced_tokens",
];
const buckets = (term: (i: number) => string) =>
  `ARRAY[${Array.from({ length: LATENCY_BUCKETS }, (_, i) => term(i)).join(", ")}] AS latency_buckets`;
const keyOf = (c: Coarse) => c.key.map((k) => (k === "day" ? "day::text AS day" : k)).join(", ");
const order = (c: Coarse) => c.key.map((_, i) => i + 1).join(", ");

function keptSql(c: Coarse) {
  return `SELECT ${keyOf(c)}, ${INT_SUMS.join(", ")}, ${BIGINT_SUMS.map((s) => `${s}::text`).join(", ")},
                 cost_usd::numeric(18,6)::text AS cost_usd${c.buckets ? ", latency_buckets" : ""}
            FROM ${c.table} ORDER BY ${order(c)}`;
}

function dailyGroupedSql(c: Coarse) {
  return `SELECT ${keyOf(c)}, ${INT_SUMS.map((s) => `sum(${s})::int AS ${s}`).join(", ")},
                 ${BIGINT_SUMS.map((s) => `sum(${s})::text AS ${s}`).join(", ")},
                 sum(cost_usd)::numeric(18,6)::text AS cost_usd
                 ${c.buckets ? `, ${buckets((i) => `sum(latency_buckets[${i + 1}])::int`)}` : ""}
            FROM claude_usage_daily GROUP BY ${c.key.join(", ")} ORDER BY ${order(c)}`;
}

const TOKENS = `COALESCE(input_tokens, 0) + COALESCE(output_tokens, 0) + cache_read_tokens + cache_write_tokens
                + cache_write_1h_tokens`;
function rawGroupedSql(c: Coarse) {
  // A deleted project's interactions count under its former id (deleted_project_id), as vf_claude_usage_apply keys them.
  const column = (k: string) =>
    k === "day"
      ? "vf_utc_day(created_at)::text AS day"
      : k === "project_id"
        ? "COALESCE(project_id, deleted_project_id) AS project_id"
        : k;
  const key = c.key.map(column).join(", ");
  return `SELECT ${key}, count(*)::int AS interactions, count(*) FILTER (WHERE success IS FALSE)::int AS failures,
                 count(*) FILTER (WHERE cost_usd IS NULL)::int AS unpriced_interactions,
                 sum(COALESCE(input_tokens, 0))::text AS input_tokens,
                 sum(COALESCE(output_tokens, 0))::text AS output_tokens,
                 sum(cache_read_tokens)::text AS cache_read_tokens, sum(cache_write_tokens)::text AS cache_write_tokens,
                 sum(cache_write_1h_tokens)::text AS cache_write_1h_tokens,
                 sum(COALESCE(execution_time_ms, 0))::text AS execution_time_ms,
                 COALESCE(sum(${TOKENS}) FILTER (WHERE cost_usd IS NULL), 0)::text AS unpriced_tokens,
                 sum(COALESCE(cost_usd, 0))::numeric(18,6)::text AS cost_usd
                 ${c.buckets ? `, ${buckets((i) => `count(*) FILTER (WHERE vf_latency_bucket(execution_time_ms) = ${i})::int`)}` : ""}
            FROM claude_interactions WHERE status <> 'running'
           GROUP BY ${c.key.map((_, i) => i + 1).join(", ")} ORDER BY ${order(c)}`;
}

/** Each coarse rollup as kept, and as computed from claude_usage_daily and from the raw rows. */
async function coarseState() {
  return Promise.all(
    COARSE.map(async (c) => ({
      table: c.table,
      kept: await rows(db, keptSql(c)),
      fromDaily: await rows(db, dailyGroupedSql(c)),
      fromRaw: await rows(db, rawGroupedSql(c)),
    })),
  );
}

async function expectExact() {
  const state = await coarseState();
  for (const s of state) {
    expect(s.kept, `${s.table} = claude_usage_daily grouped`).toEqual(s.fromDaily);
    expect(s.kept, `${s.table} = raw grouped`).toEqual(s.fromRaw);
  }
  return Object.fromEntries(state.map((s) => [s.table, s.kept]));
}

describe("coarse usage rollups (by model and type, by user, by project)", () => {
  it("mirror claude_usage_daily and the raw rows after inserts, a turn ending, re-pricing, moves and deletes", async () => {
    const p1 = await createProject();
    const p2 = await createProject();
    const day = "2026-05-04T10:00:00Z";
    const a = await createInteraction(db, p1.id, p1.userId, { createdAt: day, inputTokens: 10, costUsd: "0.100000" });
    await createInteraction(db, p2.id, p2.userId, { createdAt: day, inputTokens: 20, costUsd: "0.200000" });
    await createInteraction(db, p2.id, p2.userId, { createdAt: day, type: "debug", success: false, costUsd: null });
    const running = await createInteraction(db, p1.id, p1.userId, { createdAt: day, status: "running" });

    let kept = await expectExact();
    // Two users' turns of one day, model and type are one row of the models rollup.
    expect(kept.claude_usage_daily_models).toHaveLength(2);
    expect(kept.claude_usage_daily_models![0]).toMatchObject({
      day: "2026-05-04",
      interaction_type: "chat",
      interactions: 2,
      input_tokens: "30",
      cost_usd: "0.300000",
    });
    expect(kept.claude_usage_daily_users).toHaveLength(2);
    expect(kept.claude_usage_daily_projects).toHaveLength(2);
    expect(kept.claude_usage_daily_models![1]).toMatchObject({ interaction_type: "debug", unpriced_interactions: 1 });

    // The running turn ends; one is re-priced; one moves to another day and model.
    await db.query(
      `UPDATE claude_interactions SET status = 'succeeded', execution_time_ms = 4200, cost_usd = 0.05 WHERE id = $1`,
      [running],
    );
    await db.query(`UPDATE claude_interactions SET cost_usd = 0.125 WHERE id = $1`, [a]);
    await db.query(
      `UPDATE claude_interactions SET model = 'claude-moved', created_at = '2026-05-06T01:00:00Z' WHERE id = $1`,
      [a],
    );
    kept = await expectExact();
    expect(kept.claude_usage_daily_models!.map((m) => [m.day, m.model, m.interactions])).toEqual([
      ["2026-05-04", "claude-test", 2],
      ["2026-05-04", "claude-test", 1],
      ["2026-05-06", "claude-moved", 1],
    ]);

    await db.query(`DELETE FROM claude_interactions WHERE id = $1`, [a]);
    kept = await expectExact();
    expect(kept.claude_usage_daily_models!.some((m) => m.model === "claude-moved")).toBe(false);

    // A deleted project's usage stays, under its id; the last turns gone leave no rows behind.
    const beforeDelete = kept;
    await db.query(`DELETE FROM projects WHERE id = $1`, [p1.id]);
    kept = await expectExact();
    expect(kept).toEqual(beforeDelete);
    expect(kept.claude_usage_daily_projects!.map((p) => p.project_id).sort()).toEqual([p1.id, p2.id].sort());
    await db.query(`DELETE FROM claude_interactions`);
    kept = await expectExact();
    expect(Object.values(kept).flat()).toEqual([]);
  });

  it("stay exact under concurrent writers sharing their rows", async () => {
    const projects = await Promise.all([createProject(), createProject(), createProject()]);
    // Same day, model and type: every writer updates the same models row, and each user's and project's row.
    const at = "2026-06-01T12:00:00Z";
    const ids = await Promise.all(
      Array.from({ length: 60 }, (_, i) => {
        const p = projects[i % projects.length]!;
        return createInteraction(pool, p.id, p.userId, {
          createdAt: at,
          inputTokens: i,
          executionTimeMs: 100 * i,
          success: i % 4 !== 0,
          costUsd: i % 5 === 0 ? null : `0.00${i % 10}123`,
          status: i % 6 === 0 ? "running" : undefined,
        });
      }),
    );
    // At once: turns ending, turns re-priced, turns deleted, new turns, each in its own transaction.
    await Promise.all([
      ...ids.map((id, i) => {
        if (i % 6 === 0)
          return pool.query(
            `UPDATE claude_interactions SET status = 'succeeded', success = true, execution_time_ms = 777 WHERE id = $1`,
            [id],
          );
        if (i % 7 === 0) return pool.query(`DELETE FROM claude_interactions WHERE id = $1`, [id]);
        if (i % 3 === 0) return pool.query(`UPDATE claude_interactions SET cost_usd = 0.5 WHERE id = $1`, [id]);
        return Promise.resolve();
      }),
      ...Array.from({ length: 20 }, (_, i) => {
        const p = projects[i % projects.length]!;
        return createInteraction(pool, p.id, p.userId, { createdAt: at, inputTokens: 1000 + i });
      }),
    ]);
    const kept = await expectExact();
    const finished = await rows<{ n: number }>(
      db,
      `SELECT count(*)::int AS n FROM claude_interactions WHERE status <> 'running'`,
    );
    expect(kept.claude_usage_daily_models).toHaveLength(1);
    expect(kept.claude_usage_daily_models![0]!.interactions).toBe(finished[0]!.n);
    expect(kept.claude_usage_daily_users).toHaveLength(3);
  });

  it("follow a claude_usage_daily row written or moved by hand, and rebuild to what the trigger kept", async () => {
    await db.query(`DELETE FROM claude_interactions`);
    const user = await createUser();
    const projectId = (await createProject(db, user.id)).id;
    await createInteraction(db, projectId, user.id, { createdAt: "2026-07-01T00:00:00Z", model: "claude-a" });
    await createInteraction(db, projectId, user.id, { createdAt: "2026-07-02T00:00:00Z", model: "claude-b" });
    await db.query(`UPDATE claude_usage_daily SET model = 'claude-c', day = '2026-07-03' WHERE model = 'claude-a'`);
    const state = await coarseState();
    for (const s of state) expect(s.kept, s.table).toEqual(s.fromDaily);
    expect(state[0]!.kept.map((m) => m.model)).toEqual(["claude-b", "claude-c"]);

    await db.query(`SELECT vf_claude_usage_rollups_rebuild()`);
    const rebuilt = await coarseState();
    expect(rebuilt.map((s) => s.kept)).toEqual(state.map((s) => s.kept));
  });
});
