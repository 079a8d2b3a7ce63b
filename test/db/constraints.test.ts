import { describe, expect, it } from "vitest";
import { createInteraction, createProject, createUser, db, expectSqlState, insertFile, one, suffix } from "./helpers";

const ENVELOPE = "v1:AAECAwQFBgcICQoL:c2VjcmV0LWNpcGhlcnRleHQtYW5kLXRhZw==";

describe("users: case-insensitive e-mail and username", () => {
  it("refuses an e-mail that differs only in case, and finds it in any case", async () => {
    const tag = suffix();
    await db.query(`INSERT INTO users (email, username, full_name, password_hash) VALUES ($1, $2, 'A', 'h')`, [
      `alice-${tag}@x.io`,
      `alice_${tag}`,
    ]);
    await expectSqlState(
      db.query(`INSERT INTO users (email, username, full_name, password_hash) VALUES ($1, $2, 'A', 'h')`, [
        `Alice-${tag}@X.io`,
        `other_${tag}`,
      ]),
      "23505",
    );
    const upper = await one<{ email: string }>(db, `SELECT email::text FROM users WHERE email = $1`, [
      `ALICE-${tag}@X.IO`,
    ]);
    expect(upper.email).toBe(`alice-${tag}@x.io`);
  });

  it("refuses a username that differs only in case, and finds it in any case", async () => {
    const tag = suffix();
    await db.query(`INSERT INTO users (email, username, full_name, password_hash) VALUES ($1, $2, 'A', 'h')`, [
      `bob-${tag}@x.io`,
      `Bob_${tag}`,
    ]);
    await expectSqlState(
      db.query(`INSERT INTO users (email, username, full_name, password_hash) VALUES ($1, $2, 'A', 'h')`, [
        `bob2-${tag}@x.io`,
        `bob_${tag}`,
      ]),
      "23505",
    );
    const found = await one<{ username: string }>(db, `SELECT username::text FROM users WHERE username = $1`, [
      `BOB_${tag}`,
    ]);
    expect(found.username).toBe(`Bob_${tag}`);
  });

  it("refuses an unknown role and too long an e-mail", async () => {
    const tag = suffix();
    await expectSqlState(
      db.query(
        `INSERT INTO users (email, username, full_name, password_hash, role) VALUES ($1, $2, 'A', 'h', 'root')`,
        [`r-${tag}@x.io`, `r_${tag}`],
      ),
      "23514",
    );
    await expectSqlState(
      db.query(`INSERT INTO users (email, username, full_name, password_hash) VALUES ($1, $2, 'A', 'h')`, [
        `${"e".repeat(250)}-${tag}@x.io`,
        `e_${tag}`,
      ]),
      "23514",
    );
  });
});

describe("projects.environment_vars holds only encrypted envelopes", () => {
  it("refuses a clear-text value", async () => {
    await expectSqlState(createProject(db, undefined, { environmentVars: { API_KEY: "sk-live-123" } }), "23514");
    await expectSqlState(createProject(db, undefined, { environmentVars: { PORT: 3000 } }), "23514");
  });

  it("accepts an envelope v1:<b64>:<b64> and refuses a later clear-text update", async () => {
    const project = await createProject(db, undefined, { environmentVars: { API_KEY: ENVELOPE, OTHER: ENVELOPE } });
    await expectSqlState(
      db.query(`UPDATE projects SET environment_vars = environment_vars || '{"DEBUG":"true"}' WHERE id = $1`, [
        project.id,
      ]),
      "23514",
    );
    const row = await one<{ environment_vars: Record<string, string> }>(
      db,
      `SELECT environment_vars FROM projects WHERE id = $1`,
      [project.id],
    );
    expect(row.environment_vars).toEqual({ API_KEY: ENVELOPE, OTHER: ENVELOPE });
  });
});

describe("deleting a project", () => {
  it("succeeds with files, versions, activity and interactions, and removes them but the interactions' spend", async () => {
    const project = await createProject();
    await createInteraction(db, project.id, project.userId);
    const fileId = await insertFile(db, project.id, { path: "a.ts", content: "v1", createdBy: project.userId });
    await db.query(`UPDATE project_files SET content = 'v2', parent_version_id = NULL WHERE id = $1`, [fileId]);
    await insertFile(db, project.id, { path: "b.ts" });
    await db.query(`DELETE FROM project_files WHERE file_path = 'b.ts' AND project_id = $1`, [project.id]);

    const counts = `SELECT (SELECT count(*)::int FROM project_files WHERE project_id = $1) AS files,
                           (SELECT count(*)::int FROM project_file_versions WHERE project_id = $1) AS versions,
                           (SELECT count(*)::int FROM project_activity WHERE project_id = $1) AS activity,
                           (SELECT count(*)::int FROM claude_interactions WHERE project_id = $1) AS interactions,
                           (SELECT count(*)::int FROM claude_interactions WHERE deleted_project_id = $1) AS of_deleted,
                           (SELECT count(*)::int FROM claude_usage_daily WHERE project_id = $1) AS rollup`;
    expect(await one(db, counts, [project.id])).toEqual({
      files: 1,
      versions: 3,
      activity: 4,
      interactions: 1,
      of_deleted: 0,
      rollup: 1,
    });

    await db.query(`DELETE FROM projects WHERE id = $1`, [project.id]);
    // The interaction stays under the deleted project's id (ON DELETE SET NULL), so its rollup row does too.
    expect(await one(db, counts, [project.id])).toEqual({
      files: 0,
      versions: 0,
      activity: 0,
      interactions: 0,
      of_deleted: 1,
      rollup: 1,
    });
  });

  it("succeeds when the owner is deleted (cascade through projects)", async () => {
    const owner = await createUser();
    const project = await createProject(db, owner.id);
    await insertFile(db, project.id, { path: "a.ts" });
    await db.query(`DELETE FROM users WHERE id = $1`, [owner.id]);
    const left = await one<{ n: number }>(db, `SELECT count(*)::int AS n FROM project_activity WHERE project_id = $1`, [
      project.id,
    ]);
    expect(left.n).toBe(0);
  });
});
