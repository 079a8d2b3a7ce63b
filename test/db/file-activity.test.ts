import { describe, expect, it } from "vitest";
import { withTransaction } from "../db";
import { createInteraction, createProject, createUser, db, insertFile, rows, setActor } from "./helpers";

interface ActivityRow {
  activity_type: string;
  user_id: string | null;
  source_type: string;
  source_id: string | null;
  description: string;
  metadata: { file_path: string; operation: string; version: number; previous_path?: string };
}

function activity(projectId: string) {
  return rows<ActivityRow>(
    db,
    `SELECT activity_type, user_id, source_type, source_id, description, metadata
       FROM project_activity WHERE project_id = $1 ORDER BY created_at, activity_type`,
    [projectId],
  );
}

describe("file activity (actor context)", () => {
  it("takes actor, source and interaction id from the transaction-local settings", async () => {
    const project = await createProject();
    const actor = await createUser();
    const interactionId = await createInteraction(db, project.id, project.userId);

    await withTransaction(async (client) => {
      await setActor(client, { userId: actor.id, source: "claude", interactionId });
      const fileId = await insertFile(client, project.id, { path: "src/app.ts", updatedBy: project.userId });
      await client.query(`UPDATE project_files SET content = 'changed' WHERE id = $1`, [fileId]);
      await client.query(`DELETE FROM project_files WHERE id = $1`, [fileId]);
    });

    const log = await activity(project.id);
    expect(log.map((row) => row.activity_type).sort()).toEqual(["file_created", "file_deleted", "file_modified"]);
    for (const row of log) {
      expect(row.user_id).toBe(actor.id);
      expect(row.source_type).toBe("claude");
      expect(row.source_id).toBe(interactionId);
      expect(row.metadata.file_path).toBe("src/app.ts");
    }
    const modified = log.find((row) => row.activity_type === "file_modified");
    expect(modified?.metadata).toMatchObject({ operation: "UPDATE", version: 2 });
    expect(modified?.description).toBe("Modified file: src/app.ts");
  });

  it("falls back to updated_by (or created_by) and source 'system' when the settings are unset", async () => {
    const project = await createProject();
    const editor = await createUser();

    const fileId = await insertFile(db, project.id, { path: "a.ts", createdBy: project.userId });
    await db.query(`UPDATE project_files SET content = 'v2', updated_by = $2 WHERE id = $1`, [fileId, editor.id]);
    await db.query(`DELETE FROM project_files WHERE id = $1`, [fileId]);

    const log = await activity(project.id);
    const byType = Object.fromEntries(log.map((row) => [row.activity_type, row]));
    expect(byType.file_created).toMatchObject({ user_id: project.userId, source_type: "system", source_id: null });
    expect(byType.file_modified).toMatchObject({ user_id: editor.id, source_type: "system", source_id: null });
    expect(byType.file_deleted).toMatchObject({ user_id: editor.id, source_type: "system", source_id: null });
  });

  it("forgets the settings when the transaction that set them ends", async () => {
    const project = await createProject();
    const actor = await createUser();
    await withTransaction(async (client) => {
      await setActor(client, { userId: actor.id, source: "webhook" });
      await insertFile(client, project.id, { path: "one.ts" });
    });
    await withTransaction(async (client) => {
      await insertFile(client, project.id, { path: "two.ts", updatedBy: project.userId });
    });

    const log = await activity(project.id);
    const byPath = Object.fromEntries(log.map((row) => [row.metadata.file_path, row]));
    expect(byPath["one.ts"]).toMatchObject({ user_id: actor.id, source_type: "webhook" });
    expect(byPath["two.ts"]).toMatchObject({ user_id: project.userId, source_type: "system" });
  });

  it("logs one row per file of a multi-row statement and records renames", async () => {
    const project = await createProject();
    await db.query(
      `INSERT INTO project_files (project_id, file_path, file_name, content)
       SELECT $1, 'f' || g || '.ts', 'f' || g || '.ts', 'x' FROM generate_series(1, 50) g`,
      [project.id],
    );
    await db.query(`UPDATE project_files SET file_path = 'renamed.ts' WHERE project_id = $1 AND file_path = 'f1.ts'`, [
      project.id,
    ]);
    const log = await activity(project.id);
    expect(log.filter((row) => row.activity_type === "file_created")).toHaveLength(50);
    const rename = log.find((row) => row.activity_type === "file_modified");
    expect(rename?.metadata).toMatchObject({ file_path: "renamed.ts", previous_path: "f1.ts" });
  });
});
