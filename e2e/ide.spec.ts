import { strFromU8, strToU8, unzipSync, zipSync } from "fflate";
import fs from "node:fs";
import { createFileApi, editorValue, expect, openFreshProject, saveFileApi, signInAs, test } from "./fixtures";

const modKey = process.platform === "darwin" ? "Meta" : "Control";

test("create a file, edit it, save, reload and find it kept; nothing leaves this machine", async ({ page }) => {
  const external: string[] = [];
  page.on("request", (request) => {
    const { hostname, protocol } = new URL(request.url());
    if (!["localhost", "127.0.0.1"].includes(hostname) && !["data:", "blob:"].includes(protocol))
      external.push(request.url());
  });
  const { projectId } = await openFreshProject(page);
  await page.goto(`/projects/${projectId}`);
  await expect(page.getByRole("tree", { name: "Project files" }).getByText("README.md")).toBeVisible();

  await page.getByRole("button", { name: "New file" }).click();
  await page.getByLabel("Path").fill("src/hello.ts");
  await page.getByRole("button", { name: "Create" }).click();
  await expect(page.getByTestId("code-editor")).toBeVisible();

  await page.getByTestId("code-editor").click();
  await page.keyboard.type('const greeting: number = "hello";\n');
  await expect(page.getByTestId("tab-src/hello.ts").getByTestId("unsaved-marker")).toBeVisible();
  // Monaco's TypeScript worker runs: the type error is underlined.
  await expect(page.locator(".squiggly-error").first()).toBeVisible({ timeout: 30_000 });

  await page.keyboard.press(`${modKey}+s`);
  await expect(page.getByTestId("save-status")).toHaveText("Saved");
  await expect(page.getByTestId("unsaved-marker")).toHaveCount(0);

  await page.reload();
  await expect(page.getByTestId("tab-src/hello.ts")).toBeVisible(); // open tabs are remembered per project
  await page.getByTestId("tab-src/hello.ts").click();
  await expect.poll(() => editorValue(page)).toContain('const greeting: number = "hello";');
  expect(external).toEqual([]);
});

test("two browsers edit the same file: the second save gets the conflict view, and nothing is lost", async ({
  page,
  browser,
}) => {
  const { user, projectId } = await openFreshProject(page);
  await createFileApi(page, projectId, "notes.md", "first line\n");

  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await signInAs(other, user);

  for (const tab of [page, otherPage]) {
    await tab.goto(`/projects/${projectId}`);
    await tab.getByRole("treeitem", { name: /notes\.md/ }).click();
    await expect.poll(() => editorValue(tab)).toBe("first line\n");
  }

  await page.evaluate(() => window.__vaporformEditor?.setValue("first line\nfrom the first browser\n"));
  await page.keyboard.press(`${modKey}+s`);
  await page.getByTestId("code-editor").click();
  await page.keyboard.press(`${modKey}+s`);
  await expect(page.getByTestId("save-status")).toHaveText("Saved");

  await otherPage.getByTestId("code-editor").click();
  await otherPage.evaluate(() => window.__vaporformEditor?.setValue("first line\nfrom the second browser\n"));
  await otherPage.keyboard.press(`${modKey}+s`);
  const conflict = otherPage.getByTestId("conflict-view");
  await expect(conflict).toBeVisible();
  await expect(conflict.getByRole("alert")).toContainText("saved this file");
  await expect(otherPage.getByTestId("diff-view")).toBeVisible();
  await otherPage.screenshot({ path: "e2e/screenshots/ide-conflict.png" });

  await conflict.getByRole("button", { name: "Keep mine" }).click();
  await expect(conflict).toHaveCount(0);
  await expect(otherPage.getByTestId("save-status")).toHaveText("Saved");

  // The first browser's version is not gone: it is in the history.
  await page.reload();
  await page.getByRole("treeitem", { name: /notes\.md/ }).click();
  await expect.poll(() => editorValue(page)).toBe("first line\nfrom the second browser\n");
  await page.getByRole("button", { name: "History" }).click();
  await expect(page.getByTestId("history-list").getByRole("listitem")).toHaveCount(3);
  await other.close();
});

