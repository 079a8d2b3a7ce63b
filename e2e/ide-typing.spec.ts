import {
  countReactCommits,
  createFileApi,
  editorValue,
  expect,
  openFreshProject,
  commitsWhileTyping,
  test,
} from "./fixtures";

test("typing re-renders the IDE far less than once per keystroke: Monaco owns the buffer", async ({ page }) => {
  await countReactCommits(page);
  const { projectId } = await openFreshProject(page);
  await createFileApi(page, projectId, "main.ts", "export const answer = 42;\n");
  await page.goto(`/projects/${projectId}`);
  await page.getByRole("treeitem", { name: /main\.ts/ }).click();
  await expect.poll(() => editorValue(page)).toContain("answer");
  await page.getByTestId("code-editor").click();
  await page.keyboard.type("x");
  await expect(page.getByTestId("tab-main.ts").getByTestId("unsaved-marker")).toBeVisible();
  await expect(page.getByTestId("save-status")).toHaveText("Unsaved changes");

  const keystrokes = 40;
  expect(await commitsWhileTyping(page, "y".repeat(keystrokes))).toBeLessThan(keystrokes / 10);
});
