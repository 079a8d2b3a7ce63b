import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { pool } from "../db";
import { expectFailure, newProject, projectState, signedInUser, type Caller } from "../files/support";

type Files = Record<string, string | { base64: string }>;

function fileStructure(files: Files) {
  return {
    files: Object.entries(files).map(([path, content]) =>
      typeof content === "string" ? { path, content } : { path, content: content.base64, encoding: "base64" },
    ),
  };
}

/** A public template whose first version (1.0.0) has `files`, written straight into the tables. */
async function makeTemplate(files: Files) {
  const name = `Starter ${randomBytes(3).toString("hex")}`;
  const structure = fileStructure(files);
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO project_templates (name, description, category, tags, tech_stack, file_structure, is_public, version)
     VALUES ($1, 'A template to upgrade from', 'web-app', '{}', '{}', $2, true, '1.0.0') RETURNING id`,
    [name, structure],
  );
  const templateId = rows[0]!.id;
  await addVersion(templateId, "1.0.0", files, "First release.");
  return { templateId, name };
}

/** A version of the template with `files`, made its current one (as publishing would). */
async function addVersion(templateId: string, version: string, files: Files, changelog: string): Promise<string> {
  const structure = fileStructure(files);
  const size = structure.files.reduce((sum, file) => sum + Buffer.byteLength(file.content), 0);
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO project_template_versions (template_id, version, changelog, file_structure, file_count, total_size_bytes)
     VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
    [templateId, version, changelog, structure, structure.files.length, size],
  );
  await pool.query(`UPDATE project_templates SET version = $2, file_structure = $3 WHERE id = $1`, [
    templateId,
    version,
    structure,
  ]);
  return rows[0]!.id;
}

async function projectFrom(api: Caller, templateId: string): Promise<string> {
  return (await api.project.create({ name: `From template ${randomBytes(3).toString("hex")}`, templateId })).id;
}

async function save(api: Caller, projectId: string, path: string, content: string) {
  const file = await api.file.read({ projectId, path });
  return api.file.save({ projectId, path, content, fileId: file.id, baseVersion: file.version });
}

async function liveFiles(projectId: string): Promise<Record<string, string>> {
  const { rows } = await pool.query<{ file_path: string; content: string }>(
    `SELECT file_path, content FROM project_files WHERE project_id = $1 ORDER BY file_path`,
    [projectId],
  );
  return Object.fromEntries(rows.map((row) => [row.file_path, row.content]));
}

async function templateVersionOf(projectId: string): Promise<string | null> {
  const { rows } = await pool.query(`SELECT template_version_id FROM projects WHERE id = $1`, [projectId]);
  return rows[0].template_version_id;
}

/** What the upgrade page sends back: the preview's file versions, and the resolutions given. */
function expectedOf(preview: { files: { path: string; fileId: string | null; version: number | null }[] }) {
  return preview.files.map(({ path, fileId, version }) => ({ path, fileId, version }));
}

const APP_V1 = "import { start } from './server';\n\nconst name = 'app';\n\nstart(name);\n";
const CONFIG_V1 = "export const config = {\n  port: 3000,\n  debug: false,\n};\n";
const V1: Files = {
  "README.md": "# Starter\n",
  "src/app.ts": APP_V1,
  "src/config.ts": CONFIG_V1,
  "old.txt": "to be removed\n",
  "notes.txt": "notes\n",
  "logo.png": { base64: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1]).toString("base64") },
};
const V2: Files = {
  "README.md": "# Starter\n\nNow with docs.\n",
  "src/app.ts": APP_V1.replace("import { start }", "import { start, stop }"),
  "src/config.ts": CONFIG_V1.replace("3000", "8080"),
  "notes.txt": "notes\n",
  "docs/guide.md": "# Guide\n",
  "logo.png": { base64: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 2]).toString("base64") },
};

/** A project made from 1.0.0 with its own edits (one that merges, one that collides), then 1.1.0 published. */
async function upgradableProject() {
  const user = await signedInUser();
  const template = await makeTemplate(V1);
  const projectId = await projectFrom(user.api, template.templateId);
  await save(user.api, projectId, "src/app.ts", APP_V1.replace("start(name);", "start(name, { verbose: true });"));
  await save(user.api, projectId, "src/config.ts", CONFIG_V1.replace("3000", "4000"));
  await save(user.api, projectId, "notes.txt", "my own notes\n");
  const toVersionId = await addVersion(template.templateId, "1.1.0", V2, "Docs, stop(), port 8080.");
  return { ...user, ...template, projectId, toVersionId };
}

describe("template.upgradeStatus", () => {
  it("says nothing for a project without a template, and for one at the newest version", async () => {
    const { api } = await signedInUser();
    const blank = await newProject(api);
    expect(await api.template.upgradeStatus({ projectId: blank })).toBeNull();
    const { templateId } = await makeTemplate({ "a.txt": "a\n" });
    const current = await projectFrom(api, templateId);
    expect(await api.template.upgradeStatus({ projectId: current })).toBeNull();
  });

  it("names the newer version and the changelog of every version above the project's, newest first", async () => {
    const { api, projectId, templateId, name, toVersionId } = await upgradableProject();
    expect(await api.template.upgradeStatus({ projectId })).toMatchObject({
      templateId,
      templateName: name,
      fromVersion: "1.0.0",
      toVersion: "1.1.0",
      toVersionId,
      changelog: [{ version: "1.1.0", changelog: "Docs, stop(), port 8080." }],
    });
    // 1.10.0 sorts after 1.9.0 (numeric order), and both are listed.
    await addVersion(templateId, "1.9.0", V2, "Nine.");
    const newest = await addVersion(templateId, "1.10.0", V2, "Ten.");
    const status = await api.template.upgradeStatus({ projectId });
    expect(status?.toVersionId).toBe(newest);
    expect(status?.changelog.map((entry) => entry.version)).toEqual(["1.10.0", "1.9.0", "1.1.0"]);
    expect(status?.changelog[0]!.createdAt).toBeInstanceOf(Date);
  });
});

describe("template.upgradePreview and template.upgradeApply", () => {
  it("previews the clean changes and the collision, then applies them with a hand resolution in one go", async () => {
    const { api, userId, projectId, name, toVersionId } = await upgradableProject();
    const preview = await api.template.upgradePreview({ projectId });
    expect(preview).toMatchObject({ fromVersion: "1.0.0", toVersion: "1.1.0", cleanCount: 5, conflictCount: 1 });
    const byPath = Object.fromEntries(preview.files.map((file) => [file.path, file]));
    expect(Object.keys(byPath)).toEqual([
      "README.md",
      "docs/guide.md",
      "logo.png",
      "old.txt",
      "src/app.ts",
      "src/config.ts",
    ]);
    expect(byPath["docs/guide.md"]).toMatchObject({ change: "add", status: "clean", fileId: null, version: null });
    expect(byPath["old.txt"]).toMatchObject({ change: "delete", status: "clean", merged: null, version: 1 });
    expect(byPath["logo.png"]).toMatchObject({ change: "modify", status: "clean", isBinary: true, ours: null });
    expect(byPath["src/app.ts"]).toMatchObject({
      change: "modify",
      status: "clean",
      version: 2,
      merged: "import { start, stop } from './server';\n\nconst name = 'app';\n\nstart(name, { verbose: true });\n",
    });
    const config = byPath["src/config.ts"]!;
    expect(config).toMatchObject({
      change: "modify",
      status: "conflict",
      base: CONFIG_V1,
      ours: CONFIG_V1.replace("3000", "4000"),
    });
    expect(config.merged).toBe(
      "export const config = {\n<<<<<<< yours\n  port: 4000,\n=======\n  port: 8080,\n>>>>>>> template 1.1.0\n  debug: false,\n};\n",
    );

    const resolved = CONFIG_V1.replace("3000", "4000").replace("false", "true");
    const result = await api.template.upgradeApply({
      projectId,
      toVersionId,
      expected: expectedOf(preview),
      resolutions: [{ path: "src/config.ts", content: resolved }],
    });
    expect(result).toMatchObject({ toVersion: "1.1.0", created: 1, modified: 4, deleted: 1, conflictsResolved: 1 });

    const files = await liveFiles(projectId);
    expect(files).toMatchObject({
      "README.md": "# Starter\n\nNow with docs.\n",
      "docs/guide.md": "# Guide\n",
      "notes.txt": "my own notes\n",
      "src/app.ts": byPath["src/app.ts"]!.merged,
      "src/config.ts": resolved,
      "logo.png": Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 2]).toString("base64"),
    });
    expect(files).not.toHaveProperty("old.txt");
    expect(await templateVersionOf(projectId)).toBe(toVersionId);

    // The new versions and the triggers' activity say the system wrote them, for the user.
    const { rows: newest } = await pool.query(
      `SELECT DISTINCT ON (file_path) file_path, version, source_type, created_by FROM project_file_versions
        WHERE project_id = $1 AND file_path IN ('src/app.ts', 'src/config.ts', 'README.md', 'docs/guide.md')
        ORDER BY file_path, version DESC`,
      [projectId],
    );
    expect(newest).toEqual([
      { file_path: "README.md", version: 2, source_type: "system", created_by: userId },
      { file_path: "docs/guide.md", version: 1, source_type: "system", created_by: userId },
      { file_path: "src/app.ts", version: 3, source_type: "system", created_by: userId },
      { file_path: "src/config.ts", version: 3, source_type: "system", created_by: userId },
    ]);
    const { rows: activity } = await pool.query(
      `SELECT activity_type, source_type, user_id, description, metadata FROM project_activity
        WHERE project_id = $1 AND activity_type = 'template_upgraded'`,
      [projectId],
    );
    expect(activity).toEqual([
      {
        activity_type: "template_upgraded",
        source_type: "system",
        user_id: userId,
        description: `Upgraded from template ${name} 1.0.0 to 1.1.0`,
        metadata: expect.objectContaining({
          from_version: "1.0.0",
          to_version: "1.1.0",
          to_version_id: toVersionId,
          created: 1,
          modified: 4,
          deleted: 1,
          conflicts_resolved: 1,
        }),
      },
    ]);
    const { rows: fileActivity } = await pool.query(
      `SELECT activity_type, affected_resources[1] AS path, source_type, user_id FROM project_activity
        WHERE project_id = $1 AND activity_type IN ('file_created', 'file_modified', 'file_deleted')
          AND (activity_type, affected_resources[1]) IN
              (('file_created', 'docs/guide.md'), ('file_deleted', 'old.txt'), ('file_modified', 'README.md'))
        ORDER BY path`,
      [projectId],
    );
    expect(fileActivity).toEqual([
      { activity_type: "file_modified", path: "README.md", source_type: "system", user_id: userId },
      { activity_type: "file_created", path: "docs/guide.md", source_type: "system", user_id: userId },
      { activity_type: "file_deleted", path: "old.txt", source_type: "system", user_id: userId },
    ]);

    // Done: nothing more to upgrade, and a second apply of the same preview is refused.
    expect(await api.template.upgradeStatus({ projectId })).toBeNull();
    await expectFailure(
      api.template.upgradeApply({ projectId, toVersionId, expected: expectedOf(preview), resolutions: [] }),
      "CONFLICT",
      /already upgraded/,
    );
  });

  it("refuses a preview gone stale (a file saved after it): CONFLICT, nothing written", async () => {
    const { api, projectId, toVersionId } = await upgradableProject();
    const preview = await api.template.upgradePreview({ projectId });
    await save(api, projectId, "src/app.ts", "// rewritten after the preview\n");
    const before = await projectState(projectId);
    const error = await expectFailure(
      api.template.upgradeApply({
        projectId,
        toVersionId,
        expected: expectedOf(preview),
        resolutions: [{ path: "src/config.ts", take: "theirs" }],
      }),
      "CONFLICT",
      /changed since you reviewed this upgrade \(“src\/app\.ts”\)/,
    );
    expect((error.cause as unknown as { data: unknown }).data).toEqual({ paths: ["src/app.ts"] });
    expect(await projectState(projectId)).toEqual(before);
    expect(await templateVersionOf(projectId)).not.toBe(toVersionId);
  });

  it("refuses a file created where the template adds one after the preview", async () => {
    const { api, projectId, toVersionId } = await upgradableProject();
    const preview = await api.template.upgradePreview({ projectId });
    await api.file.create({ projectId, path: "docs/guide.md", kind: "file", content: "mine\n" });
    const before = await projectState(projectId);
    await expectFailure(
      api.template.upgradeApply({
        projectId,
        toVersionId,
        expected: expectedOf(preview),
        resolutions: [{ path: "src/config.ts", take: "ours" }],
      }),
      "CONFLICT",
      /docs\/guide\.md/,
    );
    expect(await projectState(projectId)).toEqual(before);
  });

  it("refuses an apply with a collision left unresolved, or a resolution of a path without one, writing nothing", async () => {
    const { api, projectId, toVersionId } = await upgradableProject();
    const preview = await api.template.upgradePreview({ projectId });
    const before = await projectState(projectId);
    await expectFailure(
      api.template.upgradeApply({ projectId, toVersionId, expected: expectedOf(preview), resolutions: [] }),
      "CONFLICT",
      /Resolve every conflict before upgrading: “src\/config\.ts”/,
    );
    await expectFailure(
      api.template.upgradeApply({
        projectId,
        toVersionId,
        expected: expectedOf(preview),
        resolutions: [
          { path: "src/config.ts", take: "ours" },
          { path: "src/app.ts", content: "no conflict here\n" },
        ],
      }),
      "BAD_REQUEST",
      /“src\/app\.ts” has no conflict to resolve/,
    );
    expect(await projectState(projectId)).toEqual(before);
    expect(await templateVersionOf(projectId)).not.toBe(toVersionId);
  });

  it("refuses a preview made for a version that is no longer the newest", async () => {
    const { api, projectId, templateId, toVersionId } = await upgradableProject();
    const preview = await api.template.upgradePreview({ projectId });
    await addVersion(templateId, "1.2.0", V2, "Another.");
    const before = await projectState(projectId);
    await expectFailure(
      api.template.upgradeApply({
        projectId,
        toVersionId,
        expected: expectedOf(preview),
        resolutions: [{ path: "src/config.ts", take: "theirs" }],
      }),
      "CONFLICT",
      /newest version is now 1\.2\.0/,
    );
    expect(await projectState(projectId)).toEqual(before);
  });

  it("resolves add/add, delete/modify and modify/delete collisions by taking a side or deleting", async () => {
    const { api } = await signedInUser();
    const { templateId } = await makeTemplate({ "keep.txt": "keep\n", "gone.txt": "gone\n", "shared.txt": "v1\n" });
    const projectId = await projectFrom(api, templateId);
    await api.file.create({ projectId, path: "added.txt", kind: "file", content: "my version\n" });
    await save(api, projectId, "gone.txt", "gone, but I changed it\n");
    await api.file.delete({ projectId, path: "shared.txt" });
    const toVersionId = await addVersion(
      templateId,
      "2.0.0",
      { "keep.txt": "keep\n", "added.txt": "template's version\n", "shared.txt": "v2\n" },
      "Reshuffle.",
    );
    const preview = await api.template.upgradePreview({ projectId });
    expect(preview.files.map(({ path, change, status }) => ({ path, change, status }))).toEqual([
      { path: "added.txt", change: "add", status: "conflict" },
      { path: "gone.txt", change: "delete", status: "conflict" },
      { path: "shared.txt", change: "modify", status: "conflict" },
    ]);
    expect(preview.files[0]!.merged).toBe(
      "<<<<<<< yours\nmy version\n=======\ntemplate's version\n>>>>>>> template 2.0.0\n",
    );
    expect(preview.files[1]!.merged).toBe("gone, but I changed it\n");
    expect(preview.files[2]).toMatchObject({ ours: null, merged: "v2\n", fileId: null });

    const result = await api.template.upgradeApply({
      projectId,
      toVersionId,
      expected: expectedOf(preview),
      resolutions: [
        { path: "added.txt", take: "theirs" },
        { path: "gone.txt", delete: true },
        { path: "shared.txt", take: "ours" },
      ],
    });
    expect(result).toMatchObject({ created: 0, modified: 1, deleted: 1, conflictsResolved: 3 });
    expect(await liveFiles(projectId)).toEqual({ "added.txt": "template's version\n", "keep.txt": "keep\n" });
    expect(await templateVersionOf(projectId)).toBe(toVersionId);
  });

  it("answers BAD_REQUEST for a project without a template and for one at the newest version", async () => {
    const { api } = await signedInUser();
    const blank = await newProject(api);
    await expectFailure(api.template.upgradePreview({ projectId: blank }), "BAD_REQUEST", /not made from a template/);
    const { templateId, name } = await makeTemplate({ "a.txt": "a\n" });
    const current = await projectFrom(api, templateId);
    const { rows } = await pool.query(`SELECT template_version_id FROM projects WHERE id = $1`, [current]);
    await expectFailure(
      api.template.upgradePreview({ projectId: current }),
      "BAD_REQUEST",
      new RegExp(`already at the newest version of template ${name} \\(1\\.0\\.0\\)`),
    );
    const before = await projectState(current);
    await expectFailure(
      api.template.upgradeApply({
        projectId: current,
        toVersionId: rows[0].template_version_id,
        expected: [],
        resolutions: [],
      }),
      "CONFLICT",
      /already upgraded/,
    );
    await expectFailure(
      api.template.upgradeApply({
        projectId: blank,
        toVersionId: rows[0].template_version_id,
        expected: [],
        resolutions: [],
      }),
      "BAD_REQUEST",
      /not made from a template/,
    );
    expect(await projectState(current)).toEqual(before);
  });

  it("answers NOT_FOUND for someone else's project", async () => {
    const { projectId, toVersionId } = await upgradableProject();
    const { api: stranger } = await signedInUser();
    await expectFailure(stranger.template.upgradeStatus({ projectId }), "NOT_FOUND");
    await expectFailure(stranger.template.upgradePreview({ projectId }), "NOT_FOUND");
    await expectFailure(
      stranger.template.upgradeApply({ projectId, toVersionId, expected: [], resolutions: [] }),
      "NOT_FOUND",
    );
  });
});

describe("template upgrade: bounds and binary collisions", () => {
  it("refuses text typed in for a binary file's collision: BAD_REQUEST, the binary file stays", async () => {
    const { api } = await signedInUser();
    const png = (n: number) => ({ base64: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, n]).toString("base64") });
    const { templateId } = await makeTemplate({ "logo.png": png(1) });
    const projectId = await projectFrom(api, templateId);
    await pool.query(`UPDATE project_files SET content = $2 WHERE project_id = $1 AND file_path = 'logo.png'`, [
      projectId,
      png(3).base64,
    ]);
    const toVersionId = await addVersion(templateId, "1.1.0", { "logo.png": png(2) }, "A new logo.");
    const preview = await api.template.upgradePreview({ projectId });
    expect(preview.files).toMatchObject([{ path: "logo.png", status: "conflict", isBinary: true }]);
    const before = await projectState(projectId);
    await expectFailure(
      api.template.upgradeApply({
        projectId,
        toVersionId,
        expected: expectedOf(preview),
        resolutions: [{ path: "logo.png", content: "not a picture" }],
      }),
      "BAD_REQUEST",
      /binary file/,
    );
    expect(await projectState(projectId)).toEqual(before);
    expect(await templateVersionOf(projectId)).not.toBe(toVersionId);
    // Taking a side still works.
    await api.template.upgradeApply({
      projectId,
      toVersionId,
      expected: expectedOf(preview),
      resolutions: [{ path: "logo.png", take: "theirs" }],
    });
    expect(await liveFiles(projectId)).toEqual({ "logo.png": png(2).base64 });
  });

  it("carries the changelogs of the newest versions only, however many an author publishes, and counts the rest", async () => {
    const { api } = await signedInUser();
    const { templateId } = await makeTemplate({ "a.txt": "a\n" });
    const projectId = await projectFrom(api, templateId);
    await pool.query(
      `INSERT INTO project_template_versions (template_id, version, changelog, file_structure, file_count, total_size_bytes)
       SELECT $1, '2.' || g || '.0', repeat('x', 5000), '{"files": [{"path": "a.txt", "content": "b\\n"}]}', 1, 2
         FROM generate_series(1, 300) g`,
      [templateId],
    );
    await pool.query(`UPDATE project_templates SET version = '2.300.0' WHERE id = $1`, [templateId]);
    const status = await api.template.upgradeStatus({ projectId });
    expect(status).toMatchObject({ toVersion: "2.300.0", changelogOmitted: 280 });
    expect(status!.changelog.map((entry) => entry.version).slice(0, 2)).toEqual(["2.300.0", "2.299.0"]);
    expect(status!.changelog).toHaveLength(20);
    const preview = await api.template.upgradePreview({ projectId });
    expect(preview).toMatchObject({ toVersion: "2.300.0", changelogOmitted: 280, cleanCount: 1 });
    expect(preview.changelog).toHaveLength(20);
  });
});

describe("template upgrade: a file the template adds where the project's tree has no room", () => {
  it("is a collision, named with the path in the way, never a clean change the apply refuses", async () => {
    const { api } = await signedInUser();
    const { templateId } = await makeTemplate({ "a.txt": "a\n", "old/file.txt": "old\n" });
    const projectId = await projectFrom(api, templateId);
    await api.file.create({ projectId, path: "lib", content: "my lib\n" });
    await api.file.create({ projectId, path: "docs/mine.md", content: "# Mine\n" });
    // The template's own file/folder swap ("old" was a folder of theirs, now a file) makes room for itself.
    const toVersionId = await addVersion(
      templateId,
      "1.1.0",
      { "a.txt": "a2\n", "lib/x.ts": "x\n", docs: "a file\n", old: "now a file\n" },
      "lib, docs, old.",
    );
    const preview = await api.template.upgradePreview({ projectId });
    expect(preview.files.map(({ path, status, clash }) => ({ path, status, clash }))).toEqual([
      { path: "a.txt", status: "clean", clash: null },
      { path: "docs", status: "conflict", clash: "docs/mine.md" },
      { path: "lib/x.ts", status: "conflict", clash: "lib" },
      { path: "old", status: "clean", clash: null },
      { path: "old/file.txt", status: "clean", clash: null },
    ]);
    await expectFailure(
      api.template.upgradeApply({ projectId, toVersionId, expected: expectedOf(preview), resolutions: [] }),
      "CONFLICT",
      /Resolve every conflict/,
    );
    await api.template.upgradeApply({
      projectId,
      toVersionId,
      expected: expectedOf(preview),
      resolutions: [
        { path: "docs", take: "ours" },
        { path: "lib/x.ts", take: "ours" },
      ],
    });
    expect(await liveFiles(projectId)).toEqual({
      "a.txt": "a2\n",
      "docs/mine.md": "# Mine\n",
      lib: "my lib\n",
      old: "now a file\n",
    });
    expect(await templateVersionOf(projectId)).toBe(toVersionId);
  });
});

describe("template upgrade: two applies at once", () => {
  it("applies one and refuses the other, writing the project's files once", async () => {
    const { api, projectId, toVersionId } = await upgradableProject();
    const preview = await api.template.upgradePreview({ projectId });
    const apply = () =>
      api.template.upgradeApply({
        projectId,
        toVersionId,
        expected: expectedOf(preview),
        resolutions: [{ path: "src/config.ts", take: "ours" }],
      });
    const results = await Promise.allSettled([apply(), apply()]);
    expect(results.map((result) => result.status).sort()).toEqual(["fulfilled", "rejected"]);
    const refused = results.find((result) => result.status === "rejected") as PromiseRejectedResult;
    expect(refused.reason).toMatchObject({ code: "CONFLICT" });
    const { rows } = await pool.query(
      `SELECT count(*)::int AS n FROM project_activity WHERE project_id = $1 AND activity_type = 'template_upgraded'`,
      [projectId],
    );
    expect(rows[0].n).toBe(1);
    const { rows: readme } = await pool.query(
      `SELECT version FROM project_files WHERE project_id = $1 AND file_path = 'README.md'`,
      [projectId],
    );
    expect(readme[0].version).toBe(2);
  });
});
