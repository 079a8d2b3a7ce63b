import { describe, expect, it } from "vitest";
import { withTransaction } from "../db";
import { createInteraction, createProject, createUser, db, insertFile, one, rows, setActor } from "./helpers";

async function versions(fileId: string) {
  return rows<{ version: number; content: string; source_type: string; created_by: string | null }>(
    db,
    `SELECT version, content, source_type, created_by FROM project_file_versions WHERE file_id = $1 ORDER BY version`,
    [fileId],
  );
}

async function currentVersion(fileId: string): Promise<number> {
  return (await one<{ version: number }>(db, `SELECT version FROM project_files WHERE id = $1`, [fileId])).version;
}

describe("file versions", () => {
  it("writes version 1 on insert and a new version on every content change", async () => {
    const project = await createProject();
    const fileId = await insertFile(db, project.id, { path: "a.ts", content: "one", createdBy: project.userId });

    await db.query(`UPDATE project_files SET content = 'two' WHERE id = $1`, [fileId]);
    expect(await currentVersion(fileId)).toBe(2);
    await db.query(`UPDATE project_files SET content = 'three' WHERE id = $1`, [fileId]);
    expect(await currentVersion(fileId)).toBe(3);

    expect(await versions(fileId)).toEqual([
      { version: 1, content: "one", source_type: "system", created_by: project.userId },
      { version: 2, content: "two", source_type: "system", created_by: project.userId },
      { version: 3, content: "three", source_type: "system", created_by: project.userId },
    ]);
  });

  it("does not make a version on a metadata-only update", async () => {
    const project = await createProject();
    const fileId = await insertFile(db, project.id, { path: "a.ts", content: "same" });
    await db.query(`UPDATE project_files SET file_type = 'typescript', is_generated = true WHERE id = $1`, [fileId]);
    await db.query(`UPDATE project_files SET content = 'same' WHERE id = $1`, [fileId]);
    expect(await currentVersion(fileId)).toBe(1);
    expect(await versions(fileId)).toHaveLength(1);
  });

  it("keeps a version number the writer bumped, and bumps one the writer left stale", async () => {
    const project = await createProject();
    const fileId = await insertFile(db, project.id, { path: "a.ts", content: "v1" });
    await db.query(`UPDATE project_files SET content = 'v2', version = version + 1 WHERE id = $1`, [fileId]);
    expect(await currentVersion(fileId)).toBe(2);
    await db.query(`UPDATE project_files SET content = 'v3', version = 1 WHERE id = $1`, [fileId]);
    expect(await currentVersion(fileId)).toBe(3);
    expect((await versions(fileId)).map((row) => row.version)).toEqual([1, 2, 3]);
  });

  it("records the actor and interaction of each version", async () => {
    const project = await createProject();
    const actor = await createUser();
    const interactionId = await createInteraction(db, project.id, project.userId);
    const fileId = await insertFile(db, project.id, { path: "a.ts", content: "v1" });
    await withTransaction(async (client) => {
      await setActor(client, { userId: actor.id, source: "claude", interactionId });
      await client.query(`UPDATE project_files SET content = 'v2' WHERE id = $1`, [fileId]);
    });
    const row = await one<{ source_type: string; interaction_id: string; created_by: string }>(
      db,
      `SELECT source_type, interaction_id, created_by FROM project_file_versions WHERE file_id = $1 AND version = 2`,
      [fileId],
    );
    expect(row).toEqual({ source_type: "claude", interaction_id: interactionId, created_by: actor.id });
  });

  it("keeps every version after the file is deleted", async () => {
    const project = await createProject();
    const fileId = await insertFile(db, project.id, { path: "gone.ts", content: "v1" });
    await db.query(`UPDATE project_files SET content = 'v2' WHERE id = $1`, [fileId]);
    await db.query(`DELETE FROM project_files WHERE id = $1`, [fileId]);
    expect((await versions(fileId)).map((row) => row.content)).toEqual(["v1", "v2"]);
  });
});
