import { describe, expect, it } from "vitest";
import { reconcileUsageRollups } from "~/server/services/jobs/rollups";
import { pool } from "../db";
import { expectFailure } from "../files/support";
import { interaction, person, project, rollupVersusRaw } from "./support";

const today = new Date().toISOString().slice(0, 10);
const daysAgo = (n: number, time = "10:00:00") =>
  `${new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10)}T${time}Z`;

/** The install's usage as every reader sees it: raw and rolled up, by day, model, type and user. */
async function installUsage() {
  const query = async (sql: string) => (await pool.query(sql)).rows;
  return {
    rawByDayModelUser: await query(
      `SELECT vf_utc_day(created_at)::text AS day, model, interaction_type, user_id, count(*)::int AS turns,
              count(*) FILTER (WHERE success IS FALSE)::int AS failures,
              sum(COALESCE(input_tokens, 0) + COALESCE(output_tokens, 0) + cache_read_tokens + cache_write_tokens
                  + cache_write_1h_tokens)::text AS tokens,
              sum(COALESCE(cost_usd, 0))::text AS cost, count(*) FILTER (WHERE cost_usd IS NULL)::int AS unpriced
         FROM claude_interactions WHERE status <> 'running' GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`,
    ),
    daily: await query(`SELECT * FROM claude_usage_daily ORDER BY day, user_id, project_id, model, interaction_type`),
    models: await query(`SELECT * FROM claude_usage_daily_models ORDER BY day, model, interaction_type`),
    users: await query(`SELECT * FROM claude_usage_daily_users ORDER BY day, user_id`),
    projects: await query(`SELECT * FROM claude_usage_daily_projects ORDER BY day, project_id`),
  };
}

