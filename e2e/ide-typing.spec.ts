import { createFileApi, editorValue, expect, openFreshProject, test } from "./fixtures";

declare global {
  interface Window {
    /** React commits counted through the devtools hook React calls after every commit. */
    __reactCommits?: number;
  }
}

test("typing re-renders the IDE far less than once per keystroke: Monaco owns the buffer", async ({ page }) => {
  // React reports each commit to a devtools hook present before it loads; this one only counts them.
  await page.addInitScript(() => {
    window.__reactCommits = 0;
    Object.assign(window, {
      __REACT_DEVTOOLS_GLOBAL_HOOK__: {
        supportsFiber: true,
        renderers: new Map(),
        inject: () => 1,
        onCommitFiberRoot: () => (window.__reactCommits = (window.__reactCommits ?? 0) + 1),
        onCommitFiberUnmount: () => {},
        onPostCommitFiberRoot: () => {},
        checkDCE: () => {},
      },
    });
  });
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
  const before = await page.evaluate(() => window.__reactCommits ?? 0);
  await page.keyboard.type("y".repeat(keystrokes));
  await expect.poll(() => editorValue(page)).toContain("y".repeat(keystrokes));
  const commits = (await page.evaluate(() => window.__reactCommits ?? 0)) - before;
  expect(commits).toBeLessThan(keystrokes / 10);
});
