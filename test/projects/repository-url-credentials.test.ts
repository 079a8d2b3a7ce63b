import { describe, expect, it } from "vitest";
import { pool } from "../db";
import { expectFailure, newProject, signedInUser } from "../files/support";

describe("project settings: repository URL", () => {
  it("refuses a URL with a username or token inside (it would be stored and logged in plain text), changing nothing", async () => {
    const { api } = await signedInUser();
    const projectId = await newProject(api);
    for (const repositoryUrl of [
      "https://alice:ghp_SECRETTOKEN123@github.com/acme/shop.git",
      "https://ghp_SECRETTOKEN123@github.com/acme/shop.git",
    ]) {
      await expectFailure(api.project.update({ projectId, repositoryUrl }), "BAD_REQUEST", /token/i);
    }
    const { rows } = await pool.query(`SELECT repository_url FROM projects WHERE id = $1`, [projectId]);
    expect(rows[0].repository_url).toBeNull();
    const activity = await pool.query(
      `SELECT 1 FROM project_activity WHERE project_id = $1 AND activity_type = 'settings_changed'`,
      [projectId],
    );
    expect(activity.rows).toHaveLength(0);
  });
});
