import { describe, expect, it } from "vitest";
import { createProject, db, one, rows } from "./helpers";

function partitionName(date: Date): string {
  return `project_activity_${date.getUTCFullYear()}_${String(date.getUTCMonth() + 1).padStart(2, "0")}`;
}

async function partitions(): Promise<string[]> {
  const result = await rows<{ name: string }>(
    db,
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = 'project_activity'::regclass ORDER BY 1`,
  );
  return result.map((row) => row.name);
}

async function logAt(projectId: string, createdAt: string): Promise<string> {
  const row = await one<{ partition: string }>(
    db,
    `INSERT INTO project_activity (project_id, activity_type, description, source_type, created_at)
     VALUES ($1, 'container_started', 'test', 'system', $2) RETURNING tableoid::regclass::text AS partition`,
    [projectId, createdAt],
  );
  return row.partition;
}

describe("project_activity partitions", () => {
  it("has the current month and three months ahead after migrate, plus the default partition", async () => {
    const now = new Date();
    const expected = [0, 1, 2, 3].map((ahead) =>
      partitionName(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + ahead, 1))),
    );
    const existing = await partitions();
    expect(existing).toEqual(expect.arrayContaining([...expected, "project_activity_default"]));

    const project = await createProject();
    expect(await logAt(project.id, now.toISOString())).toBe(expected[0]);
  });

  it("routes a month without a partition to the default, and ensure moves it into a new monthly partition", async () => {
    const project = await createProject();
    expect(await logAt(project.id, "2031-07-15T12:00:00Z")).toBe("project_activity_default");
    expect(await logAt(project.id, "2031-08-31T23:59:59Z")).toBe("project_activity_default");

    const moved = await one<{ moved: number }>(db, `SELECT vf_ensure_activity_partitions() AS moved`);
    expect(moved.moved).toBe(2);

    const located = await rows<{ partition: string }>(
      db,
      `SELECT tableoid::regclass::text AS partition FROM project_activity WHERE project_id = $1 ORDER BY created_at`,
      [project.id],
    );
    expect(located).toEqual([{ partition: "project_activity_2031_07" }, { partition: "project_activity_2031_08" }]);
    const defaultRows = await one<{ n: number }>(db, `SELECT count(*)::int AS n FROM project_activity_default`);
    expect(defaultRows.n).toBe(0);

    // Idempotent, and the new partition takes new rows directly.
    expect((await one<{ moved: number }>(db, `SELECT vf_ensure_activity_partitions() AS moved`)).moved).toBe(0);
    expect(await logAt(project.id, "2031-07-01T00:00:00Z")).toBe("project_activity_2031_07");
  });

  it("drops whole months that end on or before the retention cutoff", async () => {
    const project = await createProject();
    await logAt(project.id, "2001-03-10T00:00:00Z");
    await logAt(project.id, "2001-04-10T00:00:00Z");
    await db.query(`SELECT vf_ensure_activity_partitions()`);

    const dropped = await rows<{ name: string }>(
      db,
      `SELECT name FROM vf_drop_activity_partitions_before('2001-04-15') AS name`,
    );
    expect(dropped).toEqual([{ name: "project_activity_2001_03" }]);
    const existing = await partitions();
    expect(existing).not.toContain("project_activity_2001_03");
    expect(existing).toContain("project_activity_2001_04");
    const left = await rows<{ created_at: Date }>(db, `SELECT created_at FROM project_activity WHERE project_id = $1`, [
      project.id,
    ]);
    expect(left.map((row) => row.created_at.toISOString())).toEqual(["2001-04-10T00:00:00.000Z"]);
  });
});
