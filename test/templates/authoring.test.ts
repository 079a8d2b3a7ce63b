import { describe, expect, it } from "vitest";
import { env } from "~/env";
import { pool } from "../db";
import { projectState } from "../files/support";
import { adminCaller, anonymousCaller, expectFailure, publishedTemplate, signedInUser, uniqueWord } from "./support";

async function templateRow(templateId: string) {
  const { rows } = await pool.query(
    `SELECT version, changelog, usage_count, file_structure, is_public, published_at FROM project_templates WHERE id = $1`,
    [templateId],
  );
  return rows[0];
}

async function versions(templateId: string) {
  const { rows } = await pool.query<{ version: string; changelog: string; file_count: number }>(
    `SELECT version, changelog, file_count FROM project_template_versions WHERE template_id = $1 ORDER BY version_key`,
    [templateId],
  );
  return rows;
}

describe("template.publish", () => {
  it("publishes a project as a new template, then a new version; every version keeps its files", async () => {
    const { api } = await signedInUser();
    const { templateId, projectId } = await publishedTemplate(api, { files: { "src/a.ts": "export const a = 1;\n" } });
    expect(await versions(templateId)).toEqual([{ version: "1.0.0", changelog: "First release.", file_count: 2 }]);

    const tree = await api.file.list({ projectId });
    const a = tree.find((file) => file.path === "src/a.ts")!;
    await api.file.save({
      projectId,
      path: "src/a.ts",
      content: "export const a = 2;\n",
      fileId: a.id,
      baseVersion: a.version,
    });
    await api.template.publish({ mode: "version", projectId, templateId, version: "1.1.0", changelog: "a is 2." });

    expect((await versions(templateId)).map((v) => v.version)).toEqual(["1.0.0", "1.1.0"]);
    expect(await templateRow(templateId)).toMatchObject({ version: "1.1.0", changelog: "a is 2." });
    const old = await api.template.files({ templateId, version: "1.0.0", path: "src/a.ts" });
    const current = await api.template.files({ templateId, path: "src/a.ts" });
    expect(old.file?.content).toBe("export const a = 1;\n");
    expect(current).toMatchObject({ version: "1.1.0", file: { content: "export const a = 2;\n", isBinary: false } });
    const listing = await api.template.files({ templateId });
    expect(listing.files?.map((file) => file.path)).toEqual(["README.md", "src/a.ts"]);
    expect((await api.template.byId({ templateId })).versions.map((v) => v.version)).toEqual(["1.1.0", "1.0.0"]);
  });

  it("refuses a version not above the current one, a missing changelog and someone else's template", async () => {
    const { api } = await signedInUser();
    const { api: other } = await signedInUser();
    const { templateId, projectId } = await publishedTemplate(api);
    await api.template.publish({ mode: "version", projectId, templateId, version: "1.10.0", changelog: "Ten." });

    for (const version of ["1.10.0", "1.9.9", "0.1.0"]) {
      await expectFailure(
        api.template.publish({ mode: "version", projectId, templateId, version, changelog: "Again." }),
        "BAD_REQUEST",
        /above the current one, 1\.10\.0/,
      );
    }
    await expectFailure(
      api.template.publish({ mode: "version", projectId, templateId, version: "2.0.0", changelog: "  " }),
      "BAD_REQUEST",
      /what changed/,
    );
    await expectFailure(
      api.template.publish({ mode: "version", projectId, templateId, version: "v2", changelog: "x" }),
      "BAD_REQUEST",
      /like 1\.2\.0/,
    );
    const otherProject = (await other.project.create({ name: "Other source" })).id;
    await expectFailure(
      other.template.publish({
        mode: "version",
        projectId: otherProject,
        templateId,
        version: "3.0.0",
        changelog: "x",
      }),
      "NOT_FOUND",
    );
    expect((await versions(templateId)).map((v) => v.version)).toEqual(["1.0.0", "1.10.0"]);
  });

  it("refuses a project over the template limits before reading its files, and bad metadata, writing nothing", async () => {
    const { api } = await signedInUser();
    const projectId = (await api.project.create({ name: "Too big" })).id;
    await pool.query(`UPDATE projects SET total_files = $2 WHERE id = $1`, [projectId, env.TEMPLATE_MAX_FILES + 1]);
    const base = {
      mode: "new" as const,
      projectId,
      name: `Big ${uniqueWord()}`,
      description: "Too big to publish.",
      category: "web-app" as const,
      tags: ["big"],
      isPublic: true,
    };
    await expectFailure(api.template.publish(base), "BAD_REQUEST", /a template holds at most 500/);
    await pool.query(`UPDATE projects SET total_files = 1, total_size_bytes = $2 WHERE id = $1`, [
      projectId,
      env.TEMPLATE_MAX_BYTES + 1,
    ]);
    await expectFailure(api.template.publish(base), "BAD_REQUEST", /over the template limit of 10 MB/);
    await pool.query(`UPDATE projects SET total_size_bytes = 10 WHERE id = $1`, [projectId]);
    await expectFailure(
      api.template.publish({ ...base, tags: Array.from({ length: 11 }, (_, i) => `t${i}`) }),
      "BAD_REQUEST",
      /at most 10 tags/,
    );
    await expectFailure(api.template.publish({ ...base, tags: ["Not A Tag!"] }), "BAD_REQUEST", /lowercase/);
    await expectFailure(api.template.publish({ ...base, name: "" }), "BAD_REQUEST", /template name/);
    await expectFailure(api.template.publish({ ...base, description: "x".repeat(2001) }), "BAD_REQUEST", /2,000/);
    await expectFailure(api.template.publish({ ...base, category: "games" as "game" }), "BAD_REQUEST", /category/);
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM project_templates WHERE source_project_id = $1`, [
      projectId,
    ]);
    expect(rows[0].n).toBe(0);
  });

  it("lets only one of two concurrent publishes of the same version through; the other is a clear error", async () => {
    const { api } = await signedInUser();
    const { templateId, projectId } = await publishedTemplate(api);
    const publish = (changelog: string) =>
      api.template.publish({ mode: "version", projectId, templateId, version: "1.1.0", changelog });
    const results = await Promise.allSettled([publish("First."), publish("Second.")]);
    expect(results.map((result) => result.status).sort()).toEqual(["fulfilled", "rejected"]);
    const refused = results.find((result) => result.status === "rejected") as PromiseRejectedResult;
    expect(refused.reason).toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/above the current/) });
    expect((await versions(templateId)).map((v) => v.version)).toEqual(["1.0.0", "1.1.0"]);
  });

  it("checks the limits on the files it snapshots too, not only on the counters read before them", async () => {
    const { api } = await signedInUser();
    const projectId = (await api.project.create({ name: "Grows while publishing" })).id;
    // Files that arrive after the counters were read (an import running beside the publish): the counters still
    // say one small file, as they did when the publish read them.
    await pool.query(
      `INSERT INTO project_files (project_id, file_path, file_name, file_type, mime_type, content, content_hash,
                                  encoding, size_bytes, line_count, is_binary)
       SELECT project_id, 'f' || g || '.txt', 'f' || g || '.txt', file_type, mime_type, content, content_hash,
              encoding, size_bytes, line_count, is_binary
         FROM project_files, generate_series(1, $2::int) g WHERE project_id = $1`,
      [projectId, env.TEMPLATE_MAX_FILES],
    );
    await pool.query(`UPDATE projects SET total_files = 1, total_size_bytes = 10 WHERE id = $1`, [projectId]);
    const input = {
      mode: "new" as const,
      projectId,
      name: `Grown ${uniqueWord()}`,
      description: "More files than a template holds.",
      category: "web-app" as const,
      tags: [],
      isPublic: true,
    };
    await expectFailure(api.template.publish(input), "BAD_REQUEST", /a template holds at most 500/);
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM project_templates WHERE source_project_id = $1`, [
      projectId,
    ]);
    expect(rows[0].n).toBe(0);
  });

  it("keeps HTML in names and descriptions as text", async () => {
    const { api } = await signedInUser();
    const projectId = (await api.project.create({ name: "Html source" })).id;
    const name = `<img src=x onerror=alert(1)> ${uniqueWord()}`;
    const { templateId } = await api.template.publish({
      mode: "new",
      projectId,
      name,
      description: "<script>alert(1)</script>",
      category: "static",
      tags: ["html"],
      isPublic: true,
    });
    expect(await (await anonymousCaller()).template.byId({ templateId })).toMatchObject({
      name,
      description: "<script>alert(1)</script>",
    });
  });
});

