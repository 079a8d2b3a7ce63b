import {
  createFileApi,
  editorValue,
  expect,
  openFreshProject,
  readFileApi,
  saveFileApi,
  test,
  trpcMutation,
} from "./fixtures";

test("start the preview, see index.html in the sandboxed frame, save an edit, reload, see it; stop", async ({
  page,
}) => {
  const { projectId } = await openFreshProject(page, "Preview site");
  await createFileApi(page, projectId, "index.html", '<link rel="stylesheet" href="style.css"><h1>Hello, preview</h1>');
  await createFileApi(page, projectId, "style.css", "h1 { color: rgb(200, 0, 0); }");
  await page.goto(`/projects/${projectId}`);

  await page.getByTestId("preview-toggle").click();
  const pane = page.getByRole("complementary", { name: "Preview" });
  await pane.getByRole("button", { name: "Start" }).click();
  await expect(pane.getByTestId("preview-status")).toContainText("Running");
  const frameElement = pane.getByTestId("preview-frame");
  await expect(frameElement).toHaveAttribute("sandbox", "allow-scripts allow-forms");
  const src = await frameElement.getAttribute("src");
  // A port of the e2e install's PREVIEW_PORT_RANGE (playwright.config.ts; E2E_PREVIEW_PORT_RANGE for a private run).
  const [first, last] = (process.env.E2E_PREVIEW_PORT_RANGE ?? "4600-4699").split("-").map(Number);
  expect(src).toMatch(/^http:\/\/localhost:\d+\/$/);
  const port = Number(new URL(src!).port);
  expect(port).toBeGreaterThanOrEqual(first!);
  expect(port).toBeLessThanOrEqual(last!);

  const frame = page.frameLocator('[data-testid="preview-frame"]');
  const heading = frame.getByRole("heading", { name: "Hello, preview" });
  await expect(heading).toBeVisible();
  await expect(heading).toHaveCSS("color", "rgb(200, 0, 0)");

  // The preview's own origin: its headers, and none of the app's cookies reach its page.
  const response = await page.request.get(src!);
  expect(response.headers()["content-security-policy"]).toContain("frame-ancestors http://localhost:");
  expect(response.headers()["x-content-type-options"]).toBe("nosniff");

  const file = await readFileApi(page, projectId, "index.html");
  await saveFileApi(page, projectId, "index.html", "<h1>Edited over the API</h1>", file.id, file.version);
  await pane.getByRole("button", { name: "Reload" }).click();
  await expect(frame.getByRole("heading", { name: "Edited over the API" })).toBeVisible();

  // Saved in the editor: the frame reloads by itself ("Reload on save" is on).
  await page.getByRole("treeitem", { name: /index\.html/ }).click();
  await expect.poll(() => editorValue(page)).toBe("<h1>Edited over the API</h1>");
  await page.getByTestId("code-editor").click();
  await page.evaluate(() => window.__vaporformEditor?.setValue("<h1>Saved in the editor</h1>"));
  await page.keyboard.press(`${process.platform === "darwin" ? "Meta" : "Control"}+s`);
  await expect(page.getByTestId("save-status")).toHaveText("Saved");
  await expect(frame.getByRole("heading", { name: "Saved in the editor" })).toBeVisible();

  await pane.getByRole("button", { name: "Stop" }).click();
  await expect(pane.getByTestId("preview-status")).toContainText("Stopped");
  await expect(pane.getByTestId("preview-frame")).toHaveCount(0);
  await expect.poll(async () => (await page.request.get(src!).catch(() => null))?.status() ?? "closed").toBe("closed");
});

test("a project that needs a server process says so and cannot be started", async ({ page }) => {
  const { projectId } = await openFreshProject(page, "Express app");
  await createFileApi(page, projectId, "package.json", JSON.stringify({ dependencies: { express: "^5.1.0" } }));
  await page.goto(`/projects/${projectId}`);
  await page.getByTestId("preview-toggle").click();
  const pane = page.getByRole("complementary", { name: "Preview" });
  await expect(pane.getByRole("status").filter({ hasText: "needs a server process" })).toBeVisible();
  await expect(pane.getByRole("button", { name: "Start" })).toBeDisabled();
  const refused = await trpcMutation(page, "project.start", { projectId });
  expect(refused.status()).toBe(412);
});

test("a React-like project: dependencies installed from the registry, steps shown, a syntax error with file:line, fixed", async ({
  page,
}) => {
  const { projectId } = await openFreshProject(page, "Bundled preview");
  // tiny-greet and tiny-dom (a JSX runtime building DOM nodes) come from the fake registry of playwright.config.ts.
  await createFileApi(
    page,
    projectId,
    "package.json",
    JSON.stringify({ dependencies: { "tiny-greet": "^1.0.0", "tiny-dom": "1.0.0" }, devDependencies: { vite: "^8" } }),
  );
  await createFileApi(
    page,
    projectId,
    "index.html",
    '<div id="root"></div><script type="module" src="/src/main.tsx"></script>',
  );
  await createFileApi(
    page,
    projectId,
    "src/main.tsx",
    'import { App } from "./App";\nimport "./main.css";\n\ndocument.getElementById("root")!.append(App());\n',
  );
  await createFileApi(page, projectId, "src/main.css", "h1 { color: rgb(0, 0, 200); }");
  const app = (closing: string) =>
    `/** @jsxImportSource tiny-dom */\nimport { greet } from "tiny-greet";\n\nexport function App() {\n  return <h1>{greet("bundled preview")}${closing}\n}\n`;
  await createFileApi(page, projectId, "src/App.tsx", app("</h1>;"));
  await page.goto(`/projects/${projectId}`);

  await page.getByTestId("preview-toggle").click();
  const pane = page.getByRole("complementary", { name: "Preview" });
  await pane.getByRole("button", { name: "Start" }).click();
  const steps = pane.getByTestId("preview-steps");
  await expect(steps).toContainText(/Installed dependencies \(2 packages\)|Dependencies \(2 packages\) from the cache/);
  await expect(steps).toContainText("Bundling src/main.tsx");
  await expect(steps).toContainText("Ready");
  const frame = page.frameLocator('[data-testid="preview-frame"]');
  const heading = frame.getByRole("heading", { name: "Hello, bundled preview!" });
  await expect(heading).toBeVisible();
  await expect(heading).toHaveCSS("color", "rgb(0, 0, 200)");

  // A syntax error: the pane names the file, line and column and shows the line; the page says it too.
  let file = await readFileApi(page, projectId, "src/App.tsx");
  await saveFileApi(page, projectId, "src/App.tsx", app("</h1;"), file.id, file.version);
  await pane.getByRole("button", { name: "Reload" }).click();
  const errors = pane.getByTestId("preview-bundle-errors");
  await expect(errors).toContainText(/src\/App\.tsx:5:\d+ — /);
  await expect(errors).toContainText('return <h1>{greet("bundled preview")}</h1;');
  await expect(frame.locator("[data-vaporform-bundle-error]")).toContainText("src/App.tsx:5:");

  // Fixed: the page comes back, the errors go.
  file = await readFileApi(page, projectId, "src/App.tsx");
  await saveFileApi(page, projectId, "src/App.tsx", app("</h1>;"), file.id, file.version);
  await pane.getByRole("button", { name: "Reload" }).click();
  await expect(heading).toBeVisible();
  await expect(errors).toHaveCount(0);
  await expect(steps).toContainText("Ready");
  await pane.getByRole("button", { name: "Stop" }).click();
  await expect(pane.getByTestId("preview-status")).toContainText("Stopped");
});
