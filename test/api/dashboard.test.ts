import { describe, expect, it } from "vitest";
import { db } from "~/server/db/client";
import { activityCsv } from "~/server/services/activity";
import { pool } from "../db";
import { expectFailure, newProject, signedInUser } from "../files/support";

async function collect(chunks: AsyncGenerator<string>): Promise<string[]> {
  let text = "";
  for await (const chunk of chunks) text += chunk;
  return text.split("\r\n").filter(Boolean);
}

describe("project.dashboard", () => {
  it("counts files, size, lines and versions exactly as the rows add up, after edits", async () => {
    const { api } = await signedInUser();
    const projectId = await newProject(api);
    const { id: fileId } = await api.file.create({ projectId, path: "src/a.ts", kind: "file", content: "1\n2\n3\n" });
    await api.file.save({ projectId, path: "src/a.ts", content: "1\n2\n3\n4\n5\n", fileId, baseVersion: 1 });
    await api.file.create({ projectId, path: "data.json", kind: "file", content: '{"a":1}\n' });
    const { id: gone } = await api.file.create({ projectId, path: "gone.txt", kind: "file", content: "x\n" });
    expect(gone).toBeTruthy();
    await api.file.delete({ projectId, path: "gone.txt" });

    const dashboard = await api.project.dashboard({ projectId });
    const { rows } = await pool.query<{ files: number; bytes: string; lines: string; versions: number }>(
      `SELECT count(*)::int AS files, sum(size_bytes)::text AS bytes, sum(line_count)::text AS lines,
              (SELECT count(*)::int FROM project_file_versions WHERE project_id = $1) AS versions
         FROM project_files WHERE project_id = $1`,
      [projectId],
    );
    const expected = rows[0]!;
    expect(dashboard.counters).toMatchObject({
      files: expected.files,
      sizeBytes: Number(expected.bytes),
      lines: Number(expected.lines),
      versions: expected.versions,
      storedFiles: expected.files,
      storedSizeBytes: Number(expected.bytes),
      storageLimitBytes: 5120 * 1024 * 1024,
    });
    expect(expected.files).toBe(3); // README.md, src/a.ts, data.json
    // README v1, a.ts v1 and v2, data.json v1, gone.txt v1 (history outlives the file).
    expect(expected.versions).toBe(5);
    const typescript = dashboard.filesByType.find((row) => row.fileType === "typescript");
    expect(typescript).toMatchObject({ files: 1, lines: 5, sizeBytes: 10 });
    expect(dashboard.filesByType.reduce((sum, row) => sum + row.files, 0)).toBe(3);
    expect(dashboard.activityTypes.map((row) => row.type)).toEqual(
      expect.arrayContaining(["file_created", "file_modified", "file_deleted"]),
    );
    expect(dashboard.resources).toEqual([]);
    expect(dashboard.usageByDay.rows).toEqual([]);

    // One more save moves lines and versions by exactly that save.
    await api.file.save({ projectId, path: "src/a.ts", content: "1\n", fileId, baseVersion: 2 });
    const after = await api.project.dashboard({ projectId });
    expect(after.counters.versions).toBe(6);
    expect(after.counters.lines).toBe(dashboard.counters.lines - 4);
    expect(after.counters.sizeBytes).toBe(dashboard.counters.sizeBytes - 8);
  });

  it("shows the infrastructure rows as stored, metrics the rows lack as null", async () => {
    const { api } = await signedInUser();
    const projectId = await newProject(api);
    await pool.query(
      `INSERT INTO infrastructure_resources (project_id, resource_type, resource_name, resource_id, status,
                                             health_status, cpu_usage_percent, disk_usage_mb, network_out_bytes,
                                             last_health_check)
       VALUES ($1, 'service', 'preview', 'p-1', 'running', 'healthy', 12.5, 3, 4096, now()),
              ($1, 'volume', 'files', 'v-1', 'active', 'unknown', NULL, 7, NULL, NULL)`,
      [projectId],
    );
    const { resources } = await api.project.dashboard({ projectId });
    expect(resources.map((row) => [row.resourceType, row.resourceName])).toEqual([
      ["service", "preview"],
      ["volume", "files"],
    ]);
    expect(resources[0]).toMatchObject({ status: "running", healthStatus: "healthy", cpuUsagePercent: 12.5 });
    expect(resources[0]!.networkOutBytes).toBe(4096);
    expect(resources[0]!.lastHealthCheck).toBeInstanceOf(Date);
    expect(resources[1]).toMatchObject({ cpuUsagePercent: null, memoryUsageMb: null, networkOutBytes: null });
  });
});