describe("template.use", () => {
  it("creates a project from the current version: its files, the version recorded, usage counted, activity logged", async () => {
    const { api: author } = await signedInUser();
    const { api: user } = await signedInUser();
    const { templateId, projectId: source } = await publishedTemplate(author, {
      files: { "index.html": "<h1>Hi</h1>\n" },
    });
    await author.template.publish({
      mode: "version",
      projectId: source,
      templateId,
      version: "1.1.0",
      changelog: "Same.",
    });

    const { id } = await user.template.use({ templateId, name: "From the gallery" });
    const { rows } = await pool.query(
      `SELECT p.template_id, v.version, (SELECT usage_count FROM project_templates WHERE id = $2) AS usage
         FROM projects p JOIN project_template_versions v ON v.id = p.template_version_id WHERE p.id = $1`,
      [id, templateId],
    );
    expect(rows[0]).toEqual({ template_id: templateId, version: "1.1.0", usage: 1 });
    expect((await user.file.list({ projectId: id })).map((f) => f.path).sort()).toEqual(["README.md", "index.html"]);
    const activity = await pool.query(
      `SELECT description, source_type FROM project_activity WHERE project_id = $1 AND activity_type = 'template_used'`,
      [id],
    );
    expect(activity.rows).toEqual([{ description: expect.stringMatching(/ 1\.1\.0$/), source_type: "user" }]);

    await expectFailure(
      user.template.use({ templateId, name: "From the gallery" }),
      "CONFLICT",
      /already have a project/,
    );
    expect((await templateRow(templateId)).usage_count).toBe(1);
    await expectFailure((await anonymousCaller()).template.use({ templateId, name: "Anon" }), "UNAUTHORIZED");
  });
});

