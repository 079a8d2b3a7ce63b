import { createFileApi, editorValue, expect, openFreshProject, readFileApi, test, trpcMutation } from "./fixtures";

test("autosave after a pause saves what was typed, and the file is marked saved again", async ({ page }) => {
  const { projectId } = await openFreshProject(page);
  const preferences = await trpcMutation(page, "account.updatePreferences", {
    autosave: "afterDelay",
    autosaveDelayMs: 300,
  });
  expect(preferences.status(), await preferences.text()).toBe(200);
  await createFileApi(page, projectId, "notes.md", "first\n");
  await page.goto(`/projects/${projectId}`);
  await page.getByRole("treeitem", { name: /notes\.md/ }).click();
  await expect.poll(() => editorValue(page)).toBe("first\n");

  await page.getByTestId("code-editor").click();
  await page.keyboard.press("Control+End");
  await page.keyboard.type("second");
  await expect.poll(async () => (await readFileApi(page, projectId, "notes.md")).content).toBe("first\nsecond");
  await expect(page.getByTestId("save-status")).toHaveText("Saved");
  await expect(page.getByTestId("unsaved-marker")).toHaveCount(0);
});