describe("activity.list filters", () => {
  async function seeded() {
    const { api, userId } = await signedInUser();
    const other = await signedInUser();
    const projectId = await newProject(api);
    // 40 entries over four days and sources; every fifth by another user.
    await pool.query(
      `INSERT INTO project_activity (project_id, user_id, activity_type, description, source_type, created_at,
                                     before_state, after_state)
       SELECT $1, CASE WHEN n % 5 = 0 THEN $3::uuid ELSE $2::uuid END,
              CASE WHEN n % 2 = 0 THEN 'settings_changed' ELSE 'webhook_received' END, 'entry ' || n,
              (ARRAY['user', 'claude', 'system', 'webhook'])[n % 4 + 1],
              timestamptz '2026-11-01 23:30:00+00' + (n % 4) * interval '1 day',
              jsonb_build_object('n', n - 1), jsonb_build_object('n', n)
         FROM generate_series(1, 40) AS n`,
      [projectId, userId, other.userId],
    );
    return { api, userId, otherId: other.userId, projectId };
  }

  async function all(
    api: Awaited<ReturnType<typeof signedInUser>>["api"],
    input: Parameters<Awaited<ReturnType<typeof signedInUser>>["api"]["activity"]["list"]>[0],
  ) {
    const items: Awaited<ReturnType<typeof api.activity.list>>["items"] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Awaited<ReturnType<typeof api.activity.list>> = await api.activity.list({
        ...input,
        limit: 3,
        cursor,
      });
      items.push(...page.items);
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 50);
    return items;
  }

  it("filters by type, source, user and UTC days, and pages through the filtered rows once each", async () => {
    const { api, otherId, projectId } = await seeded();
    const byType = await all(api, { projectId, types: ["settings_changed"] });
    expect(byType).toHaveLength(20);
    expect(new Set(byType.map((item) => item.id)).size).toBe(20);
    expect(byType.every((item) => item.activityType === "settings_changed")).toBe(true);

    const bySource = await all(api, { projectId, source: "webhook" });
    expect(bySource).toHaveLength(10);
    expect(bySource.every((item) => item.sourceType === "webhook")).toBe(true);

    const byUser = await all(api, { projectId, userId: otherId });
    expect(byUser).toHaveLength(8);
    expect(byUser.every((item) => item.actor?.id === otherId)).toBe(true);

    // 2026-11-02 (UTC) holds the entries at 23:30 on Nov 2, n % 4 = 1: ten of them.
    const oneDay = await all(api, { projectId, from: "2026-11-02", to: "2026-11-02" });
    expect(oneDay).toHaveLength(10);
    expect(oneDay.every((item) => item.createdAt.toISOString().startsWith("2026-11-02"))).toBe(true);

    const combined = await all(api, {
      projectId,
      types: ["webhook_received"],
      source: "claude",
      from: "2026-11-01",
      to: "2026-11-03",
    });
    // odd n with n % 4 = 1 (claude): days index 1 (Nov 2): all within range.
    expect(combined).toHaveLength(10);
    const ordered = [...combined].sort((a, b) => +b.createdAt - +a.createdAt || (a.id < b.id ? 1 : -1));
    expect(combined.map((item) => item.id)).toEqual(ordered.map((item) => item.id));
    expect(combined[0]!.beforeState).toMatchObject({ n: expect.any(Number) });
    expect(combined[0]!.afterState).toMatchObject({ n: expect.any(Number) });
  });

  it("refuses a backwards range, an unknown source and a bad type", async () => {
    const { api, projectId } = await seeded();
    await expectFailure(api.activity.list({ projectId, from: "2026-11-03", to: "2026-11-01" }), "BAD_REQUEST");
    await expectFailure(api.activity.list({ projectId, source: "robot" as unknown as "user" }), "BAD_REQUEST");
    await expectFailure(api.activity.list({ projectId, types: ["DROP TABLE"] }), "BAD_REQUEST");
    await expectFailure(api.activity.list({ projectId, from: "2026-02-30" }), "BAD_REQUEST");
  });

  it("exports the filtered rows as CSV, formulas neutralised, bounded", async () => {
    const { api, projectId } = await seeded();
    await pool.query(
      `INSERT INTO project_activity (project_id, activity_type, description, source_type)
       VALUES ($1, 'note', '=HYPERLINK("http://evil")', 'system'), ($1, 'note', '+1, "two"', 'system')`,
      [projectId],
    );
    const notes = await collect(activityCsv({ db, projectId, filter: { types: ["note"] } }));
    expect(notes[0]).toBe(
      "created_at,activity_type,source_type,user_id,username,description,affected_resources,before_state,after_state",
    );
    expect(notes).toHaveLength(3);
    const descriptions = notes.slice(1).map((line) => line.split(",system,,,")[1]);
    expect(descriptions).toEqual(expect.arrayContaining([`"'=HYPERLINK(""http://evil"")",,,`, `"'+1, ""two""",,,`]));

    const webhooks = await collect(activityCsv({ db, projectId, filter: { source: "webhook" } }));
    expect(webhooks).toHaveLength(11);
    const listed = await api.activity.list({ projectId, source: "webhook", limit: 100 });
    expect(webhooks.slice(1).map((line) => line.split(",")[0])).toEqual(
      listed.items.map((item) => item.createdAt.toISOString()),
    );

    const bounded = await collect(activityCsv({ db, projectId, filter: {}, maxRows: 7 }));
    expect(bounded).toHaveLength(1 + 7 + 1);
    expect(bounded.at(-1)).toMatch(/^# truncated at 7 rows/);
    const exact = await collect(activityCsv({ db, projectId, filter: { source: "webhook" }, maxRows: 10 }));
    expect(exact).toHaveLength(11);
  });
});
