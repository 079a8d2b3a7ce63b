import { createFileApi, deleteFileApi, editorValue, expect, openFreshProject, readFileApi, test } from "./fixtures";

const modKey = process.platform === "darwin" ? "Meta" : "Control";

test("a tab open on a file that was deleted and created again gets the conflict view on save, and nothing is lost", async ({
  page,
}) => {
  const { projectId } = await openFreshProject(page);
  const oldId = await createFileApi(page, projectId, "app.js", "old file\n");
  await page.goto(`/projects/${projectId}`);
  await page.getByRole("treeitem", { name: /app\.js/ }).click();
  await expect.poll(() => editorValue(page)).toBe("old file\n");

  // Another tab deletes the file and creates a new one at the same path: also version 1.
  await deleteFileApi(page, projectId, "app.js");
  const newId = await createFileApi(page, projectId, "app.js", "new file\n");
  expect(newId).not.toBe(oldId);

  await page.getByTestId("code-editor").click();
  await page.evaluate(() => window.__vaporformEditor?.setValue("edit made in the old tab\n"));
  await page.keyboard.press(`${modKey}+s`);
  const conflict = page.getByTestId("conflict-view");
  await expect(conflict).toBeVisible();
  await expect(conflict.getByRole("alert")).toContainText("deleted and created again");
  expect(await readFileApi(page, projectId, "app.js")).toMatchObject({ id: newId, version: 1, content: "new file\n" });

  // Keeping the old tab's text saves it on top of the new file, as its version 2; version 1 stays in the history.
  await conflict.getByRole("button", { name: "Keep mine" }).click();
  await expect(conflict).toHaveCount(0);
  await expect(page.getByTestId("save-status")).toHaveText("Saved");
  expect(await readFileApi(page, projectId, "app.js")).toMatchObject({
    id: newId,
    version: 2,
    content: "edit made in the old tab\n",
  });
  await page.getByRole("button", { name: "History" }).click();
  await expect(page.getByTestId("history-list").getByRole("listitem")).toHaveCount(3);
});

test("restoring a deleted file over a file created again at its path asks before overwriting it", async ({ page }) => {
  const { projectId } = await openFreshProject(page);
  await createFileApi(page, projectId, "notes.md", "deleted notes\n");
  await deleteFileApi(page, projectId, "notes.md");
  await page.goto(`/projects/${projectId}`);
  await page.getByRole("button", { name: "History" }).click();
  const restore = page.getByRole("button", { name: "Restore notes.md" });
  await expect(restore).toBeVisible();

  // Meanwhile another tab creates a new notes.md.
  const liveId = await createFileApi(page, projectId, "notes.md", "live notes\n");
  await restore.click();
  const dialog = page.getByRole("alertdialog", { name: "Overwrite notes.md?" });
  await expect(dialog).toContainText("A file was created at “notes.md”");
  await expect(dialog.getByTestId("diff-view")).toBeVisible();
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toHaveCount(0);
  expect(await readFileApi(page, projectId, "notes.md")).toMatchObject({
    id: liveId,
    version: 1,
    content: "live notes\n",
  });

  await restore.click();
  await dialog.getByRole("button", { name: "Overwrite with version 1" }).click();
  await expect(dialog).toHaveCount(0);
  expect(await readFileApi(page, projectId, "notes.md")).toMatchObject({
    id: liveId,
    version: 2,
    content: "deleted notes\n",
  });
  await expect.poll(() => editorValue(page)).toBe("deleted notes\n");
});
