import { describe, expect, it } from "vitest";
import { ACTIVITY_CSV_COLUMNS } from "~/server/services/activity";
import { csvField } from "~/server/services/csv";
import { pool } from "../db";
import { expectFailure, newProject, signedInUser } from "../files/support";

/** RFC 4180 records of a CSV text (quoted fields may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === ",") {
      record.push(field);
      field = "";
    } else if (char === "\r" && text[i + 1] === "\n") {
      record.push(field);
      records.push(record);
      record = [];
      field = "";
      i++;
    } else field += char;
  }
  expect(quoted, "the CSV ends inside a quoted field").toBe(false);
  expect(field === "" && record.length === 0, "the CSV's last line has no CRLF").toBe(true);
  return records;
}

/** Inserts activity rows (type, source, description, day) for a project; returns nothing, the export reads them. */
async function insertActivity(
  projectId: string,
  userId: string | null,
  rows: { type: string; source: string; description: string; at?: string }[],
): Promise<void> {
  for (const row of rows) {
    await pool.query(
      `INSERT INTO project_activity (project_id, user_id, activity_type, description, source_type, created_at)
       VALUES ($1, $2, $3, $4, $5, coalesce($6::timestamptz, now()))`,
      [projectId, userId, row.type, row.description, row.source, row.at ?? null],
    );
  }
}

/**
 * The activity log pages on (created_at, id): one transaction writes many entries with the same created_at
 * (now() is the transaction's start), and paging must neither skip nor repeat any of them.
 */
describe("activity.list paging", () => {
  it("returns every entry exactly once, newest first by (created_at, id), when 120 share one created_at", async () => {
    const { api, userId } = await signedInUser();
    const projectId = await newProject(api);

    const client = await pool.connect();
    let inserted: string[];
    try {
      await client.query("BEGIN");
      const first = await client.query<{ id: string }>(
        `INSERT INTO project_activity (project_id, user_id, activity_type, description, affected_resources, source_type)
         SELECT $1, $2, 'file_updated', 'entry ' || n, ARRAY['src/' || n || '.ts'], 'user'
           FROM generate_series(1, 60) AS n RETURNING id`,
        [projectId, userId],
      );
      const second = await client.query<{ id: string }>(
        `INSERT INTO project_activity (project_id, user_id, activity_type, description, affected_resources, source_type)
         SELECT $1, NULL, 'file_updated', 'entry ' || n, ARRAY['src/' || n || '.ts'], 'system'
           FROM generate_series(61, 120) AS n RETURNING id`,
        [projectId],
      );
      await client.query("COMMIT");
      inserted = [...first.rows, ...second.rows].map((row) => row.id);
    } catch (error) {
      await client.query("ROLLBACK");
      throw error;
    } finally {
      client.release();
    }
    const { rows: stamps } = await pool.query<{ distinct: number }>(
      `SELECT count(DISTINCT created_at)::int AS distinct FROM project_activity WHERE id = ANY($1::uuid[])`,
      [inserted],
    );
    expect(stamps[0]!.distinct).toBe(1);

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Awaited<ReturnType<typeof api.activity.list>> = await api.activity.list({
        projectId,
        limit: 50,
        cursor,
      });
      expect(page.items.length).toBeLessThanOrEqual(50);
      for (const item of page.items) expect(item.createdAt).toBeInstanceOf(Date);
      seen.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor;
      pages++;
      expect(pages).toBeLessThan(10);
    } while (cursor);

    // Each id once, and every inserted one among them (the project's own creation entry comes last, older).
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.filter((id) => inserted.includes(id)).sort()).toEqual([...inserted].sort());

    const { rows: expected } = await pool.query<{ id: string }>(
      `SELECT id FROM project_activity WHERE project_id = $1 ORDER BY created_at DESC, id DESC`,
      [projectId],
    );
    expect(seen).toEqual(expected.map((row) => row.id));
    expect(pages).toBe(Math.ceil(expected.length / 50));

    const actors = await api.activity.list({ projectId, limit: 100 });
    expect(actors.items.some((item) => item.actor?.id === userId)).toBe(true);
    expect(actors.items.some((item) => item.actor === null && item.sourceType === "system")).toBe(true);
  });

  it("filters by file path and refuses a forged cursor", async () => {
    const { api, userId } = await signedInUser();
    const projectId = await newProject(api);
    await pool.query(
      `INSERT INTO project_activity (project_id, user_id, activity_type, description, affected_resources, source_type)
       SELECT $1, $2, 'file_updated', 'entry ' || n, ARRAY['src/' || (n % 3) || '.ts'], 'user'
         FROM generate_series(1, 30) AS n`,
      [projectId, userId],
    );
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<typeof api.activity.list>> = await api.activity.list({
        projectId,
        filePath: "src/1.ts",
        limit: 4,
        cursor,
      });
      for (const item of page.items) expect(item.affectedResources).toContain("src/1.ts");
      seen.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(10);

    await expectFailure(api.activity.list({ projectId, cursor: "2020-01-01|not-a-uuid" }), "BAD_REQUEST");
    await expectFailure(api.activity.list({ projectId, cursor: "x".repeat(101) }), "BAD_REQUEST");
  });
});

