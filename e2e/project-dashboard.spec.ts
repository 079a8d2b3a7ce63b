import { randomBytes } from "node:crypto";
import type { Page } from "@playwright/test";
import fs from "node:fs";
import { createUser, expect, readFileApi, saveFileApi, signInAs, test } from "./fixtures";

async function query<T>(page: Page, path: string, input?: unknown): Promise<T> {
  const search = input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
  const response = await page.request.get(`/api/trpc/${path}${search}`);
  expect(response.status(), await response.text()).toBe(200);
  return ((await response.json()) as { result: { data: { json: T } } }).result.data.json;
}

async function counter(page: Page, name: string): Promise<number> {
  return Number((await page.getByTestId(`counter-${name}`).innerText()).replace(/[^\d]/g, ""));
}

/** A quoted-field-aware split of one CSV line (the export quotes fields holding commas or quotes). */
function csvCells(line: string): string[] {
  const cells: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i]!;
    if (quoted) {
      if (char === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ",") {
      cells.push(cell);
      cell = "";
    } else cell += char;
  }
  cells.push(cell);
  return cells;
}

test("a project from a template: an edit moves the dashboard's counters and activity; filter and export it", async ({
  page,
}) => {
  const user = await createUser(page);
  await signInAs(page.context(), user);
  const templates = await query<{ id: string; name: string }[]>(page, "template.listPublic");
  expect(templates.length, "the seed's official templates").toBeGreaterThan(0);
  // Created from a template the way people do: its page, "Use this template", a name.
  const projectName = `Dashboard ${randomBytes(3).toString("hex")}`;
  await page.goto(`/templates/${templates[0]!.id}`);
  await page.getByTestId("use-template").click();
  const dialog = page.getByRole("dialog", { name: "Use this template" });
  await dialog.getByLabel("Project name").fill(projectName);
  await dialog.getByRole("button", { name: "Create project" }).click();
  await expect(page).toHaveURL(/\/projects\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { name: projectName })).toBeVisible();
  const projectId = new URL(page.url()).pathname.split("/").at(-1)!;

  await page.goto(`/projects/${projectId}/dashboard`);
  await expect(page.getByRole("heading", { level: 1, name: /: dashboard$/ })).toBeVisible();
  const files = await counter(page, "files");
  const versions = await counter(page, "versions");
  const lines = await counter(page, "lines");
  expect(files).toBeGreaterThan(0);
  await expect(
    page.getByTestId("activity-entry").filter({ hasText: `Created from template ${templates[0]!.name}` }),
  ).toBeVisible();

  // An edit of an existing file (two more lines) and a new file, as the editor would save them.
  const listed = await query<{ path: string; isBinary: boolean }[]>(page, "file.list", { projectId });
  const paths = listed.filter((file) => !file.isBinary).map((file) => file.path);
  const target = paths.find((path) => /\.(md|txt|html|css|js|ts|tsx|json)$/.test(path)) ?? paths[0]!;
  const live = await readFileApi(page, projectId, target);
  await saveFileApi(
    page,
    projectId,
    target,
    `${live.content}\nedited on the dashboard\nsecond line\n`,
    live.id,
    live.version,
  );

  await page.reload();
  await expect.poll(() => counter(page, "versions")).toBe(versions + 1);
  expect(await counter(page, "files")).toBe(files);
  expect(await counter(page, "lines")).toBeGreaterThan(lines);
  const entries = page.getByTestId("activity-entry");
  await expect(entries.first()).toContainText(`Modified file: ${target}`);

  // Filter by type, then by source: every shown entry matches.
  await page.getByRole("combobox", { name: "Type", exact: true }).selectOption("file_modified");
  await expect(entries.first()).toHaveAttribute("data-type", "file_modified");
  await expect(entries).toHaveCount(1);
  await page.getByRole("combobox", { name: "Source", exact: true }).selectOption("user");
  await expect(entries).toHaveCount(1);
  await expect(entries.first()).toHaveAttribute("data-source", "user");
  await page.getByRole("combobox", { name: "Source", exact: true }).selectOption("webhook");
  await expect(page.getByText("No activity matches these filters.")).toBeVisible();
  await page.getByRole("combobox", { name: "Source", exact: true }).selectOption("user");

  // The edit as a diff of its two versions, and its before/after states.
  await entries.first().getByRole("button", { name: "Show diff" }).click();
  await expect(page.getByTestId("state-diff")).toContainText("version");
  await expect(page.getByTestId("diff-view")).toBeVisible();

  // The export has the filters of the timeline: the one edit, as CSV.
  const href = await page.getByTestId("activity-export").getAttribute("href");
  expect(href).toContain("types=file_modified");
  expect(href).toContain("source=user");
  const response = await page.request.get(href!);
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toContain("text/csv");
  // Clicking it downloads a file: the same CSV.
  const downloading = page.waitForEvent("download");
  await page.getByTestId("activity-export").click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/-activity\.csv$/);
  const downloaded = fs.readFileSync((await download.path())!, "utf8");
  expect(downloaded).toBe(await response.text());
  const rows = downloaded.trim().split("\r\n").map(csvCells);
  expect(rows[0]).toEqual([
    "created_at",
    "activity_type",
    "source_type",
    "user_id",
    "username",
    "description",
    "affected_resources",
    "before_state",
    "after_state",
  ]);
  expect(rows).toHaveLength(2);
  expect(rows[1]![1]).toBe("file_modified");
  expect(rows[1]![2]).toBe("user");
  expect(rows[1]![5]).toBe(`Modified file: ${target}`);
  expect(JSON.parse(rows[1]![8]!)).toMatchObject({ file_path: target, version: live.version + 1 });
  // activity.export answers the same CSV for the same filters (one writer).
  const exported = await query<{ csv: string; rows: number; truncated: boolean }>(page, "activity.export", {
    projectId,
    types: ["file_modified"],
    source: "user",
  });
  expect(exported).toMatchObject({ csv: downloaded, rows: 1, truncated: false });

  // Without filters, the export holds the template's files too.
  const all = await page.request.get(`/api/projects/${projectId}/activity/export`);
  expect((await all.text()).trim().split("\r\n").length).toBeGreaterThan(2);
  // Someone else's project: not found.
  const other = await page.request.get(
    `/api/projects/${"0".repeat(8)}-0000-4000-8000-${"0".repeat(12)}/activity/export`,
  );
  expect(other.status()).toBe(404);
});
