import { describe, expect, it } from "vitest";
import { pool, withTransaction } from "../db";
import { createProject, db, insertFile, one, projectStats, rows } from "./helpers";

async function expectExact(projectId: string, files: number, bytes: number) {
  const stats = await projectStats(db, projectId);
  expect(stats).toEqual({
    total_files: files,
    total_size_bytes: String(bytes),
    real_files: files,
    real_size: String(bytes),
  });
}

describe("project counters (statement-level triggers on project_files)", () => {
  it("counts an inserted file and bumps last_activity_at", async () => {
    const project = await createProject();
    await db.query(`UPDATE projects SET last_activity_at = '2000-01-01' WHERE id = $1`, [project.id]);
    await insertFile(db, project.id, { path: "a.ts", content: "hello", sizeBytes: 5 });
    await expectExact(project.id, 1, 5);
    const row = await one<{ recent: boolean }>(
      db,
      `SELECT last_activity_at > now() - interval '1 minute' AS recent FROM projects WHERE id = $1`,
      [project.id],
    );
    expect(row.recent).toBe(true);
  });

  it("applies size changes, path changes and deletes as deltas", async () => {
    const project = await createProject();
    const a = await insertFile(db, project.id, { path: "a.ts", sizeBytes: 100 });
    const b = await insertFile(db, project.id, { path: "b.ts", sizeBytes: 40 });
    await expectExact(project.id, 2, 140);

    await db.query(`UPDATE project_files SET content = 'x', size_bytes = 1 WHERE id = $1`, [a]);
    await expectExact(project.id, 2, 41);

    await db.query(`UPDATE project_files SET file_path = 'src/b.ts' WHERE id = $1`, [b]);
    await expectExact(project.id, 2, 41);

    await db.query(`DELETE FROM project_files WHERE id = $1`, [a]);
    await expectExact(project.id, 1, 40);

    await db.query(`DELETE FROM project_files WHERE id = $1`, [b]);
    await expectExact(project.id, 0, 0);
  });

  it("moves counts between projects when a file changes project", async () => {
    const from = await createProject();
    const to = await createProject(db, from.userId);
    const fileId = await insertFile(db, from.id, { path: "a.ts", sizeBytes: 7 });
    await db.query(`UPDATE project_files SET project_id = $1 WHERE id = $2`, [to.id, fileId]);
    await expectExact(from.id, 0, 0);
    await expectExact(to.id, 1, 7);
  });

  it("handles a multi-row insert, update and delete across two projects in single statements", async () => {
    const p1 = await createProject();
    const p2 = await createProject(db, p1.userId);
    await db.query(
      `INSERT INTO project_files (project_id, file_path, file_name, content, size_bytes)
       SELECT CASE WHEN g % 3 = 0 THEN $2::uuid ELSE $1::uuid END, 'f' || g || '.ts', 'f' || g || '.ts', 'x', g
         FROM generate_series(1, 300) g`,
      [p1.id, p2.id],
    );
    await expectExact(p1.id, 200, 30_000);
    await expectExact(p2.id, 100, 15_150);

    await db.query(`UPDATE project_files SET size_bytes = size_bytes + 1 WHERE project_id IN ($1, $2)`, [p1.id, p2.id]);
    await expectExact(p1.id, 200, 30_200);
    await expectExact(p2.id, 100, 15_250);

    await db.query(`DELETE FROM project_files WHERE project_id IN ($1, $2) AND size_bytes > 101`, [p1.id, p2.id]);
    const [s1, s2] = await Promise.all([projectStats(db, p1.id), projectStats(db, p2.id)]);
    expect(s1.total_files).toBe(s1.real_files);
    expect(s1.total_size_bytes).toBe(s1.real_size);
    expect(s2.total_files).toBe(s2.real_files);
    expect(s2.total_size_bytes).toBe(s2.real_size);
    expect(s1.real_files + s2.real_files).toBe(100);
  });

  it("stays exact with 8 concurrent writers inserting, resizing and deleting in the same project", async () => {
    const project = await createProject();
    const writers = Array.from({ length: 8 }, (_, writer) => async () => {
      const mine: string[] = [];
      for (let step = 0; step < 30; step += 1) {
        // Alternate single statements (interleaving freely) with explicit transactions, some rolled back.
        if (step % 5 === 4) {
          await withTransaction(async (client) => {
            await insertFile(client, project.id, { path: `w${writer}/tx${step}.ts`, sizeBytes: step });
            await client.query(`UPDATE project_files SET size_bytes = size_bytes + 3 WHERE id = $1`, [mine[0]]);
          });
        } else if (step % 7 === 6) {
          await withTransaction(async (client) => {
            await insertFile(client, project.id, { path: `w${writer}/rollback${step}.ts`, sizeBytes: 1000 });
            throw new Error("rollback");
          }).catch(() => undefined);
        } else if (step % 4 === 3 && mine.length > 1) {
          const victim = mine.splice(1, 1)[0];
          await pool.query(`DELETE FROM project_files WHERE id = $1`, [victim]);
        } else {
          mine.push(
            await insertFile(db, project.id, { path: `w${writer}/f${step}.ts`, sizeBytes: writer * 100 + step }),
          );
        }
      }
    });
    await Promise.all(writers.map((run) => run()));

    const stats = await projectStats(db, project.id);
    expect(stats.total_files).toBe(stats.real_files);
    expect(stats.total_size_bytes).toBe(stats.real_size);
    expect(stats.real_files).toBeGreaterThan(100);
    const rolledBack = await rows(db, `SELECT 1 FROM project_files WHERE file_path LIKE '%rollback%'`);
    expect(rolledBack).toHaveLength(0);
  });
});