describe("project.delete of a project with AI spend", () => {
  it("deletes the project and keeps the install's totals by day, model and user exactly as they were", async () => {
    const owner = await person();
    const other = await person();
    const admin = await person({ role: "admin" });
    const spent = await project(owner.userId);
    const kept = await project(owner.userId);
    const theirs = await project(other.userId);
    // Turns on several days and models, priced and unpriced, failed, and some sharing their rollup key with the
    // owner's other project (same day, user, model, type).
    const calls = [{ requestId: "req_1", model: "claude-a", stopReason: "end_turn", usage: { input: 100 } }];
    const ids = [
      await interaction(spent, owner.userId, { model: "claude-a", costUsd: "0.123456", createdAt: daysAgo(0), calls }),
      await interaction(spent, owner.userId, { model: "claude-a", costUsd: "0.500000", createdAt: daysAgo(1) }),
      await interaction(spent, owner.userId, { model: "claude-b", costUsd: null, createdAt: daysAgo(1), ms: 90_000 }),
      await interaction(spent, owner.userId, { model: "claude-b", success: false, costUsd: "0.010000" }),
      await interaction(spent, owner.userId, { type: "debug", model: "claude-a", costUsd: "1.000000" }),
    ];
    await interaction(kept, owner.userId, { model: "claude-a", costUsd: "0.200000", createdAt: daysAgo(0) });
    await interaction(theirs, other.userId, { model: "claude-a", costUsd: "2.000000", createdAt: daysAgo(1) });
    await pool.query(`INSERT INTO claude_conversations (project_id, user_id, title) VALUES ($1, $2, 'about it')`, [
      spent,
      owner.userId,
    ]);
    await pool.query(`UPDATE projects SET name = 'Spent' WHERE id = $1`, [spent]);

    const range = { from: daysAgo(3).slice(0, 10), to: today };
    const before = await installUsage();
    const dashboardBefore = await admin.api.usage.dashboard(range);
    const mineBefore = await owner.api.usage.mine({});

    await owner.api.project.delete({ projectId: spent, confirmName: "Spent" });

    // The project and everything of it is gone...
    const { rows: gone } = await pool.query(
      `SELECT (SELECT count(*) FROM projects WHERE id = $1)::int AS projects,
              (SELECT count(*) FROM claude_conversations WHERE project_id = $1)::int AS conversations,
              (SELECT count(*) FROM claude_interactions WHERE project_id = $1)::int AS live_interactions`,
      [spent],
    );
    expect(gone[0]).toEqual({ projects: 0, conversations: 0, live_interactions: 0 });
    // ...its interactions stay, under the deleted project's id, without their content but with their accounting.
    const { rows: kept5 } = await pool.query(
      `SELECT id, project_id, deleted_project_id, user_message, claude_response, context_data, affected_files,
              cost_usd::text AS cost
         FROM claude_interactions WHERE id = ANY($1::uuid[]) ORDER BY id`,
      [ids],
    );
    expect(kept5).toHaveLength(5);
    for (const row of kept5) {
      expect(row).toMatchObject({ project_id: null, deleted_project_id: spent, user_message: "", claude_response: "" });
      expect(row.affected_files).toEqual([]);
    }
    expect(kept5.find((row) => row.id === ids[0])!.context_data).toEqual({ calls });

    // Every total is what it was: raw by day/model/type/user, and each rollup row for row (the deleted project's
    // rows keep its id).
    expect(await installUsage()).toEqual(before);
    const { rollup, raw } = await rollupVersusRaw();
    expect(rollup).toEqual(raw);
    const reconciled = await reconcileUsageRollups({ pool, days: 7 });
    expect(reconciled.dailyRowsRepaired).toBe(0);
    expect(reconciled.coarseDaysRepaired).toEqual({ models: [], users: [], projects: [] });

    // The admin dashboard: the same totals, series, models and users; the project shown as deleted (no name).
    const dashboardAfter = await admin.api.usage.dashboard(range);
    expect(dashboardAfter.totals).toEqual(dashboardBefore.totals);
    expect(dashboardAfter.series).toEqual(dashboardBefore.series);
    expect(dashboardAfter.byModel).toEqual(dashboardBefore.byModel);
    expect(dashboardAfter.topUsers).toEqual(dashboardBefore.topUsers);
    const deleted = dashboardAfter.topProjects.find((row) => row.projectId === spent);
    expect(deleted).toMatchObject({ name: null, owner: null });
    expect(deleted).toMatchObject({
      ...dashboardBefore.topProjects.find((row) => row.projectId === spent),
      name: null,
      owner: null,
    });

    // The owner's own usage and month-to-date budget spend: unchanged (deleting a project frees no budget).
    const mineAfter = await owner.api.usage.mine({});
    expect(mineAfter.byMonth).toEqual(mineBefore.byMonth);
    expect(mineAfter.budget).toEqual(mineBefore.budget);
    expect(mineAfter.byProject.find((row) => row.projectId === spent)).toMatchObject({ projectName: null });
  });

  it("refuses while a Claude turn is running in the project, and changes nothing", async () => {
    const owner = await person();
    const projectId = await project(owner.userId);
    await pool.query(`UPDATE projects SET name = 'Busy' WHERE id = $1`, [projectId]);
    await interaction(projectId, owner.userId, { status: "running", costUsd: null });
    await expectFailure(owner.api.project.delete({ projectId, confirmName: "Busy" }), "CONFLICT", /Cancel the turn/);
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM projects WHERE id = $1`, [projectId]);
    expect(rows[0]!.n).toBe(1);
  });

  it("never lets an interaction name both a live project and a deleted one, or neither", async () => {
    const owner = await person();
    const projectId = await project(owner.userId);
    const id = await interaction(projectId, owner.userId, { costUsd: "0.1" });
    await expect(
      pool.query(`UPDATE claude_interactions SET deleted_project_id = $2 WHERE id = $1`, [id, projectId]),
    ).rejects.toThrow(/claude_interactions_project_or_deleted/);
    await expect(
      pool.query(
        `INSERT INTO claude_interactions (user_id, interaction_type, user_message, claude_response)
         VALUES ($1, 'chat', 'x', 'y')`,
        [owner.userId],
      ),
    ).rejects.toThrow(/claude_interactions_project_or_deleted/);
  });
});
