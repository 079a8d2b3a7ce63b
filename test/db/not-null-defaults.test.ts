import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { migrateDatabase, readMigrations } from "~/server/db/migrator";
import { createEmptyDatabase, queryOnce } from "../support/scratch-database";
import { createProject, db, expectSqlState, insertFile } from "./helpers";

const MIGRATION = "20261201230000_not_null_defaults";

/** The columns the migration makes NOT NULL, with the default a NULL becomes. */
const COLUMNS = {
  users: { email_verified: false, is_active: true },
  projects: { total_files: 0, total_size_bytes: "0" },
  project_files: { encoding: "utf-8", size_bytes: 0, line_count: 0, is_binary: false, version: 1 },
} as const;

/** A directory holding the repository's migrations, up to and without `MIGRATION` unless `withIt`. */
function migrationsDir(withIt: boolean, dir = fs.mkdtempSync(path.join(os.tmpdir(), "vf-not-null-"))): string {
  for (const migration of readMigrations()) {
    if (migration.name === MIGRATION && !withIt) continue;
    fs.mkdirSync(path.join(dir, migration.name), { recursive: true });
    fs.writeFileSync(path.join(dir, migration.name, "migration.sql"), migration.sql);
  }
  return dir;
}

describe("columns with a default are NOT NULL", () => {
  it("refuses NULL in each of them", async () => {
    const project = await createProject(db);
    const fileId = await insertFile(db, project.id, { path: "src/a.ts" });
    const ids = { users: project.userId, projects: project.id, project_files: fileId };
    for (const [table, columns] of Object.entries(COLUMNS)) {
      for (const column of Object.keys(columns)) {
        await expectSqlState(
          db.query(`UPDATE ${table} SET ${column} = NULL WHERE id = $1`, [ids[table as keyof typeof ids]]),
          "23502",
        );
      }
    }
  });

  it("backfills the NULLs of a database migrated before, then sets NOT NULL and leaves no helper constraint", async () => {
    const url = await createEmptyDatabase();
    const dir = migrationsDir(false);
    await migrateDatabase(url, { dir });

    const user = await queryOnce<{ id: string }>(
      url,
      `INSERT INTO users (email, username, full_name, password_hash, email_verified, is_active)
       VALUES ('old@example.com', 'old', 'Old', 'x', NULL, NULL) RETURNING id`,
    );
    const userId = user.rows[0]?.id;
    const project = await queryOnce<{ id: string }>(
      url,
      `INSERT INTO projects (user_id, name, description, tech_stack) VALUES ($1, 'Old', 'old', '{}') RETURNING id`,
      [userId],
    );
    const projectId = project.rows[0]?.id;
    const file = await queryOnce<{ id: string }>(
      url,
      `INSERT INTO project_files (project_id, file_path, file_name, content, created_by, updated_by,
                                  encoding, size_bytes, line_count, is_binary, version)
       VALUES ($1, 'a.ts', 'a.ts', 'a', $2, $2, NULL, NULL, NULL, NULL, NULL) RETURNING id`,
      [projectId, userId],
    );
    // The file's triggers count it into the project; clear the counters afterwards so they are NULL too.
    await queryOnce(url, `UPDATE projects SET total_files = NULL, total_size_bytes = NULL WHERE id = $1`, [projectId]);
    const ids = { users: userId, projects: projectId, project_files: file.rows[0]?.id };
    for (const [table, columns] of Object.entries(COLUMNS)) {
      const before = await queryOnce(url, `SELECT ${Object.keys(columns).join(", ")} FROM ${table} WHERE id = $1`, [
        ids[table as keyof typeof ids],
      ]);
      expect(
        Object.values(before.rows[0] ?? {}).every((value) => value === null),
        table,
      ).toBe(true);
    }

    expect((await migrateDatabase(url, { dir: migrationsDir(true, dir) })).applied).toEqual([MIGRATION]);

    for (const [table, columns] of Object.entries(COLUMNS)) {
      const after = await queryOnce(url, `SELECT ${Object.keys(columns).join(", ")} FROM ${table} WHERE id = $1`, [
        ids[table as keyof typeof ids],
      ]);
      expect(after.rows[0], table).toEqual(columns);
      const nullable = await queryOnce<{ column_name: string }>(
        url,
        `SELECT column_name FROM information_schema.columns
          WHERE table_name = $1 AND column_name = ANY($2) AND is_nullable = 'YES'`,
        [table, Object.keys(columns)],
      );
      expect(nullable.rows, table).toEqual([]);
    }
    const helpers = await queryOnce(
      url,
      `SELECT conname FROM pg_constraint WHERE contype = 'c' AND conname LIKE '%\\_set'`,
    );
    expect(helpers.rows).toEqual([]);
  });
});
