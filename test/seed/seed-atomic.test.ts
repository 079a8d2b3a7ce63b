import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { seedDatabase } from "../../prisma/seed/index";
import { pool } from "../db";
import { DEMO_INTERACTIONS, DEMO_INTERACTIONS_FINGERPRINT, interactionsFingerprint } from "./demo-fingerprint";

const templatesDir = fileURLToPath(new URL("../../prisma/seed/templates", import.meta.url));

async function demoRows(): Promise<Record<string, number>> {
  const { rows } = await pool.query<Record<string, number>>(
    `SELECT (SELECT count(*)::int FROM projects) AS projects,
            (SELECT count(*)::int FROM project_files) AS files,
            (SELECT count(*)::int FROM project_file_versions) AS versions,
            (SELECT count(*)::int FROM project_activity) AS activity,
            (SELECT count(*)::int FROM claude_interactions) AS interactions,
            (SELECT count(*)::int FROM infrastructure_resources) AS resources,
            (SELECT COALESCE(sum(usage_count), 0)::int FROM project_templates) AS template_uses`,
  );
  return rows[0] ?? {};
}

describe("seedDatabase when the demo fails half-way", () => {
  it("writes none of the demo (the services' writes roll back with it), and the next run writes all of it", async () => {
    // Without the Notes API's template the demo stops at its third project, after two went through createProject.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vf-seed-templates-"));
    try {
      fs.cpSync(templatesDir, dir, { recursive: true });
      fs.rmSync(path.join(dir, "express-api"), { recursive: true });
      await expect(seedDatabase(pool, { templatesDir: dir })).rejects.toThrow("needs template express-api");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    expect(await demoRows()).toEqual({
      projects: 0,
      files: 0,
      versions: 0,
      activity: 0,
      interactions: 0,
      resources: 0,
      template_uses: 0,
    });

    const summary = await seedDatabase(pool);
    expect(summary.demo.generated).toBe(true);
    expect(summary.demo.interactions).toBe(DEMO_INTERACTIONS);
    expect(await interactionsFingerprint(pool)).toBe(DEMO_INTERACTIONS_FINGERPRINT);
    expect((await demoRows()).projects).toBe(summary.demo.projects);
  });
});
