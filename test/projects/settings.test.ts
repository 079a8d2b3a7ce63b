import { randomBytes } from "node:crypto";
import { strToU8, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { ARCHIVED_MESSAGE, PROJECT_LIMITS, ZUpdateProjectInput } from "~/lib/schemas/project";
import { appRouter } from "~/server/api/root";
import type { ProcedureMeta } from "~/server/api/trpc";
import { decryptSecret } from "~/server/crypto";
import { pool } from "../db";
import { expectFailure, newProject, projectState, signedInUser, type Caller } from "../files/support";

async function projectRow(projectId: string) {
  const { rows } = await pool.query(`SELECT * FROM projects WHERE id = $1`, [projectId]);
  return rows[0] as Record<string, unknown>;
}

async function activity(projectId: string, type: string) {
  const { rows } = await pool.query(
    `SELECT activity_type, source_type, user_id, metadata, before_state, after_state, description
       FROM project_activity WHERE project_id = $1 AND activity_type = $2 ORDER BY created_at`,
    [projectId, type],
  );
  return rows as Record<string, unknown>[];
}

describe("project.list", () => {
  it("searches name and description, sorts, filters by status, hides archived projects unless asked, pages", async () => {
    const { api } = await signedInUser();
    const alpha = await api.project.create({ name: "Alpha shop", description: "sells things" });
    const beta = await api.project.create({ name: "Beta", description: "A SHOP for bees" });
    const gamma = await api.project.create({ name: "Gamma" });
    await api.file.create({ projectId: gamma.id, path: "big.txt", content: "x".repeat(5000) });
    await api.project.archive({ projectId: beta.id });

    expect((await api.project.list({ sort: "name" })).items.map((p) => p.name)).toEqual(["Alpha shop", "Gamma"]);
    expect((await api.project.list({ search: "shop" })).items.map((p) => p.id)).toEqual([alpha.id]);
    expect(
      (await api.project.list({ search: "shop", includeArchived: true, sort: "name" })).items.map((p) => p.id),
    ).toEqual([alpha.id, beta.id]);
    expect((await api.project.list({ status: "archived" })).items.map((p) => p.id)).toEqual([beta.id]);
    expect((await api.project.list({ sort: "size" })).items[0]!.id).toBe(gamma.id);
    const first = (await api.project.list({ sort: "created", includeArchived: true })).items[0]!;
    expect(first.id).toBe(gamma.id);
    expect(first).toMatchObject({ status: "stopped", healthStatus: "unknown", totalFiles: 2 });
    expect((await api.project.list({ search: "nothing like it" })).items).toEqual([]);

    const page1 = await api.project.list({ sort: "name", includeArchived: true, limit: 2 });
    expect(page1.items.map((p) => p.name)).toEqual(["Alpha shop", "Beta"]);
    expect(page1.nextCursor).toBe(2);
    const page2 = await api.project.list({ sort: "name", includeArchived: true, limit: 2, cursor: 2 });
    expect(page2.items.map((p) => p.name)).toEqual(["Gamma"]);
    expect(page2.nextCursor).toBeNull();
    await expectFailure(api.project.list({ limit: 101 }), "BAD_REQUEST");
  });

  it("never answers more than a page, however many projects the user has", async () => {
    const { api, userId } = await signedInUser();
    await pool.query(
      `INSERT INTO projects (user_id, name, description, tech_stack, status)
       SELECT $1, 'p' || i, '', '[]', 'stopped' FROM generate_series(1, 150) AS i`,
      [userId],
    );
    const page = await api.project.list();
    expect(page.items).toHaveLength(24);
    expect(page.nextCursor).toBe(24);
  });
});

describe("project.create (blank)", () => {
  it("keeps functionality, architecture and tech stack; refuses an unknown architecture", async () => {
    const { api } = await signedInUser();
    const { id } = await api.project.create({
      name: "Shop",
      functionality: "Sells socks",
      architectureType: "pwa",
      techStack: ["React", "Vite", "react"],
    });
    expect(await projectRow(id)).toMatchObject({
      functionality: "Sells socks",
      architecture_type: "pwa",
      tech_stack: ["React", "Vite"],
    });
    await expectFailure(
      api.project.create({ name: "Other", architectureType: "serverless" as "pwa" }),
      "BAD_REQUEST",
      /pwa, microservices or monolithic/,
    );
    await expect(
      pool.query(`UPDATE projects SET architecture_type = 'serverless' WHERE id = $1`, [id]),
    ).rejects.toMatchObject({ code: "23514" });
  });
});

describe("project settings", () => {
  it("updates metadata, limits and repository, logging one activity (source user) with before and after", async () => {
    const { api, userId } = await signedInUser();
    const projectId = await newProject(api);
    const settings = await api.project.update({
      projectId,
      name: "Renamed",
      architectureType: "microservices",
      techStack: ["Go"],
      memoryLimitMb: 2048,
      repositoryType: "github",
      repositoryUrl: "https://github.com/acme/shop.git",
      repositoryBranch: "feature/new-cart",
    });
    expect(settings).toMatchObject({ name: "Renamed", techStack: ["Go"], memoryLimitMb: 2048 });
    const [entry] = await activity(projectId, "settings_changed");
    expect(entry).toMatchObject({ source_type: "user", user_id: userId });
    expect(entry!.before_state).toMatchObject({ memoryLimitMb: 1024, repositoryType: "new" });
    expect(entry!.after_state).toMatchObject({ memoryLimitMb: 2048, name: "Renamed" });

    const before = await projectRow(projectId);
    await expectFailure(api.project.update({ projectId, repositoryUrl: "ftp://x.org/r" }), "BAD_REQUEST", /http/);
    await expectFailure(api.project.update({ projectId, repositoryUrl: "javascript:alert(1)" }), "BAD_REQUEST");
    for (const branch of ["a..b", "has space", "end/", "x.lock", "-x", "a@{b", ".hidden"]) {
      await expectFailure(api.project.update({ projectId, repositoryBranch: branch }), "BAD_REQUEST", /branch/);
    }
    await expectFailure(api.project.update({ projectId, cpuLimitPercent: 101 }), "BAD_REQUEST", /1 to 100/);
    await expectFailure(api.project.update({ projectId, storageLimitMb: 0 }), "BAD_REQUEST", /1 to 1,048,576/);
    expect(await projectRow(projectId)).toEqual(before);
    expect(await activity(projectId, "settings_changed")).toHaveLength(1);
  });

  it("mirrors the database's CHECK bounds on every limit: both accept each bound, both refuse one past it", async () => {
    const { api } = await signedInUser();
    const projectId = await newProject(api);
    const columns = {
      memoryLimitMb: "memory_limit_mb",
      cpuLimitPercent: "cpu_limit_percent",
      storageLimitMb: "storage_limit_mb",
    } as const;
    for (const [key, column] of Object.entries(columns) as [keyof typeof columns, string][]) {
      const { min, max } = PROJECT_LIMITS[key];
      for (const [value, ok] of [
        [min, true],
        [max, true],
        [min - 1, false],
        [max + 1, false],
      ] as const) {
        expect(ZUpdateProjectInput.safeParse({ projectId, [key]: value }).success, `${key}=${value} (zod)`).toBe(ok);
        const sql = pool.query(`UPDATE projects SET ${column} = $1 WHERE id = $2`, [value, projectId]);
        if (ok) await sql;
        else await expect(sql, `${key}=${value} (database)`).rejects.toMatchObject({ code: "23514" });
      }
    }
  });

  it("refuses the name of another project of the same user under the field", async () => {
    const { api } = await signedInUser();
    await api.project.create({ name: "Taken" });
    const projectId = await newProject(api);
    const error = await expectFailure(api.project.update({ projectId, name: "Taken" }), "CONFLICT", /Taken/);
    expect(JSON.stringify(error.cause ?? {})).toContain("name");
  });
});

describe("environment variables", () => {
  it("are stored as AES-256-GCM envelopes, listed by name and time only, replaced and deleted", async () => {
    const { api } = await signedInUser();
    const projectId = await newProject(api);
    const secret = `sk-${randomBytes(12).toString("hex")}`;
    const responses: unknown[] = [];
    responses.push(await api.project.setEnvVar({ projectId, name: "API_KEY", value: secret }));
    const stored = (await projectRow(projectId)).environment_vars as Record<string, string>;
    expect(stored.API_KEY).toMatch(/^v1:/);
    expect(decryptSecret(stored.API_KEY!)).toBe(secret);

    responses.push(await api.project.settings({ projectId }));
    responses.push(await api.project.get({ projectId }));
    responses.push(await api.project.list({ includeArchived: true }));
    responses.push(await api.activity.list({ projectId }));
    for (const response of responses) expect(JSON.stringify(response)).not.toContain(secret);
    const settings = await api.project.settings({ projectId });
    expect(settings.envVars).toEqual([{ name: "API_KEY", updatedAt: expect.any(String) }]);
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM project_activity WHERE metadata::text LIKE $1`, [
      `%${secret}%`,
    ]);
    expect(rows[0].n).toBe(0);

    await api.project.setEnvVar({ projectId, name: "API_KEY", value: "second" });
    const replaced = (await projectRow(projectId)).environment_vars as Record<string, string>;
    expect(decryptSecret(replaced.API_KEY!)).toBe("second");
    expect((await activity(projectId, "env_var_set")).map((entry) => entry.metadata)).toEqual([
      { name: "API_KEY", replaced: false },
      { name: "API_KEY", replaced: true },
    ]);
    expect((await activity(projectId, "env_var_set"))[0]!.source_type).toBe("user");

    const after = await api.project.deleteEnvVar({ projectId, name: "API_KEY" });
    expect(after.envVars).toEqual([]);
    expect((await projectRow(projectId)).environment_vars).toEqual({});
    await expectFailure(api.project.deleteEnvVar({ projectId, name: "API_KEY" }), "NOT_FOUND");
  });

  it("refuses names that are not identifiers and values past the bound, changing nothing", async () => {
    const { api } = await signedInUser();
    const projectId = await newProject(api);
    const before = await projectRow(projectId);
    for (const name of ["1ABC", "MY-VAR", "has space", "", "É", "A".repeat(129)]) {
      await expectFailure(api.project.setEnvVar({ projectId, name, value: "x" }), "BAD_REQUEST");
    }
    await expectFailure(
      api.project.setEnvVar({ projectId, name: "BIG", value: "x".repeat(32_769) }),
      "BAD_REQUEST",
      /32,768/,
    );
    expect(await projectRow(projectId)).toEqual(before);
  });

  it("refuses a 101st variable", async () => {
    const { api } = await signedInUser();
    const projectId = await newProject(api);
    for (let i = 0; i < 100; i++) await api.project.setEnvVar({ projectId, name: `V${i}`, value: "x" });
    await expectFailure(api.project.setEnvVar({ projectId, name: "ONE_MORE", value: "x" }), "BAD_REQUEST", /100/);
    await api.project.setEnvVar({ projectId, name: "V0", value: "replaced" });
  });
});

type AnyProcedure = { _def: { type: string; meta?: ProcedureMeta } };

/**
 * A valid input for each mutation on a project's files or its assistant. The walker below fails when a
 * project-scoped mutation is in neither this table nor ALLOWED_WHILE_ARCHIVED, so a new write cannot skip the check.
 */
async function writeInputs(api: Caller, projectId: string): Promise<Record<string, unknown>> {
  const readme = await api.file.read({ projectId, path: "README.md" });
  await api.file.create({ projectId, path: "gone.txt", content: "bye" });
  const gone = await api.file.read({ projectId, path: "gone.txt" });
  await api.file.delete({ projectId, path: "gone.txt" });
  const archive = Buffer.from(zipSync({ "new.txt": strToU8("new") })).toString("base64");
  return {
    "file.save": { projectId, path: "README.md", content: "changed", fileId: readme.id, baseVersion: readme.version },
    "file.create": { projectId, path: "src/new.ts", content: "export {};" },
    "file.move": { projectId, from: "README.md", to: "READ.md" },
    "file.delete": { projectId, path: "README.md" },
    "file.restore": { projectId, path: "gone.txt", fileId: gone.id, version: gone.version },
    "file.importZip": { projectId, archive },
    "assistant.send": { projectId, message: "Add a footer" },
    "project.update": { projectId, description: "new words" },
    "project.setEnvVar": { projectId, name: "TOKEN", value: "x" },
    "project.deleteEnvVar": { projectId, name: "EXISTING" },
  };
}

/**
 * Project-scoped mutations an archived project still allows, and why. The assistant's review, undo and cancel act
 * on a turn (none can run on an archived project, and their file writes meet the database's check); the template
 * upgrade's file writes meet the same check (its own test lives with the upgrade).
 */
const ALLOWED_WHILE_ARCHIVED: Record<string, string> = {
  "project.archive": "idempotent",
  "project.unarchive": "the way back",
  "project.delete": "deleting needs no write access to files",
  "assistant.cancel": "stops a turn",
  "assistant.review": "file writes refused by the database check",
  "assistant.undoTurn": "file writes refused by the database check",
  "template.upgradeApply": "file writes refused by the database check",
  "usage.setProjectBudget": "a spending cap, not project content",
  "template.publish": "reads the project's files into a template",
  "project.start": "the preview serves the files read-only",
  "project.stop": "the preview serves the files read-only",
  "integration.create": "the services it talks to, not its content (webhooks still log activity)",
  "integration.update": "the services it talks to, not its content",
  "integration.delete": "the services it talks to, not its content",
  "integration.test": "calls the configured endpoint, writes no file",
  "git.push": "reads the files into a commit on the remote, writes none",
  "git.pullApply": "file writes refused by the database check",
};

async function call(api: Caller, path: string, input: unknown) {
  const procedure = path.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], api);
  return (procedure as (input: unknown) => Promise<unknown>)(input);
}

describe("an archived project", () => {
  it("refuses every write with one message and changes nothing; unarchived, the same writes work", async () => {
    const { api } = await signedInUser();
    const projectId = await newProject(api);
    await api.project.setEnvVar({ projectId, name: "EXISTING", value: "x" });
    const inputs = await writeInputs(api, projectId);
    const mutations = Object.entries(appRouter._def.procedures as unknown as Record<string, AnyProcedure>)
      .filter(([, procedure]) => procedure._def.type === "mutation")
      .filter(([, procedure]) => procedure._def.meta?.access === "project")
      .map(([path]) => path);
    for (const path of mutations) {
      expect(path in inputs || path in ALLOWED_WHILE_ARCHIVED, `${path}: archived behaviour not declared`).toBe(true);
    }
    expect(mutations.filter((path) => path.startsWith("file."))).toEqual(
      expect.arrayContaining([
        "file.save",
        "file.create",
        "file.move",
        "file.delete",
        "file.restore",
        "file.importZip",
      ]),
    );

    await api.project.archive({ projectId });
    expect(await projectRow(projectId)).toMatchObject({ status: "archived", archived_at: expect.any(Date) });
    expect((await activity(projectId, "project_archived"))[0]).toMatchObject({ source_type: "user" });
    const state = await projectState(projectId);
    const row = await projectRow(projectId);
    for (const [path, input] of Object.entries(inputs)) {
      if (!mutations.includes(path)) continue;
      await expectFailure(call(api, path, input), "PRECONDITION_FAILED", /archived; unarchive it to make changes/);
    }
    expect(await projectState(projectId)).toEqual(state);
    expect(await projectRow(projectId)).toEqual(row);

    await api.project.unarchive({ projectId });
    expect(await projectRow(projectId)).toMatchObject({ status: "stopped", archived_at: null });
    await call(api, "file.save", inputs["file.save"]);
    await call(api, "file.importZip", inputs["file.importZip"]);
  });

  it("is refused by the database itself, whoever writes (a system write, a raw statement)", async () => {
    const { api } = await signedInUser();
    const projectId = await newProject(api);
    await api.project.archive({ projectId });
    await expect(
      pool.query(`UPDATE project_files SET content = 'raw' WHERE project_id = $1`, [projectId]),
    ).rejects.toMatchObject({ code: "VF423" });
    await expect(pool.query(`DELETE FROM project_files WHERE project_id = $1`, [projectId])).rejects.toMatchObject({
      code: "VF423",
    });
    expect(ARCHIVED_MESSAGE).toMatch(/unarchive it to make changes/);
  });
});

describe("project.delete", () => {
  it("needs the exact name, then deletes the project and all of it, archived or not", async () => {
    const { api } = await signedInUser();
    const projectId = await newProject(api, "Doomed");
    await api.file.create({ projectId, path: "a.txt", content: "a" });
    await api.project.archive({ projectId });
    await expectFailure(api.project.delete({ projectId, confirmName: "doomed" }), "BAD_REQUEST", /Doomed/);
    expect(await projectRow(projectId)).toBeDefined();
    await api.project.delete({ projectId, confirmName: "Doomed" });
    const { rows } = await pool.query(
      `SELECT (SELECT count(*) FROM projects WHERE id = $1)::int AS projects,
              (SELECT count(*) FROM project_files WHERE project_id = $1)::int AS files,
              (SELECT count(*) FROM project_file_versions WHERE project_id = $1)::int AS versions,
              (SELECT count(*) FROM project_activity WHERE project_id = $1)::int AS activity`,
      [projectId],
    );
    expect(rows[0]).toEqual({ projects: 0, files: 0, versions: 0, activity: 0 });
    await expectFailure(api.project.get({ projectId }), "NOT_FOUND");
  });

  it("deletes a project with Claude interactions too, keeping their spend (test/usage/delete-project-spend)", async () => {
    const { api, userId } = await signedInUser();
    const projectId = await newProject(api, "Spent");
    await pool.query(
      `INSERT INTO claude_interactions (project_id, user_id, interaction_type, user_message, claude_response, model,
                                        input_tokens, output_tokens)
       VALUES ($1, $2, 'chat', 'hi', 'hello', 'claude-test', 10, 5)`,
      [projectId, userId],
    );
    await api.project.delete({ projectId, confirmName: "Spent" });
    await expectFailure(api.project.get({ projectId }), "NOT_FOUND");
    const { rows } = await pool.query(
      `SELECT count(*)::int AS n FROM claude_interactions WHERE deleted_project_id = $1 AND project_id IS NULL`,
      [projectId],
    );
    expect(rows[0].n).toBe(1);
  });
});