describe("activity.export", () => {
  it("answers the CSV of exactly the rows activity.list shows for the same filters", async () => {
    const { api, userId } = await signedInUser();
    const projectId = await newProject(api);
    await insertActivity(projectId, userId, [
      { type: "note", source: "user", description: "mine on the 2nd", at: "2026-11-02T10:00:00Z" },
      { type: "note", source: "user", description: "mine on the 3rd", at: "2026-11-03T10:00:00Z" },
      { type: "deploy", source: "user", description: "a deploy on the 3rd", at: "2026-11-03T11:00:00Z" },
    ]);
    await insertActivity(projectId, null, [
      { type: "webhook_received", source: "webhook", description: "hook on the 2nd", at: "2026-11-02T12:00:00Z" },
      { type: "webhook_received", source: "webhook", description: "hook on the 4th", at: "2026-11-04T12:00:00Z" },
      { type: "note", source: "system", description: "system note on the 3rd", at: "2026-11-03T09:00:00Z" },
    ]);

    const cases = [
      { filter: { types: ["note"] }, expected: ["mine on the 3rd", "system note on the 3rd", "mine on the 2nd"] },
      { filter: { source: "webhook" as const }, expected: ["hook on the 4th", "hook on the 2nd"] },
      // The project's own README (created now, by its owner) is the newest of the user's entries.
      {
        filter: { userId },
        expected: ["Created file: README.md", "a deploy on the 3rd", "mine on the 3rd", "mine on the 2nd"],
      },
      {
        filter: { from: "2026-11-03", to: "2026-11-03" },
        expected: ["a deploy on the 3rd", "mine on the 3rd", "system note on the 3rd"],
      },
      {
        filter: { types: ["note", "deploy"], source: "user" as const, from: "2026-11-03" },
        expected: ["a deploy on the 3rd", "mine on the 3rd"],
      },
    ];
    for (const { filter, expected } of cases) {
      const exported = await api.activity.export({ projectId, ...filter });
      const [header, ...records] = parseCsv(exported.csv);
      expect(header).toEqual([...ACTIVITY_CSV_COLUMNS]);
      const description = ACTIVITY_CSV_COLUMNS.indexOf("description");
      expect(
        records.map((record) => record[description]),
        JSON.stringify(filter),
      ).toEqual(expected);
      expect(exported).toMatchObject({ rows: expected.length, truncated: false });

      const listed = await api.activity.list({ projectId, limit: 100, ...filter });
      expect(records.map((record) => record[0])).toEqual(listed.items.map((item) => item.createdAt.toISOString()));
      expect(records.map((record) => record[description])).toEqual(listed.items.map((item) => item.description));
    }
    const mine = parseCsv((await api.activity.export({ projectId, userId })).csv).slice(1);
    for (const record of mine) {
      expect(record[ACTIVITY_CSV_COLUMNS.indexOf("user_id")]).toBe(userId);
      expect(record[ACTIVITY_CSV_COLUMNS.indexOf("source_type")]).toBe("user");
    }
    await expectFailure(api.activity.export({ projectId, from: "2026-11-04", to: "2026-11-02" }), "BAD_REQUEST");
  });

  it("honours its bound: at most maxRows rows (5,000 by default), with the count and truncated", async () => {
    const { api, userId } = await signedInUser();
    const projectId = await newProject(api);
    await pool.query(
      `INSERT INTO project_activity (project_id, user_id, activity_type, description, source_type)
       SELECT $1, $2, 'bulk', 'bulk ' || n, 'user' FROM generate_series(1, 5001) AS n`,
      [projectId, userId],
    );
    const full = await api.activity.export({ projectId, types: ["bulk"] });
    expect(full).toMatchObject({ rows: 5_000, truncated: true, maxRows: 5_000 });
    const records = parseCsv(full.csv);
    // The header and 5,000 rows: no note line, the flag says it.
    expect(records).toHaveLength(5_001);
    expect(full.csv).not.toContain("# truncated");

    const cut = await api.activity.export({ projectId, types: ["bulk"], maxRows: 7 });
    expect(cut).toMatchObject({ rows: 7, truncated: true, maxRows: 7 });
    expect(parseCsv(cut.csv)).toHaveLength(8);
    const newest = await api.activity.list({ projectId, types: ["bulk"], limit: 7 });
    expect(
      parseCsv(cut.csv)
        .slice(1)
        .map((record) => record[ACTIVITY_CSV_COLUMNS.indexOf("description")]),
    ).toEqual(newest.items.map((item) => item.description));

    // Exactly at the bound is not truncated.
    const other = await newProject(api);
    await insertActivity(other, userId, [
      { type: "bulk", source: "user", description: "one" },
      { type: "bulk", source: "user", description: "two" },
    ]);
    expect(await api.activity.export({ projectId: other, types: ["bulk"], maxRows: 2 })).toMatchObject({
      rows: 2,
      truncated: false,
    });
    await expectFailure(api.activity.export({ projectId, maxRows: 5_001 }), "BAD_REQUEST");
    await expectFailure(api.activity.export({ projectId, maxRows: 0 }), "BAD_REQUEST");
  });

  it("answers NOT_FOUND for another user's project and for a made-up one", async () => {
    const owner = await signedInUser();
    const stranger = await signedInUser();
    const projectId = await newProject(owner.api);
    await expectFailure(stranger.api.activity.export({ projectId }), "NOT_FOUND");
    await expectFailure(owner.api.activity.export({ projectId: "00000000-0000-4000-8000-000000000000" }), "NOT_FOUND");
  });

  it("escapes quotes, commas and line breaks, and neutralises cells that would run as formulas", async () => {
    const { api } = await signedInUser();
    const projectId = await newProject(api);
    const texts = [
      'says "hi", twice',
      "two\nlines\r\nand a CRLF",
      '=HYPERLINK("http://evil.example","click")',
      "+1+1",
      "-2+3",
      "@SUM(A1:A2)",
      "\t=1+1",
      "plain text, = inside is fine",
    ];
    await insertActivity(
      projectId,
      null,
      texts.map((description, n) => ({ type: "note", source: "system", description, at: `2026-11-01T00:00:0${n}Z` })),
    );
    const exported = await api.activity.export({ projectId, types: ["note"] });
    const records = parseCsv(exported.csv).slice(1);
    expect(records.every((record) => record.length === ACTIVITY_CSV_COLUMNS.length)).toBe(true);
    const description = ACTIVITY_CSV_COLUMNS.indexOf("description");
    // Newest first: the texts in reverse; each formula-like cell reads back with a leading ', the others unchanged.
    expect(records.map((record) => record[description])).toEqual(
      [
        'says "hi", twice',
        "two\nlines\r\nand a CRLF",
        `'=HYPERLINK("http://evil.example","click")`,
        "'+1+1",
        "'-2+3",
        "'@SUM(A1:A2)",
        "'\t=1+1",
        "plain text, = inside is fine",
      ].reverse(),
    );
    expect(exported.csv).toContain('"says ""hi"", twice"');
    expect(exported.csv).toContain(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
  });
});

describe("csvField", () => {
  it("writes numbers as they are, quotes only when needed, and prefixes formula-like text", () => {
    expect(csvField(null)).toBe("");
    expect(csvField(-5)).toBe("-5");
    expect(csvField("-5")).toBe("'-5");
    expect(csvField("plain")).toBe("plain");
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField('=1,"2"')).toBe(`"'=1,""2"""`);
    expect(csvField("\rx")).toBe(`"'\rx"`);
  });
});
