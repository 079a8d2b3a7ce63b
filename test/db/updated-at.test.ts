import { describe, expect, it } from "vitest";
import { createProject, createTemplate, createUser, db, insertFile, one, suffix } from "./helpers";

const LONG_AGO = "2000-01-01T00:00:00Z";

/** Backdates updated_at with a plain update (the trigger is disabled for it), then updates another column. */
async function touches(table: string, id: string, assignment: string): Promise<Date> {
  await db.query(`ALTER TABLE ${table} DISABLE TRIGGER USER`);
  try {
    await db.query(`UPDATE ${table} SET updated_at = $1 WHERE id = $2`, [LONG_AGO, id]);
  } finally {
    await db.query(`ALTER TABLE ${table} ENABLE TRIGGER USER`);
  }
  await db.query(`UPDATE ${table} SET ${assignment} WHERE id = $1`, [id]);
  const row = await one<{ updated_at: Date; fresh: boolean }>(
    db,
    `SELECT updated_at, updated_at > now() - interval '1 minute' AS fresh FROM ${table} WHERE id = $1`,
    [id],
  );
  expect(row.fresh).toBe(true);
  return row.updated_at;
}

describe("updated_at triggers", () => {
  it("bumps users.updated_at on update", async () => {
    const user = await createUser();
    await touches("users", user.id, "bio = 'hello'");
  });

  it("bumps projects.updated_at on update", async () => {
    const project = await createProject();
    await touches("projects", project.id, "status = 'running'");
  });

  it("bumps project_files.updated_at on update", async () => {
    const project = await createProject();
    const fileId = await insertFile(db, project.id, { path: "src/a.ts" });
    await touches("project_files", fileId, "file_type = 'typescript'");
  });

  it("bumps infrastructure_resources.updated_at on update", async () => {
    const project = await createProject();
    const row = await one<{ id: string }>(
      db,
      `INSERT INTO infrastructure_resources (project_id, resource_type, resource_name, resource_id)
       VALUES ($1, 'container', $2, 'docker-1') RETURNING id`,
      [project.id, `web-${suffix()}`],
    );
    await touches("infrastructure_resources", row.id, "status = 'stopped'");
  });

  it("bumps project_integrations.updated_at on update", async () => {
    const project = await createProject();
    const row = await one<{ id: string }>(
      db,
      `INSERT INTO project_integrations (project_id, user_id, service_name, service_type)
       VALUES ($1, $2, 'stripe', 'payment') RETURNING id`,
      [project.id, project.userId],
    );
    await touches("project_integrations", row.id, "is_configured = true");
  });

  it("bumps project_templates.updated_at on update", async () => {
    const templateId = await createTemplate();
    await touches("project_templates", templateId, "is_public = true");
  });

  it("bumps template_ratings.updated_at on update", async () => {
    const user = await createUser();
    const templateId = await createTemplate();
    const row = await one<{ id: string }>(
      db,
      `INSERT INTO template_ratings (template_id, user_id, rating) VALUES ($1, $2, 4) RETURNING id`,
      [templateId, user.id],
    );
    await touches("template_ratings", row.id, "review = 'nice'");
  });
});
