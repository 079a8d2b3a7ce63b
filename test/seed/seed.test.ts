import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { verify } from "@node-rs/argon2";
import pg from "pg";
import { beforeAll, describe, expect, it } from "vitest";
import { fileTypeForPath, mimeTypeForPath } from "~/lib/file-types";
import { prepareText } from "~/server/services/files";
import { seedDatabase, type SeedSummary } from "../../prisma/seed/index";
import { BASE_PRICES } from "../../prisma/seed/prices";
import { pool } from "../db";
import { DEMO_INTERACTIONS, DEMO_INTERACTIONS_FINGERPRINT, interactionsFingerprint } from "./demo-fingerprint";

const templatesDir = fileURLToPath(new URL("../../prisma/seed/templates", import.meta.url));

async function rowCounts(): Promise<Record<string, number>> {
  const { rows: tables } = await pool.query<{ name: string }>(
    `SELECT c.relname AS name
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
      ORDER BY c.relname`,
  );
  const counts: Record<string, number> = {};
  for (const { name } of tables) {
    const { rows } = await pool.query<{ count: string }>(`SELECT count(*) FROM ${pg.escapeIdentifier(name)}`);
    counts[name] = Number(rows[0]?.count);
  }
  return counts;
}

/** Per source: rows naming an interaction, rows naming one of their project about their file, and by whom. */
interface SourceCounts {
  source_type: string;
  n: number;
  with_interaction: number;
  linked: number;
  by_owner: number;
}

/** Only the sources the seed writes with: the system (no interaction), and Claude with the interaction behind it. */
function expectSystemOrClaude(rows: SourceCounts[]) {
  const claude = rows.find((row) => row.source_type === "claude")?.n ?? 0;
  const system = rows.find((row) => row.source_type === "system")?.n ?? 0;
  expect(claude).toBeGreaterThan(0);
  expect(system).toBeGreaterThan(0);
  expect(rows).toEqual([
    { source_type: "claude", n: claude, with_interaction: claude, linked: claude, by_owner: claude },
    { source_type: "system", n: system, with_interaction: 0, linked: 0, by_owner: system },
  ]);
}