test("restore an old version as a new one", async ({ page }) => {
  const { projectId } = await openFreshProject(page);
  const fileId = await createFileApi(page, projectId, "app.js", "console.log(1);\n");
  await saveFileApi(page, projectId, "app.js", "console.log(2);\n", fileId, 1);

  await page.goto(`/projects/${projectId}`);
  await page.getByRole("treeitem", { name: /app\.js/ }).click();
  await expect.poll(() => editorValue(page)).toBe("console.log(2);\n");
  await page.getByRole("button", { name: "History" }).click();
  await page.getByRole("button", { name: "Restore version 1" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Restore" }).click();

  await expect.poll(() => editorValue(page)).toBe("console.log(1);\n");
  await expect(page.getByTestId("history-list").getByRole("listitem")).toHaveCount(3);
  await expect(page.getByTestId("history-list").getByRole("listitem").first()).toContainText("v3");
});

test("search the project and jump to the line", async ({ page }) => {
  const { projectId } = await openFreshProject(page);
  const body = Array.from({ length: 40 }, (_, line) =>
    line === 29 ? "export const needleInHaystack = 42;" : `// line ${line + 1}`,
  ).join("\n");
  await createFileApi(page, projectId, "src/deep/haystack.ts", body);

  await page.goto(`/projects/${projectId}`);
  await expect(page.getByRole("tree", { name: "Project files" })).toBeVisible();
  await expect(async () => {
    await page.keyboard.press(`${modKey}+Shift+f`);
    await expect(page.getByTestId("search-input")).toBeVisible({ timeout: 1000 });
  }).toPass();
  await page.getByTestId("search-input").fill("needleInHaystack");
  const results = page.getByTestId("search-results");
  await expect(results.getByText("src/deep/haystack.ts")).toBeVisible();
  await results.getByRole("button", { name: /30\s*export const needleInHaystack/ }).click();

  await expect(page.getByTestId("tab-src/deep/haystack.ts")).toBeVisible();
  await expect.poll(() => page.evaluate(() => window.__vaporformEditor?.getPosition?.()?.lineNumber)).toBe(30);
});

test("import a zip with a progress bar, then export the project", async ({ page }, testInfo) => {
  const { projectId } = await openFreshProject(page);
  const archive = zipSync({
    "site/index.html": strToU8("<h1>Imported</h1>\n"),
    "site/app.js": strToU8("console.log('imported');\n"),
    "node_modules/left-pad/index.js": strToU8("module.exports = 1;\n"),
    ".git/HEAD": strToU8("ref: refs/heads/main\n"),
  });
  const zipPath = testInfo.outputPath("site.zip");
  fs.writeFileSync(zipPath, archive);

  await page.goto(`/projects/${projectId}`);
  await page.getByTestId("zip-input").setInputFiles(zipPath);
  await expect(page.getByRole("progressbar", { name: "Import progress" })).toBeVisible();
  await expect(page.getByText(/Imported 2 files/)).toBeVisible();
  await page.getByRole("dialog").getByRole("button", { name: "Close" }).click();
  const tree = page.getByRole("tree", { name: "Project files" });
  await expect(tree.getByText("site")).toBeVisible();
  await expect(tree.getByText("node_modules")).toHaveCount(0);

  const downloadPromise = page.waitForEvent("download");
  await page.getByRole("link", { name: "Export zip" }).click();
  const download = await downloadPromise;
  const exported = unzipSync(new Uint8Array(fs.readFileSync(await download.path())));
  expect(Object.keys(exported).sort()).toEqual(["README.md", "site/app.js", "site/index.html"]);
  expect(strFromU8(exported["site/index.html"]!)).toBe("<h1>Imported</h1>\n");
});

test("the IDE in the light and the dark theme", async ({ page }) => {
  const { projectId } = await openFreshProject(page, "Screenshots");
  await createFileApi(page, projectId, "src/main.ts", 'export function main(): string {\n  return "hello";\n}\n');
  await page.goto(`/projects/${projectId}`);
  await expect(page.getByRole("tree", { name: "Project files" })).toBeVisible();
  // Quick open: a few letters of the name find the file inside its (closed) folder.
  // (Pressed again until the page has hydrated and listens for it.)
  await expect(async () => {
    await page.keyboard.press(`${modKey}+p`);
    await expect(page.getByRole("combobox", { name: "File name" })).toBeVisible({ timeout: 1000 });
  }).toPass();
  await page.getByRole("combobox", { name: "File name" }).fill("mn");
  await expect(page.getByRole("option").first()).toContainText("src/main.ts");
  await page.keyboard.press("Enter");
  await expect(page.locator(".monaco-editor").first()).toBeVisible();
  await expect(page.getByRole("treeitem", { name: /main\.ts/ })).toBeVisible();
  await page.getByRole("button", { name: "History" }).click();
  // The panes resize from the keyboard too, and remember their size.
  const handle = page.getByRole("separator", { name: "Resize the file tree" });
  const before = Number(await handle.getAttribute("aria-valuenow"));
  await handle.focus();
  await page.keyboard.press("ArrowRight");
  await expect(handle).toHaveAttribute("aria-valuenow", String(before + 16));
  await page.screenshot({ path: "e2e/screenshots/ide-light.png" });
  await page.getByRole("button", { name: "Switch to dark theme" }).click();
  await expect(page.locator("html")).toHaveClass(/dark/);
  await expect(page.locator(".monaco-editor.vs-dark").first()).toBeVisible();
  await page.screenshot({ path: "e2e/screenshots/ide-dark.png" });
});