describe("template.update, template.delete and admin flags", () => {
  it("lets the author edit metadata and delete; projects made from it keep their files", async () => {
    const { api: author } = await signedInUser();
    const { api: user } = await signedInUser();
    const { templateId } = await publishedTemplate(author);
    await expectFailure(user.template.update({ templateId, name: "Mine now" }), "NOT_FOUND");
    await author.template.update({ templateId, name: "Renamed", tags: ["a", "a", "b"], category: "cli" });
    expect(await user.template.byId({ templateId })).toMatchObject({
      name: "Renamed",
      tags: ["a", "b"],
      category: "cli",
    });

    const { id } = await user.template.use({ templateId, name: "Keeps its files" });
    const before = await projectState(id);
    await expectFailure(user.template.delete({ templateId }), "NOT_FOUND");
    await author.template.delete({ templateId });
    await expectFailure(user.template.byId({ templateId }), "NOT_FOUND");
    expect((await projectState(id)).files).toEqual(before.files);
    const { rows } = await pool.query(`SELECT template_id, template_version_id FROM projects WHERE id = $1`, [id]);
    expect(rows[0]).toEqual({ template_id: null, template_version_id: null });
  });

  it("lets only admins mark templates featured or official, recorded in the audit log", async () => {
    const { api: author } = await signedInUser();
    const { templateId } = await publishedTemplate(author);
    await expectFailure(author.template.setFlags({ templateId, isFeatured: true }), "FORBIDDEN");
    const admin = await adminCaller();
    await admin.template.setFlags({ templateId, isFeatured: true, isOfficial: true });
    expect(await author.template.byId({ templateId })).toMatchObject({ isFeatured: true, isOfficial: true });
    const { rows } = await pool.query(`SELECT action FROM admin_audit_log WHERE target->>'templateId' = $1`, [
      templateId,
    ]);
    expect(rows).toEqual([{ action: "template.flags" }]);
  });
});
