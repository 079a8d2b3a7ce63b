import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DatabaseSetupError } from "~/server/db/errors";
import { migrateDatabase, readMigrations } from "~/server/db/migrator";
import { createEmptyDatabase, queryOnce } from "../support/scratch-database";

function migrationsDir(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vf-migrations-"));
  for (const [name, sql] of Object.entries(files)) writeMigration(dir, name, sql);
  return dir;
}

function writeMigration(dir: string, name: string, sql: string) {
  fs.mkdirSync(path.join(dir, name), { recursive: true });
  fs.writeFileSync(path.join(dir, name, "migration.sql"), sql);
}

async function tableExists(url: string, table: string): Promise<boolean> {
  const { rows } = await queryOnce<{ exists: boolean }>(url, "SELECT to_regclass($1) IS NOT NULL AS exists", [table]);
  return rows[0]?.exists ?? false;
}

describe("migrator", () => {
  it("applies pending migrations in order and records them as Prisma does", async () => {
    const url = await createEmptyDatabase();
    const first = "CREATE TABLE a (id int);";
    const dir = migrationsDir({
      "20260101000000_first": first,
      "20260102000000_second": "ALTER TABLE a ADD COLUMN name text;",
    });

    const result = await migrateDatabase(url, { dir });

    expect(result.applied).toEqual(["20260101000000_first", "20260102000000_second"]);
    const { rows } = await queryOnce<{
      migration_name: string;
      checksum: string;
      finished_at: Date | null;
      applied_steps_count: number;
      rolled_back_at: Date | null;
      id: string;
    }>(url, `SELECT * FROM "_prisma_migrations" ORDER BY migration_name`);
    expect(rows.map((row) => row.migration_name)).toEqual(result.applied);
    expect(rows[0]?.checksum).toBe(createHash("sha256").update(first).digest("hex"));
    for (const row of rows) {
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.applied_steps_count).toBe(1);
      expect(row.rolled_back_at).toBeNull();
      expect(row.id).toMatch(/^[0-9a-f-]{36}$/);
    }
    const columns = await queryOnce<{ column_name: string }>(
      url,
      "SELECT column_name FROM information_schema.columns WHERE table_name = '_prisma_migrations' ORDER BY ordinal_position",
    );
    expect(columns.rows.map((row) => row.column_name)).toEqual([
      "id",
      "checksum",
      "finished_at",
      "migration_name",
      "logs",
      "rolled_back_at",
      "started_at",
      "applied_steps_count",
    ]);
  });

  it("applies nothing the second time", async () => {
    const url = await createEmptyDatabase();
    const dir = migrationsDir({ "20260101000000_first": "CREATE TABLE a (id int);" });
    await migrateDatabase(url, { dir });
    const again = await migrateDatabase(url, { dir });
    expect(again.applied).toEqual([]);
    expect(again.alreadyApplied).toEqual(["20260101000000_first"]);
  });

  it("refuses to go on when an applied migration file changed, and changes nothing", async () => {
    const url = await createEmptyDatabase();
    const dir = migrationsDir({ "20260101000000_first": "CREATE TABLE a (id int);" });
    await migrateDatabase(url, { dir });
    writeMigration(dir, "20260101000000_first", "CREATE TABLE a (id bigint);");
    writeMigration(dir, "20260102000000_second", "CREATE TABLE b (id int);");

    const attempt = migrateDatabase(url, { dir });

    await expect(attempt).rejects.toBeInstanceOf(DatabaseSetupError);
    await expect(attempt).rejects.toThrow(/20260101000000_first was modified after it was applied/);
    expect(await tableExists(url, "b")).toBe(false);
  });

  it("rolls a failing migration back whole, recording nothing", async () => {
    const url = await createEmptyDatabase();
    const dir = migrationsDir({
      "20260101000000_ok": "CREATE TABLE a (id int);",
      "20260102000000_broken": "CREATE TABLE half (id int); SELECT no_such_function();",
    });

    await expect(migrateDatabase(url, { dir })).rejects.toThrow(/20260102000000_broken failed and was rolled back/);

    expect(await tableExists(url, "a")).toBe(true);
    expect(await tableExists(url, "half")).toBe(false);
    const { rows } = await queryOnce<{ migration_name: string }>(
      url,
      `SELECT migration_name FROM "_prisma_migrations"`,
    );
    expect(rows.map((row) => row.migration_name)).toEqual(["20260101000000_ok"]);
  });

  it("applies each migration once when two migrators race", async () => {
    const url = await createEmptyDatabase();
    const dir = migrationsDir({ "20260101000000_first": "CREATE TABLE a (id int);" });
    const [one, two] = await Promise.all([migrateDatabase(url, { dir }), migrateDatabase(url, { dir })]);
    expect([...one.applied, ...two.applied]).toEqual(["20260101000000_first"]);
  });

  it("reads the project's migrations in Prisma's layout", () => {
    const migrations = readMigrations();
    expect(migrations.length).toBeGreaterThan(0);
    for (const migration of migrations) expect(migration.name).toMatch(/^\d{14}_[a-z0-9_]+$/);
    expect(fs.readFileSync("prisma/migrations/migration_lock.toml", "utf8")).toMatch(/provider = "postgresql"/);
  });
});
