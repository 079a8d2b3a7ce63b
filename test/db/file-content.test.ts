import { describe, expect, it } from "vitest";
import { pool } from "../db";
import { createProject, db, expectSqlState, insertFile, one, rows } from "./helpers";

/** A 3 MB minified bundle on one line, with a marker word near the start and another near the end. */
function minifiedBundle(): string {
  const chunk = "function a(b,c){return b.map(function(d){return d*c+1})}var e=[1,2,3];";
  const body = chunk.repeat(Math.ceil((3 * 1024 * 1024) / chunk.length));
  return `/*! bundle */var zebracornstart=1;${body}var quokkatailend=2;`;
}

describe("file content: full-text, trigram and binary", () => {
  it("stores a 3 MB one-line minified file and finds it by full-text on a word of its first part", async () => {
    const project = await createProject();
    const content = minifiedBundle();
    expect(content.length).toBeGreaterThan(3 * 1024 * 1024);
    expect(content).not.toContain("\n");
    const fileId = await insertFile(db, project.id, { path: "dist/bundle.min.js", content });

    const found = await rows<{ id: string }>(
      db,
      `SELECT id FROM project_files
        WHERE project_id = $1 AND NOT is_binary AND search_vector @@ plainto_tsquery('simple', $2)`,
      [project.id, "zebracornstart"],
    );
    expect(found).toEqual([{ id: fileId }]);

    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      await client.query("SET LOCAL enable_seqscan = off");
      const plan = await client.query<{ "QUERY PLAN": string }>(
        `EXPLAIN SELECT id FROM project_files
          WHERE NOT is_binary AND search_vector @@ plainto_tsquery('simple', 'zebracornstart')`,
      );
      expect(plan.rows.map((row) => row["QUERY PLAN"]).join("\n")).toContain("idx_project_files_content_search");
      await client.query("ROLLBACK");
    } finally {
      client.release();
    }
  });

  it("finds substrings anywhere in a file through the trigram index", async () => {
    const project = await createProject();
    const fileId = await insertFile(db, project.id, { path: "dist/bundle.min.js", content: minifiedBundle() });
    await insertFile(db, project.id, { path: "src/other.ts", content: "export const unrelated = true;" });

    const byIlike = await rows<{ id: string }>(
      db,
      `SELECT id FROM project_files WHERE project_id = $1 AND NOT is_binary AND content ILIKE $2`,
      [project.id, "%QuokkaTailEnd%"],
    );
    expect(byIlike).toEqual([{ id: fileId }]);
    const byRegex = await rows<{ id: string }>(
      db,
      `SELECT id FROM project_files WHERE project_id = $1 AND NOT is_binary AND content ~ $2`,
      [project.id, "unrelated = (true|false)"],
    );
    expect(byRegex).toHaveLength(1);

    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      await client.query("SET LOCAL enable_seqscan = off");
      const plan = await client.query<{ "QUERY PLAN": string }>(
        `EXPLAIN SELECT id FROM project_files WHERE NOT is_binary AND content ILIKE '%quokkatailend%'`,
      );
      expect(plan.rows.map((row) => row["QUERY PLAN"]).join("\n")).toContain("idx_project_files_content_trgm");
      const pathPlan = await client.query<{ "QUERY PLAN": string }>(
        `EXPLAIN SELECT id FROM project_files WHERE file_path ILIKE '%bundle.min%'`,
      );
      expect(pathPlan.rows.map((row) => row["QUERY PLAN"]).join("\n")).toContain("idx_project_files_path_trgm");
      await client.query("ROLLBACK");
    } finally {
      client.release();
    }
  });

  it("stores a binary file as base64 with is_binary and encoding", async () => {
    const project = await createProject();
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff]);
    const fileId = await insertFile(db, project.id, {
      path: "public/logo.png",
      content: bytes.toString("base64"),
      sizeBytes: bytes.length,
      isBinary: true,
      encoding: "base64",
    });
    const row = await one<{ content: string; is_binary: boolean; encoding: string; size_bytes: number }>(
      db,
      `SELECT content, is_binary, encoding, size_bytes FROM project_files WHERE id = $1`,
      [fileId],
    );
    expect(Buffer.from(row.content, "base64")).toEqual(bytes);
    expect(row).toMatchObject({ is_binary: true, encoding: "base64", size_bytes: 10 });
  });

  it("refuses is_binary with encoding utf-8", async () => {
    const project = await createProject();
    await expectSqlState(
      insertFile(db, project.id, { path: "a.png", content: "AAAA", isBinary: true, encoding: "utf-8" }),
      "23514",
    );
    const fileId = await insertFile(db, project.id, { path: "b.txt", content: "text" });
    await expectSqlState(db.query(`UPDATE project_files SET is_binary = true WHERE id = $1`, [fileId]), "23514");
  });
});
