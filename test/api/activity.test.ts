import { describe, expect, it } from "vitest";
import { pool } from "../db";
import { expectFailure, newProject, signedInUser } from "../files/support";

/**
 * The activity log pages on (created_at, id): one transaction writes many entries with the same created_at
 * (now() is the transaction's start), and paging must neither skip nor repeat any of them.
 */
describe("activity.list paging", () => {
  it("returns every entry exactly once, newest first by (created_at, id), when 120 share one created_at", async () => {
    const { api, userId } = await signedInUser();
    const projectId = await newProject(api);

    const client = await pool.connect();
    let inserted: string[];
    try {
      await client.query("BEGIN");
      const first = await client.query<{ id: string }>(
        `INSERT INTO project_activity (project_id, user_id, activity_type, description, affected_resources, source_type)
         SELECT $1, $2, 'file_updated', 'entry ' || n, ARRAY['src/' || n || '.ts'], 'user'
           FROM generate_series(1, 60) AS n RETURNING id`,
        [projectId, userId],
      );
      const second = await client.query<{ id: string }>(
        `INSERT INTO project_activity (project_id, user_id, activity_type, description, affected_resources, source_type)
         SELECT $1, NULL, 'file_updated', 'entry ' || n, ARRAY['src/' || n || '.ts'], 'system'
           FROM generate_series(61, 120) AS n RETURNING id`,
        [projectId],
      );
      await client.query("COMMIT");
      inserted = [...first.rows, ...second.rows].map((row) => row.id);
    } catch (error) {
      await client.query("ROLLBACK");
      throw error;
    } finally {
      client.release();
    }
    const { rows: stamps } = await pool.query<{ distinct: number }>(
      `SELECT count(DISTINCT created_at)::int AS distinct FROM project_activity WHERE id = ANY($1::uuid[])`,
      [inserted],
    );
    expect(stamps[0]!.distinct).toBe(1);

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Awaited<ReturnType<typeof api.activity.list>> = await api.activity.list({
        projectId,
        limit: 50,
        cursor,
      });
      expect(page.items.length).toBeLessThanOrEqual(50);
      for (const item of page.items) expect(item.createdAt).toBeInstanceOf(Date);
      seen.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor;
      pages++;
      expect(pages).toBeLessThan(10);
    } while (cursor);

    // Each id once, and every inserted one among them (the project's own creation entry comes last, older).
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.filter((id) => inserted.includes(id)).sort()).toEqual([...inserted].sort());

    const { rows: expected } = await pool.query<{ id: string }>(
      `SELECT id FROM project_activity WHERE project_id = $1 ORDER BY created_at DESC, id DESC`,
      [projectId],
    );
    expect(seen).toEqual(expected.map((row) => row.id));
    expect(pages).toBe(Math.ceil(expected.length / 50));

    const actors = await api.activity.list({ projectId, limit: 100 });
    expect(actors.items.some((item) => item.actor?.id === userId)).toBe(true);
    expect(actors.items.some((item) => item.actor === null && item.sourceType === "system")).toBe(true);
  });

  it("filters by file path and refuses a forged cursor", async () => {
    const { api, userId } = await signedInUser();
    const projectId = await newProject(api);
    await pool.query(
      `INSERT INTO project_activity (project_id, user_id, activity_type, description, affected_resources, source_type)
       SELECT $1, $2, 'file_updated', 'entry ' || n, ARRAY['src/' || (n % 3) || '.ts'], 'user'
         FROM generate_series(1, 30) AS n`,
      [projectId, userId],
    );
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof api.activity.list>> = await api.activity.list({
        projectId,
        filePath: "src/1.ts",
        limit: 4,
        cursor,
      });
      for (const item of page.items) expect(item.affectedResources).toContain("src/1.ts");
      seen.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(10);

    await expectFailure(api.activity.list({ projectId, cursor: "2020-01-01|not-a-uuid" }), "BAD_REQUEST");
    await expectFailure(api.activity.list({ projectId, cursor: "x".repeat(101) }), "BAD_REQUEST");
  });
});