describe("seedDatabase", () => {
  let first: SeedSummary;
  let second: SeedSummary;
  let countsAfterFirst: Record<string, number>;
  let countsAfterSecond: Record<string, number>;
  let templatesAfterFirst: unknown[];

  beforeAll(async () => {
    first = await seedDatabase(pool);
    countsAfterFirst = await rowCounts();
    templatesAfterFirst = (await pool.query("SELECT * FROM project_templates ORDER BY id")).rows;
    second = await seedDatabase(pool);
    countsAfterSecond = await rowCounts();
  });

  it("is idempotent: a second run leaves every table as it was", async () => {
    expect(first.demo.generated).toBe(true);
    expect(second.demo.generated).toBe(false);
    expect(second.templates).toEqual({ inserted: 0, updated: 0, unchanged: first.templates.inserted });
    expect(second.credentials.every((c) => !c.created)).toBe(true);
    expect(countsAfterSecond).toEqual(countsAfterFirst);
    for (const table of [
      "users",
      "project_templates",
      "projects",
      "project_files",
      "project_file_versions",
      "project_activity",
      "claude_interactions",
      "claude_usage_daily",
      "model_prices",
      "template_ratings",
    ]) {
      expect(countsAfterFirst[table], table).toBeGreaterThan(0);
    }
    const { rows: templatesAfterSecond } = await pool.query("SELECT * FROM project_templates ORDER BY id");
    expect(templatesAfterSecond).toEqual(templatesAfterFirst);
  });

  it("creates an admin and a demo user with argon2id passwords", async () => {
    const { rows } = await pool.query<{
      username: string;
      role: string;
      password_hash: string;
      email_verified: boolean;
    }>("SELECT username, role, password_hash, email_verified FROM users ORDER BY username");
    expect(rows.map((u) => [u.username, u.role, u.email_verified])).toEqual([
      ["admin", "admin", true],
      ["demo", "user", true],
    ]);
    for (const user of rows) expect(user.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    const demo = rows.find((u) => u.username === "demo");
    expect(await verify(demo?.password_hash ?? "", "vaporform-demo")).toBe(true);
    expect(first.credentials.map((c) => [c.email, c.password, c.created])).toEqual([
      ["admin@vaporform.invalid", "vaporform-admin", true],
      ["demo@vaporform.dev", "vaporform-demo", true],
    ]);
  });

  it("loads at least eight official public templates in four categories, each a runnable project", async () => {
    const { rows } = await pool.query<{
      category: string;
      file_structure: { files: { path: string; content: string }[] };
      created_by: string;
      published_at: Date | null;
    }>(
      "SELECT category, file_structure, created_by, published_at FROM project_templates WHERE is_official AND is_public",
    );
    expect(rows.length).toBeGreaterThanOrEqual(8);
    expect(new Set(rows.map((t) => t.category)).size).toBeGreaterThanOrEqual(4);
    const { rows: admins } = await pool.query<{ id: string }>("SELECT id FROM users WHERE role = 'admin'");
    for (const template of rows) {
      const paths = template.file_structure.files.map((f) => f.path);
      expect(paths.some((p) => p === "package.json" || p === "index.html")).toBe(true);
      expect(paths).toEqual([...paths].sort());
      expect(paths.every((p) => !p.startsWith("/") && !p.split("/").includes(".."))).toBe(true);
      expect(paths).not.toContain("package-lock.json");
      expect(template.created_by).toBe(admins[0]?.id);
      expect(template.published_at).not.toBeNull();
    }
  });

  it("gives the demo user three projects whose counters match their files", async () => {
    const { rows } = await pool.query<{
      name: string;
      template_id: string | null;
      total_files: number;
      total_size_bytes: string;
      real_files: string;
      real_bytes: string;
    }>(
      `SELECT p.name, p.template_id, p.total_files, p.total_size_bytes,
              (SELECT count(*) FROM project_files f WHERE f.project_id = p.id) AS real_files,
              (SELECT COALESCE(sum(size_bytes), 0) FROM project_files f WHERE f.project_id = p.id) AS real_bytes
         FROM projects p JOIN users u ON u.id = p.user_id
        WHERE u.username = 'demo'`,
    );
    expect(rows).toHaveLength(3);
    expect(rows.filter((p) => p.template_id !== null)).toHaveLength(2);
    for (const project of rows) {
      expect(Number(project.real_files)).toBeGreaterThan(0);
      expect(project.total_files).toBe(Number(project.real_files));
      expect(Number(project.total_size_bytes)).toBe(Number(project.real_bytes));
    }
  });

  it("invents no infrastructure: every demo project is as the app leaves one never started", async () => {
    // What createProject gives a new project, and what the preview's lifecycle changes only once it starts.
    const { rows } = await pool.query(
      `SELECT DISTINCT status, health_status, container_id, service_url, internal_ip, allocated_port,
              deployment_count, deployed_at
         FROM projects`,
    );
    expect(rows).toEqual([
      {
        status: "stopped",
        health_status: "unknown",
        container_id: null,
        service_url: null,
        internal_ip: null,
        allocated_port: null,
        deployment_count: 0,
        deployed_at: null,
      },
    ]);
    expect(countsAfterFirst.infrastructure_resources).toBe(0);
    // Activity is what the app's services wrote: files, and the template a project came from.
    const { rows: types } = await pool.query<{ activity_type: string }>(
      "SELECT DISTINCT activity_type FROM project_activity ORDER BY activity_type",
    );
    expect(types.map((row) => row.activity_type)).toEqual(["file_created", "file_modified", "template_used"]);
  });

  it("stores file metadata computed from the content", async () => {
    const { rows } = await pool.query<{ bad: string }>(
      `SELECT count(*) AS bad FROM project_files
        WHERE size_bytes <> octet_length(convert_to(content, 'UTF8'))
           OR content_hash <> encode(sha256(convert_to(content, 'UTF8')), 'hex')
           OR file_type IS NULL OR mime_type IS NULL`,
    );
    expect(Number(rows[0]?.bad)).toBe(0);
  });

  it("stores every demo file as the app prepares its path and content (.gitignore and .env.example included)", async () => {
    const { rows } = await pool.query<{
      file_path: string;
      file_name: string;
      file_type: string;
      mime_type: string;
      content: string;
      content_hash: string;
      size_bytes: number;
      line_count: number;
    }>(
      `SELECT file_path, file_name, file_type, mime_type, content, content_hash, size_bytes, line_count
         FROM project_files ORDER BY project_id, file_path`,
    );
    const names = rows.map((row) => row.file_name);
    expect(names).toContain(".gitignore");
    expect(names).toContain(".env.example");
    const seeded = rows.map((row) => ({
      name: row.file_name,
      type: row.file_type,
      mime: row.mime_type,
      hash: row.content_hash,
      size: row.size_bytes,
      lines: row.line_count,
    }));
    expect(seeded).toEqual(
      rows.map((row) => {
        const app = prepareText(row.file_path, row.content);
        const detected = { type: fileTypeForPath(row.file_path), mime: mimeTypeForPath(row.file_path) };
        expect(detected).toEqual({ type: app.fileType, mime: app.mimeType });
        return {
          name: app.name,
          ...detected,
          hash: app.contentHash,
          size: app.sizeBytes,
          lines: app.lineCount,
        };
      }),
    );
  });

  it("writes every demo version as the system on the owner's behalf, or as Claude with the interaction behind it", async () => {
    const { rows } = await pool.query<SourceCounts>(
      `SELECT v.source_type, count(*)::int AS n, count(v.interaction_id)::int AS with_interaction,
              count(*) FILTER (WHERE i.project_id = v.project_id AND v.file_path = ANY(i.affected_files)
                                 AND i.created_at <= v.created_at)::int AS linked,
              count(*) FILTER (WHERE v.created_by = p.user_id)::int AS by_owner
         FROM project_file_versions v
         JOIN projects p ON p.id = v.project_id
         LEFT JOIN claude_interactions i ON i.id = v.interaction_id
        GROUP BY v.source_type ORDER BY v.source_type`,
    );
    expectSystemOrClaude(rows);
  });

  it("logs every demo activity row as the system, or as Claude with the interaction behind it", async () => {
    // An event that just happened (a crash) was nobody's doing; everything else was on the owner's behalf.
    const { rows } = await pool.query<SourceCounts>(
      `SELECT a.source_type, count(*)::int AS n, count(a.source_id)::int AS with_interaction,
              count(*) FILTER (WHERE i.project_id = a.project_id
                                 AND a.affected_resources <@ i.affected_files)::int AS linked,
              count(*) FILTER (WHERE a.user_id IS NULL OR a.user_id = p.user_id)::int AS by_owner
         FROM project_activity a
         JOIN projects p ON p.id = a.project_id
         LEFT JOIN claude_interactions i ON i.id = a.source_id
        GROUP BY a.source_type ORDER BY a.source_type`,
    );
    expectSystemOrClaude(rows);
  });

  it("leaves a history: versions by the system and by Claude, and activity spread over weeks", async () => {
    const { rows } = await pool.query<{
      files: string;
      versions: string;
      claude: string;
      linked: string;
      version_days: string;
      future: string;
    }>(
      `SELECT (SELECT count(*) FROM project_files) AS files,
              (SELECT count(*) FROM project_file_versions) AS versions,
              (SELECT count(*) FROM project_file_versions WHERE source_type = 'claude' AND version > 1) AS claude,
              (SELECT count(*) FROM project_file_versions WHERE interaction_id IS NOT NULL) AS linked,
              (SELECT count(DISTINCT vf_utc_day(created_at)) FROM project_file_versions) AS version_days,
              (SELECT count(*) FROM project_file_versions WHERE created_at > now() - interval '1 hour') AS future`,
    );
    const row = rows[0];
    expect(Number(row?.versions)).toBeGreaterThan(Number(row?.files));
    expect(Number(row?.claude)).toBeGreaterThan(0);
    expect(Number(row?.linked)).toBeGreaterThan(0);
    // Written now through the services, then moved back to when the demo says each change happened.
    expect(Number(row?.version_days)).toBeGreaterThanOrEqual(15);
    expect(Number(row?.future)).toBe(0);

    const { rows: activity } = await pool.query<{ days: string; stray: string; future: string }>(
      `SELECT count(DISTINCT vf_utc_day(created_at)) AS days,
              (SELECT count(*) FROM project_activity_default) AS stray,
              count(*) FILTER (WHERE created_at > now()) AS future
         FROM project_activity`,
    );
    expect(Number(activity[0]?.days)).toBeGreaterThanOrEqual(15);
    // Every row moved back, the template a project came from too: no demo activity dated the day of the seed.
    const { rows: today } = await pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM project_activity WHERE created_at > now() - interval '1 hour'`,
    );
    expect(today[0]?.n).toBe(0);
    const { rows: last } = await pool.query<{ wrong: number }>(
      `SELECT count(*)::int AS wrong FROM projects p
        WHERE last_activity_at IS DISTINCT FROM (SELECT max(created_at) FROM project_activity a WHERE a.project_id = p.id)
           OR last_activity_at > now() - interval '1 hour'`,
    );
    expect(last[0]?.wrong).toBe(0);
    expect(Number(activity[0]?.stray)).toBe(0);
    expect(Number(activity[0]?.future)).toBe(0);
  });

  it("spreads Claude usage over the last 60 days and 3 models, with honest totals", async () => {
    const { rows } = await pool.query<{
      n: string;
      days: string;
      models: string;
      types: string;
      failures: string;
      bad_totals: string;
      oldest: Date;
      newest: Date;
    }>(
      `SELECT count(*) AS n, count(DISTINCT vf_utc_day(created_at)) AS days, count(DISTINCT model) AS models,
              count(DISTINCT interaction_type) AS types, count(*) FILTER (WHERE NOT success) AS failures,
              count(*) FILTER (WHERE total_tokens <> input_tokens + output_tokens + cache_read_tokens + cache_write_tokens + cache_write_1h_tokens) AS bad_totals,
              min(created_at) AS oldest, max(completed_at) AS newest
         FROM claude_interactions`,
    );
    const row = rows[0];
    // Generated from offsets to today's midnight only: the same rows whatever the date, the hour and the runtime.
    expect(Number(row?.n)).toBe(DEMO_INTERACTIONS);
    expect(first.demo.interactions).toBe(DEMO_INTERACTIONS);
    expect(Number(row?.days)).toBeGreaterThanOrEqual(50);
    expect(Number(row?.models)).toBe(3);
    expect(Number(row?.types)).toBe(4);
    expect(Number(row?.failures)).toBeGreaterThan(0);
    expect(Number(row?.bad_totals)).toBe(0);
    expect(row?.oldest.getTime()).toBeGreaterThan(Date.now() - 61 * 86_400_000);
    expect(row?.newest.getTime()).toBeLessThan(Date.now());

    const { rows: users } = await pool.query<{ users: string }>(
      "SELECT count(DISTINCT user_id) AS users FROM claude_interactions",
    );
    expect(Number(users[0]?.users)).toBe(2);
  });

  it("generates the same interactions on every fresh database, whatever the date, the hour and the runtime", async () => {
    expect(await interactionsFingerprint(pool)).toBe(DEMO_INTERACTIONS_FINGERPRINT);
  });

  it("keeps the rollup equal to the interactions it summarises", async () => {
    const { rows } = await pool.query<{ mismatches: string }>(
      `WITH raw AS (
         SELECT vf_utc_day(created_at) AS day, user_id, project_id, model, interaction_type,
                count(*)::int AS interactions, count(*) FILTER (WHERE success IS FALSE)::int AS failures,
                sum(COALESCE(input_tokens, 0))::bigint AS input_tokens, sum(COALESCE(output_tokens, 0))::bigint AS output_tokens,
                sum(cache_read_tokens)::bigint AS cache_read_tokens, sum(cache_write_tokens)::bigint AS cache_write_tokens,
                sum(cache_write_1h_tokens)::bigint AS cache_write_1h_tokens,
                sum(COALESCE(execution_time_ms, 0))::bigint AS execution_time_ms
           FROM claude_interactions GROUP BY 1, 2, 3, 4, 5),
       rollup AS (
         SELECT day, user_id, project_id, model, interaction_type, interactions, failures, input_tokens, output_tokens,
                cache_read_tokens, cache_write_tokens, cache_write_1h_tokens, execution_time_ms
           FROM claude_usage_daily)
       SELECT count(*) AS mismatches FROM ((SELECT * FROM raw EXCEPT SELECT * FROM rollup)
                                           UNION ALL (SELECT * FROM rollup EXCEPT SELECT * FROM raw)) d`,
    );
    expect(Number(rows[0]?.mismatches)).toBe(0);
  });

  it("prices every interaction with the price row it used, with one dated price change inside the window", async () => {
    const { rows } = await pool.query<{ unpriced: string; models: string; recent_changes: string; wrong: string }>(
      `SELECT (SELECT count(*) FROM claude_interactions WHERE cost_usd IS NULL OR price_id IS NULL) AS unpriced,
              (SELECT count(DISTINCT model) FROM model_prices WHERE model = ANY($1)) AS models,
              (SELECT count(*) FROM model_prices
                WHERE model = ANY($1) AND effective_from > now() - interval '60 days') AS recent_changes,
              (SELECT count(*) FROM claude_interactions ci
                WHERE ci.price_id IS DISTINCT FROM (vf_price_at(ci.model, ci.created_at)).id) AS wrong`,
      [BASE_PRICES.map((price) => price.model)],
    );
    expect(Number(rows[0]?.unpriced)).toBe(0);
    expect(Number(rows[0]?.wrong)).toBe(0);
    expect(Number(rows[0]?.models)).toBe(3);
    expect(Number(rows[0]?.recent_changes)).toBe(1);
  });

  it("seeds the list prices of the models offered by default, Haiku 5.5 with its long-context tier", async () => {
    const { rows } = await pool.query(
      `SELECT model, input_per_mtok::float8 AS input, output_per_mtok::float8 AS output,
              cache_write_per_mtok::float8 AS write5m, cache_write_1h_per_mtok::float8 AS write1h,
              cache_read_per_mtok::float8 AS read, long_context_threshold AS threshold,
              long_input_per_mtok::float8 AS long_input, long_output_per_mtok::float8 AS long_output,
              long_cache_write_per_mtok::float8 AS long_write5m, long_cache_write_1h_per_mtok::float8 AS long_write1h,
              long_cache_read_per_mtok::float8 AS long_read
         FROM model_prices WHERE model LIKE 'claude-%-5-5' ORDER BY model`,
    );
    const none = {
      threshold: null,
      long_input: null,
      long_output: null,
      long_write5m: null,
      long_write1h: null,
      long_read: null,
    };
    expect(rows).toEqual([
      {
        model: "claude-haiku-5-5",
        input: 0.1,
        output: 0.5,
        write5m: 0.125,
        write1h: 0.2,
        read: 0.01,
        threshold: 100000,
        long_input: 0.5,
        long_output: 2.5,
        long_write5m: 0.625,
        long_write1h: 1,
        long_read: 0.05,
      },
      { model: "claude-opus-5-5", input: 4, output: 20, write5m: 5, write1h: 8, read: 0.2, ...none },
      { model: "claude-sonnet-5-5", input: 2, output: 10, write5m: 2.5, write1h: 4, read: 0.2, ...none },
    ]);
  });

  it("rates templates with aggregates that match the ratings", async () => {
    const { rows } = await pool.query<{ ratings: string; bad: string }>(
      `SELECT (SELECT count(*) FROM template_ratings) AS ratings,
              (SELECT count(*) FROM project_templates t
                WHERE t.rating_count <> (SELECT count(*) FROM template_ratings r WHERE r.template_id = t.id)) AS bad`,
    );
    expect(Number(rows[0]?.ratings)).toBeGreaterThanOrEqual(2);
    expect(Number(rows[0]?.bad)).toBe(0);
  });

  it("refuses changed template files under a published version, and publishes them as a new one, keeping the old", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vf-seed-templates-"));
    try {
      fs.cpSync(templatesDir, dir, { recursive: true });
      fs.appendFileSync(path.join(dir, "react-vite", "files", "README.md"), "\nChanged.\n");
      const before = await pool.query<{ usage_count: number; rating_count: number; version: string }>(
        "SELECT usage_count, rating_count, version FROM project_templates WHERE name = 'React + Vite'",
      );
      const old = before.rows[0]!.version;

      await expect(seedDatabase(pool, { templatesDir: dir })).rejects.toThrow(
        `Template react-vite: its files changed but its version is still ${old}`,
      );
      const unchanged = await pool.query("SELECT version FROM project_templates WHERE name = 'React + Vite'");
      expect(unchanged.rows[0]?.version).toBe(old);

      const manifestPath = path.join(dir, "react-vite", "template.json");
      const manifest = JSON.parse(fs.readFileSync(manifestPath, "utf8")) as { version: string; changelog: string };
      fs.writeFileSync(manifestPath, JSON.stringify({ ...manifest, version: "9.0.0", changelog: "A README line." }));
      const summary = await seedDatabase(pool, { templatesDir: dir });

      expect(summary.templates.updated).toBe(1);
      expect(summary.templates.inserted).toBe(0);
      const after = await pool.query<{
        usage_count: number;
        rating_count: number;
        file_structure: { files: { path: string; content: string }[] };
      }>("SELECT usage_count, rating_count, file_structure FROM project_templates WHERE name = 'React + Vite'");
      expect(after.rows[0]?.usage_count).toBe(before.rows[0]?.usage_count);
      expect(after.rows[0]?.rating_count).toBe(before.rows[0]?.rating_count);
      const readme = after.rows[0]?.file_structure.files.find((f) => f.path === "README.md");
      expect(readme?.content.endsWith("\nChanged.\n")).toBe(true);
      const versions = await pool.query<{ version: string; changed: boolean }>(
        `SELECT v.version, v.file_structure::text LIKE '%Changed.%' AS changed
           FROM project_template_versions v JOIN project_templates t ON t.id = v.template_id
          WHERE t.name = 'React + Vite' ORDER BY v.version_key`,
      );
      expect(versions.rows).toEqual([
        { version: old, changed: false },
        { version: "9.0.0", changed: true },
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("gives the admin SEED_ADMIN_EMAIL, and moves an admin still on the old default address to it", async () => {
    // An install seeded before SEED_ADMIN_EMAIL existed: its admin has the old default, on a domain someone could own.
    await pool.query("UPDATE users SET email = 'admin@vaporform.dev' WHERE username = 'admin'");
    const users = (await pool.query("SELECT id FROM users")).rowCount;
    const moved = await seedDatabase(pool, { adminEmail: "owner@example.org" });
    expect(moved.credentials[0]).toMatchObject({ email: "owner@example.org", role: "admin", created: false });
    expect((await pool.query("SELECT id FROM users")).rowCount).toBe(users);
    const { rows } = await pool.query<{ email: string; role: string }>(
      "SELECT email::text, role FROM users WHERE username = 'admin'",
    );
    expect(rows).toEqual([{ email: "owner@example.org", role: "admin" }]);

    // Otherwise an existing admin's address is left as it is, and the banner shows it.
    const again = await seedDatabase(pool, { adminEmail: "someone-else@example.org" });
    expect(again.credentials[0]).toMatchObject({ email: "owner@example.org", created: false });
  });
});
