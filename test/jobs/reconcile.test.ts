import { describe, expect, it } from "vitest";
import { reconcileProjectCounters } from "~/server/services/jobs/counters";
import { reconcileUsageRollups } from "~/server/services/jobs/rollups";
import { pool, withTransaction } from "../db";
import { createProject, createUser, insertFile, one, rows } from "../db/helpers";
import { interaction, person, project as usageProject } from "../usage/support";

describe("counter reconciliation", () => {
  it("repairs a project whose counters drifted, records it as system activity, and a second run changes nothing", async () => {
    const user = await createUser();
    const healthy = await createProject(pool, user.id);
    const drifted = await createProject(pool, user.id);
    await insertFile(pool, healthy.id, { path: "a.ts", sizeBytes: 10 });
    await insertFile(pool, drifted.id, { path: "a.ts", sizeBytes: 100 });
    await insertFile(pool, drifted.id, { path: "b.ts", sizeBytes: 40 });
    // Drift as a bulk load with triggers off or a hand edit leaves it.
    await pool.query("UPDATE projects SET total_files = 7, total_size_bytes = 3 WHERE id = $1", [drifted.id]);

    const first = await reconcileProjectCounters({ pool });
    expect(first.projectsChecked).toBeGreaterThanOrEqual(2);
    expect(first.repaired).toEqual([
      {
        projectId: drifted.id,
        before: { totalFiles: 7, totalSizeBytes: 3 },
        after: { totalFiles: 2, totalSizeBytes: 140 },
      },
    ]);
    const fixed = await one<{ total_files: number; total_size_bytes: string }>(
      pool,
      "SELECT total_files, total_size_bytes FROM projects WHERE id = $1",
      [drifted.id],
    );
    expect(fixed).toEqual({ total_files: 2, total_size_bytes: "140" });
    const activity = await rows<{ source_type: string; before_state: unknown; after_state: unknown; user_id: null }>(
      pool,
      "SELECT source_type, before_state, after_state, user_id FROM project_activity WHERE project_id = $1 AND activity_type = 'counters_repaired'",
      [drifted.id],
    );
    expect(activity).toEqual([
      {
        source_type: "system",
        user_id: null,
        before_state: { total_files: 7, total_size_bytes: 3 },
        after_state: { total_files: 2, total_size_bytes: 140 },
      },
    ]);
    const healthyActivity = await rows(
      pool,
      "SELECT 1 FROM project_activity WHERE project_id = $1 AND activity_type = 'counters_repaired'",
      [healthy.id],
    );
    expect(healthyActivity).toEqual([]);

    const second = await reconcileProjectCounters({ pool });
    expect(second.repaired).toEqual([]);
  });
});

/** The rollups as rows to compare: claude_usage_daily and the three coarse tables, in a stable order. */
async function snapshot() {
  return {
    daily: (
      await pool.query("SELECT * FROM claude_usage_daily ORDER BY day, user_id, project_id, model, interaction_type")
    ).rows,
    models: (await pool.query("SELECT * FROM claude_usage_daily_models ORDER BY day, model, interaction_type")).rows,
    users: (await pool.query("SELECT * FROM claude_usage_daily_users ORDER BY day, user_id")).rows,
    projects: (await pool.query("SELECT * FROM claude_usage_daily_projects ORDER BY day, project_id")).rows,
  };
}

describe("rollup reconciliation", () => {
  it("repairs claude_usage_daily from the interactions and the coarse rollups from it; a second run is a no-op", async () => {
    const alice = await person();
    const projectId = await usageProject(alice.userId);
    const yesterday = new Date(Date.now() - 24 * 60 * 60 * 1000).toISOString();
    await interaction(projectId, alice.userId, { costUsd: "0.010000", ms: 900 });
    await interaction(projectId, alice.userId, { costUsd: null, ms: 4000, success: false });
    await interaction(projectId, alice.userId, { model: "claude-other", createdAt: yesterday, costUsd: "0.500000" });
    // Long ago: outside the days checked, its drift is left alone.
    await interaction(projectId, alice.userId, { createdAt: "2025-01-15T10:00:00Z", costUsd: "1.000000" });
    const healthy = await snapshot();

    // Drift the triggers never make: with them bypassed, a daily row inflated, one lost, one invented, and a
    // coarse rollup changed on its own.
    await withTransaction(async (client) => {
      await client.query("SET LOCAL session_replication_role = replica");
      await client.query(
        "UPDATE claude_usage_daily SET interactions = interactions + 5, cost_usd = cost_usd + 2 WHERE model = 'claude-test' AND day = vf_utc_day(now())",
      );
      await client.query("DELETE FROM claude_usage_daily WHERE model = 'claude-other'");
      await client.query(
        `INSERT INTO claude_usage_daily (day, user_id, project_id, model, interaction_type, interactions)
         VALUES (vf_utc_day(now()), $1, $2, 'claude-ghost', 'chat', 3)`,
        [alice.userId, projectId],
      );
      await client.query("UPDATE claude_usage_daily_users SET failures = failures + 9 WHERE user_id = $1", [
        alice.userId,
      ]);
      await client.query("UPDATE claude_usage_daily SET interactions = 99 WHERE day = '2025-01-15'");
    });

    const first = await reconcileUsageRollups({ pool, days: 7 });
    expect(first.dailyRowsRepaired).toBe(3);
    const today = new Date().toISOString().slice(0, 10);
    expect(first.coarseDaysRepaired.users).toContain(today);
    expect(first.coarseDaysRepaired.models).toEqual(expect.arrayContaining([today, yesterday.slice(0, 10)]));

    const repaired = await snapshot();
    const outside = (rows: Record<string, unknown>[]) =>
      rows.filter((row) => (row.day as Date).toISOString().slice(0, 10) !== "2025-01-15");
    expect(outside(repaired.daily)).toEqual(outside(healthy.daily));
    expect(outside(repaired.models)).toEqual(outside(healthy.models));
    expect(outside(repaired.users)).toEqual(outside(healthy.users));
    expect(outside(repaired.projects)).toEqual(outside(healthy.projects));
    const old = await one<{ interactions: number }>(
      pool,
      "SELECT interactions FROM claude_usage_daily WHERE day = '2025-01-15'",
    );
    expect(old.interactions).toBe(99);

    const second = await reconcileUsageRollups({ pool, days: 7 });
    expect(second).toEqual({
      fromDay: first.fromDay,
      dailyRowsRepaired: 0,
      coarseDaysRepaired: { models: [], users: [], projects: [] },
    });
  });
});
