import { describe, expect, it } from "vitest";
import { pool } from "../db";
import { expectFailure, signedInUser } from "./support";

async function template(
  files: unknown,
  options: { isPublic?: boolean; createdBy?: string | null } = {},
): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO project_templates (created_by, name, description, category, tech_stack, file_structure, is_public)
     VALUES ($1, $2, 'A template', 'web-app', '{"frontend":"next"}', $3, $4) RETURNING id`,
    [
      options.createdBy ?? null,
      `template-${Math.random().toString(36).slice(2)}`,
      JSON.stringify(files),
      options.isPublic ?? true,
    ],
  );
  return rows[0]!.id;
}

describe("projects", () => {
  it("creates a blank project with a README, lists the caller's projects newest activity first, and gets one", async () => {
    const { api } = await signedInUser();
    const first = await api.project.create({ name: "First", description: "The first one" });
    const second = await api.project.create({ name: "Second" });
    const readme = await api.file.read({ projectId: first.id, path: "README.md" });
    expect(readme.content).toBe("# First\n\nThe first one\n");
    await api.file.save({
      projectId: first.id,
      path: "README.md",
      content: "# First!\n",
      fileId: readme.id,
      baseVersion: 1,
    });

    const list = (await api.project.list()).items;
    expect(list.map((project) => project.id)).toEqual([first.id, second.id]);
    expect(list[0]).toMatchObject({
      name: "First",
      description: "The first one",
      totalFiles: 1,
      totalSizeBytes: 9,
      templateId: null,
      status: "stopped",
    });
    expect(await api.project.get({ projectId: second.id })).toMatchObject({
      id: second.id,
      name: "Second",
      totalFiles: 1,
      template: null,
    });

    const other = await signedInUser();
    expect((await other.api.project.list()).items).toEqual([]);
  });

  it("copies a template's files in one statement, counts the use, and refuses a private template of someone else", async () => {
    const { api, userId } = await signedInUser();
    const templateId = await template({
      files: [
        { path: "package.json", content: '{ "name": "starter" }\n' },
        { path: "src/app/page.tsx", content: "export default function Page() { return null; }\n" },
        { path: "public/favicon.ico", content: Buffer.from([0, 1, 2]).toString("base64"), encoding: "base64" },
      ],
    });
    const { id } = await api.project.create({ name: "From template", templateId });
    const files = await api.file.list({ projectId: id });
    expect(files.map((file) => file.path).sort()).toEqual(["package.json", "public/favicon.ico", "src/app/page.tsx"]);
    expect(await api.file.read({ projectId: id, path: "public/favicon.ico" })).toMatchObject({
      isBinary: true,
      sizeBytes: 3,
    });
    const { rows } = await pool.query(
      `SELECT t.usage_count, p.template_id, p.total_files,
              (SELECT count(DISTINCT source_type) FROM project_file_versions v WHERE v.project_id = p.id) AS sources,
              (SELECT min(created_by::text) FROM project_file_versions v WHERE v.project_id = p.id) AS author
         FROM projects p JOIN project_templates t ON t.id = p.template_id WHERE p.id = $1`,
      [id],
    );
    expect(rows[0]).toMatchObject({
      usage_count: 1,
      template_id: templateId,
      total_files: 3,
      sources: "1",
      author: userId,
    });

    const privateTemplate = await template({ files: [] }, { isPublic: false });
    await expectFailure(api.project.create({ name: "Nope", templateId: privateTemplate }), "NOT_FOUND");
    const mine = await template({ files: [{ path: "a.md", content: "a" }] }, { isPublic: false, createdBy: userId });
    expect((await api.project.create({ name: "Mine", templateId: mine })).id).toBeTruthy();

    const broken = await template({ files: [{ path: "../escape", content: "x" }] });
    await expectFailure(api.project.create({ name: "Broken", templateId: broken }), "BAD_REQUEST");
    expect((await api.project.list()).items.map((project) => project.name).sort()).toEqual(["From template", "Mine"]);
  });
});
