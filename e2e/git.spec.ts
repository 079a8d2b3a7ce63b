import { randomBytes } from "node:crypto";
import type { Page } from "@playwright/test";
import { startGitServer, type GitServer } from "../test/support/git-server";
import { createUser, editorValue, expect, readFileApi, signInAs, test } from "./fixtures";

const modKey = process.platform === "darwin" ? "Meta" : "Control";

// A real Git server on loopback (git's http-backend behind Basic auth), in this worker; the app reaches it because
// the e2e server allows private addresses (OUTBOUND_ALLOW_PRIVATE in playwright.config.ts).
let git: GitServer;
test.beforeAll(async () => {
  git = await startGitServer({ username: "e2e", password: `token-${randomBytes(6).toString("hex")}` });
});
test.afterAll(async () => {
  await git?.stop();
});

/** Light and dark screenshots of what the page shows now (the theme class toggled in place). */
async function screenshots(page: Page, name: string) {
  // Colours change at once (no transition caught half-way in the picture).
  await page.addStyleTag({ content: "*, *::before, *::after { transition: none !important; }" });
  for (const scheme of ["light", "dark"] as const) {
    await page.evaluate((dark) => document.documentElement.classList.toggle("dark", dark), scheme === "dark");
    await page.screenshot({ path: `e2e/screenshots/git-${name}-${scheme}.png` });
  }
  await page.evaluate(() => document.documentElement.classList.remove("dark"));
}

/** Appends a line to the open file by typing in Monaco, then saves with Ctrl/⌘+S. */
async function appendAndSave(page: Page, line: string) {
  await page.getByTestId("code-editor").click();
  await page.keyboard.press(`${modKey}+End`);
  await page.keyboard.type(`\n${line}`);
  await page.keyboard.press(`${modKey}+s`);
  await expect(page.getByTestId("save-status")).toHaveText("Saved");
}

test("imports a repository from Git with progress, pushes an edit, is told to pull, and pulls the server's commit", async ({
  page,
}) => {
  const repoName = `shop-${randomBytes(3).toString("hex")}`;
  const url = await git.createRepo(repoName, {
    "README.md": "# Shop\n\nA small shop.\n",
    "app.js": "export const greet = () => 'hello';\n",
  });
  const user = await createUser(page);
  await signInAs(page.context(), user);

  // New project, from Git: the branches are loaded with the credentials, the name is the repository's.
  await page.goto("/projects");
  await page.getByRole("button", { name: "New project" }).click();
  const dialog = page.getByRole("dialog", { name: "New project" });
  await dialog.getByRole("radio", { name: /From Git/ }).check();
  await dialog.getByLabel("Repository URL").fill(url);
  await expect(dialog.getByLabel("Name", { exact: true })).toHaveValue(repoName);
  await dialog.getByLabel("Username").fill(git.username);
  await dialog.getByLabel("Access token").fill(git.password);
  await dialog.getByRole("button", { name: "Load branches" }).click();
  await expect(dialog.getByLabel("Branch", { exact: true })).toHaveValue("main");
  await screenshots(page, "import-form");

  // Each progress read is held back a little, so the running import is seen whatever the machine's speed.
  await page.route(/\/api\/trpc\/[^?]*git\.operation/, async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 700));
    await route.continue();
  });
  await dialog.getByRole("button", { name: "Import repository" }).click();
  const progress = dialog.getByRole("progressbar", { name: "Import progress" });
  await expect(progress).toBeVisible();
  await expect(dialog.getByTestId("git-cancel")).toBeVisible();
  await screenshots(page, "import-progress");
  await page.waitForURL(/\/projects\/[0-9a-f-]{36}$/);
  await page.unroute(/\/api\/trpc\/[^?]*git\.operation/);
  const projectId = new URL(page.url()).pathname.split("/").pop()!;

  // The imported files are there; edit one in Monaco and save.
  await page.getByRole("treeitem", { name: /app\.js/ }).click();
  await expect.poll(() => editorValue(page)).toContain("greet");
  await appendAndSave(page, "export const shout = () => 'HELLO';");

  // The projects page says the change is not pushed yet.
  const list = await page.context().newPage();
  await list.goto("/projects");
  const card = list.getByTestId("project-list").getByRole("listitem").filter({ hasText: repoName });
  await expect(card.getByTestId("unpushed-changes")).toHaveText("1 change not pushed");
  await screenshots(list, "projects-list");
  await list.close();

  // The Git panel shows the remote, the synced commit and the change; push it with a message of our own.
  const importedTip = (await git.tip(repoName))!;
  await page.getByRole("button", { name: "Git", exact: true }).click();
  const panel = page.getByRole("dialog", { name: "Git", exact: true });
  await expect(panel.getByTestId("git-remote")).toHaveText(url);
  await expect(panel.getByTestId("git-branch")).toHaveText("main");
  await expect(panel.getByTestId("git-synced-commit")).toHaveText(importedTip.slice(0, 7));
  await expect(panel.getByTestId("git-change")).toHaveCount(1);
  await expect(panel.getByTestId("git-change")).toHaveAttribute("data-path", "app.js");
  await expect(panel.getByTestId("git-change")).toHaveAttribute("data-change", "modify");
  await screenshots(page, "panel");
  await panel.getByTestId("git-push-open").click();
  const pushDialog = page.getByRole("dialog", { name: "Push to Git" });
  await expect(pushDialog.getByLabel("Commit message")).toHaveValue("Update 1 file from Vaporform\n\nM app.js");
  await pushDialog.getByLabel("Commit message").fill("Add shout\n\nLouder greetings.");
  await pushDialog.getByTestId("git-push").click();
  await expect(page.getByTestId("toast").filter({ hasText: "Pushed" })).toContainText("to main: 2 files in the commit");
  await expect(page.getByRole("dialog", { name: "Git", exact: true }).getByTestId("git-change")).toHaveCount(0);

  // The commit is on the server, by the user, with their message and the edit.
  const [pushed] = await git.readLog(repoName);
  expect(pushed).toMatchObject({
    authorName: user.fullName,
    authorEmail: user.email,
    subject: "Add shout",
    body: "Louder greetings.",
  });
  expect((await git.readFiles(repoName))["app.js"]).toContain("export const shout = () => 'HELLO';");
  await page.keyboard.press("Escape");

  // Someone else pushes a change to the README; our next push is refused with the way to pull.
  await git.commitAs(repoName, { "README.md": "# Shop\n\nA small shop, now with a README by Someone Else.\n" });
  await appendAndSave(page, "export const whisper = () => 'hello…';");
  await page.getByRole("button", { name: "Git", exact: true }).click();
  await page.getByRole("dialog", { name: "Git", exact: true }).getByTestId("git-push-open").click();
  const secondPush = page.getByRole("dialog", { name: "Push to Git" });
  await expect(secondPush.getByLabel("Commit message")).toHaveValue("Update 1 file from Vaporform\n\nM app.js");
  await secondPush.getByTestId("git-push").click();
  const refused = page.getByTestId("git-push-conflict");
  await expect(refused).toContainText("The remote has new commits — pull first");
  await screenshots(page, "push-refused");
  await refused.getByRole("link", { name: "Pull" }).click();

  // The pull: a three-way merge (we changed app.js, they changed README.md), nothing written until applied.
  await page.waitForURL(`**/projects/${projectId}/pull`);
  await expect(page).toHaveTitle(`Pull into ${repoName} · Vaporform`);
  await expect(page.getByTestId("pull-page")).toBeVisible();
  await expect(page.getByTestId("pull-summary")).toContainText("1 change applies cleanly, 0 conflicts");
  const readme = page.getByTestId("pull-file").filter({ hasText: "README.md" });
  await expect(readme).toHaveAttribute("data-status", "clean");
  expect((await readFileApi(page, projectId, "README.md")).content).not.toContain("Someone Else");
  await page.waitForFunction(() => Boolean(window.__vaporformDiffEditor));
  await screenshots(page, "pull-review");
  await page.getByTestId("pull-apply").click();

  // Back in the IDE with a toast; the README has their change, app.js keeps ours.
  await page.waitForURL(`**/projects/${projectId}`);
  await expect(page.getByTestId("toast").filter({ hasText: "Pulled" })).toBeVisible();
  await page.getByRole("treeitem", { name: /README\.md/ }).click();
  await expect.poll(() => editorValue(page)).toContain("now with a README by Someone Else");
  expect((await readFileApi(page, projectId, "app.js")).content).toContain("whisper");

  // And now the push goes through, on top of their commit.
  const theirs = (await git.tip(repoName))!;
  await page.getByRole("button", { name: "Git", exact: true }).click();
  await page.getByRole("dialog", { name: "Git", exact: true }).getByTestId("git-push-open").click();
  await page.getByRole("dialog", { name: "Push to Git" }).getByTestId("git-push").click();
  await expect(page.getByRole("dialog", { name: "Git", exact: true }).getByTestId("git-change")).toHaveCount(0);
  await expect.poll(() => git.tip(repoName)).not.toBe(theirs);
  const log = await git.readLog(repoName);
  expect(log[1]?.commit).toBe(theirs);
  expect((await git.readFiles(repoName))["app.js"]).toContain("whisper");

  // Nothing left to pull; the settings show the sync and lead back to the panel.
  await page.goto(`/projects/${projectId}/pull`);
  await expect(page.getByTestId("pull-up-to-date")).toContainText(log[0]!.commit.slice(0, 7));
  await screenshots(page, "pull-up-to-date");
  await page.goto(`/projects/${projectId}/settings`);
  const sync = page.getByTestId("repository-sync");
  await expect(sync.getByTestId("repository-synced-commit")).toHaveText(log[0]!.commit.slice(0, 7));
  await expect(sync).toContainText("nothing changed since");
  await sync.scrollIntoViewIfNeeded();
  await screenshots(page, "settings");
  await sync.getByRole("link", { name: "Push or pull in the Git panel" }).click();
  await expect(page.getByRole("dialog", { name: "Git", exact: true }).getByTestId("git-synced-commit")).toHaveText(
    log[0]!.commit.slice(0, 7),
  );
});

test("bad input is refused inline (a scheme, a missing repository, a missing branch); a project without a repository says where to set one", async ({
  page,
}) => {
  const user = await createUser(page);
  await signInAs(page.context(), user);
  await page.goto("/projects");
  await page.getByRole("button", { name: "New project" }).click();
  const dialog = page.getByRole("dialog", { name: "New project" });
  await dialog.getByRole("radio", { name: /From Git/ }).check();
  await dialog.getByLabel("Repository URL").fill("ftp://example.com/repo.git");
  await dialog.getByLabel("Name", { exact: true }).fill("Nope");
  await dialog.getByRole("button", { name: "Import repository" }).click();
  await expect(dialog.getByText("Only http:// and https:// repository URLs can be used.")).toBeVisible();

  // A repository the server does not have: the import fails inline and creates nothing.
  await dialog.getByLabel("Repository URL").fill(`${git.url}/missing-${randomBytes(3).toString("hex")}.git`);
  await dialog.getByLabel("Username").fill(git.username);
  await dialog.getByLabel("Access token").fill(git.password);
  await dialog.getByRole("button", { name: "Import repository" }).click();
  await expect(dialog.getByTestId("git-import-error")).toContainText("No project was created.");
  await screenshots(page, "import-error");

  // A branch typed by hand that the repository does not have.
  const url = await git.createRepo(`branches-${randomBytes(3).toString("hex")}`, { "a.txt": "a\n" });
  await dialog.getByLabel("Repository URL").fill(url);
  await dialog.getByRole("button", { name: "Load branches" }).click();
  await expect(dialog.getByTestId("git-branch-select")).toHaveValue("main");
  await dialog.getByTestId("git-branch-select").selectOption({ label: "Another branch…" });
  await dialog.getByLabel("Other branch").fill("does-not-exist");
  await dialog.getByRole("button", { name: "Import repository" }).click();
  await expect(dialog.getByTestId("git-import-error")).toHaveText(
    "The branch “does-not-exist” does not exist on the remote. No project was created.",
  );
  await page.keyboard.press("Escape");

  // A blank project has no remote: the panel says where to set one.
  await dialog.getByLabel("Name", { exact: true }).waitFor({ state: "detached" });
  await page.getByRole("button", { name: "New project" }).click();
  await dialog.getByRole("radio", { name: /Blank or template/ }).check();
  await dialog.getByLabel("Name", { exact: true }).fill("Blank one");
  await dialog.getByRole("button", { name: "Create project" }).click();
  await page.waitForURL(/\/projects\/[0-9a-f-]{36}$/);
  await page.getByRole("button", { name: "Git", exact: true }).click();
  const panel = page.getByRole("dialog", { name: "Git", exact: true });
  await expect(panel.getByTestId("git-no-remote")).toContainText("no Git repository yet");
  await screenshots(page, "no-remote");
  await panel.getByRole("link", { name: "Open settings" }).click();
  await page.waitForURL(/\/settings#repository$/);
});

test("a pull where both sides changed the same lines: the conflict view, resolved with the remote's side", async ({
  page,
}) => {
  const repoName = `notes-${randomBytes(3).toString("hex")}`;
  const url = await git.createRepo(repoName, { "notes.md": "# Notes\n\ntitle: first\n" });
  const user = await createUser(page);
  await signInAs(page.context(), user);
  await page.goto("/projects");
  await page.getByRole("button", { name: "New project" }).click();
  const dialog = page.getByRole("dialog", { name: "New project" });
  await dialog.getByRole("radio", { name: /From Git/ }).check();
  await dialog.getByLabel("Repository URL").fill(url);
  await dialog.getByLabel("Username").fill(git.username);
  await dialog.getByLabel("Access token").fill(git.password);
  await dialog.getByRole("button", { name: "Import repository" }).click();
  await page.waitForURL(/\/projects\/[0-9a-f-]{36}$/);
  const projectId = new URL(page.url()).pathname.split("/").pop()!;

  // Both change the title line: ours in Monaco, theirs on the server.
  await page.getByRole("treeitem", { name: /notes\.md/ }).click();
  await expect.poll(() => editorValue(page)).toContain("title: first");
  await page.evaluate(() => window.__vaporformEditor?.setValue("# Notes\n\ntitle: mine\n"));
  await page.getByTestId("code-editor").click();
  await page.keyboard.press(`${modKey}+s`);
  await expect(page.getByTestId("save-status")).toHaveText("Saved");
  await git.commitAs(repoName, { "notes.md": "# Notes\n\ntitle: theirs\n" });

  await page.getByRole("button", { name: "Git", exact: true }).click();
  await page.getByRole("dialog", { name: "Git", exact: true }).getByRole("link", { name: "Pull…" }).click();
  await page.waitForURL(`**/projects/${projectId}/pull`);
  await expect(page.getByTestId("pull-summary")).toContainText("0 changes apply cleanly, 1 conflict");
  const row = page.getByTestId("pull-file").filter({ hasText: "notes.md" });
  await expect(row).toHaveAttribute("data-status", "conflict");
  await expect(page.getByTestId("pull-apply")).toBeDisabled();
  await expect(page.getByTestId("pull-file-description")).toContainText(
    "The remote and you both changed the same lines",
  );
  await expect
    .poll(() => page.evaluate(() => window.__vaporformDiffEditor?.getValue() ?? ""))
    .toContain("<<<<<<< yours");
  await screenshots(page, "pull-conflict");

  await page.getByTestId("pull-use-theirs").click();
  await expect(row).toHaveAttribute("data-status", "resolved");
  await page.getByTestId("pull-apply").click();
  await page.waitForURL(`**/projects/${projectId}`);
  await expect(page.getByTestId("toast").filter({ hasText: "Pulled" })).toBeVisible();
  expect((await readFileApi(page, projectId, "notes.md")).content).toBe("# Notes\n\ntitle: theirs\n");
});

test("a slow import shows its download as it goes and can be cancelled: no project is created", async ({ page }) => {
  const repoName = `big-${randomBytes(3).toString("hex")}`;
  // Random bytes do not compress: the pack is about as large as the file.
  const url = await git.createRepo(repoName, { "data.txt": randomBytes(192 * 1024).toString("base64") });
  const user = await createUser(page);
  await signInAs(page.context(), user);
  await page.goto("/projects");
  await page.getByRole("button", { name: "New project" }).click();
  const dialog = page.getByRole("dialog", { name: "New project" });
  await dialog.getByRole("radio", { name: /From Git/ }).check();
  await dialog.getByLabel("Repository URL").fill(url);
  await dialog.getByLabel("Username").fill(git.username);
  await dialog.getByLabel("Access token").fill(git.password);

  git.setThrottle(100, 2 * 1024);
  try {
    await dialog.getByRole("button", { name: "Import repository" }).click();
    const progress = dialog.getByRole("progressbar", { name: "Import progress" });
    await expect(progress).toHaveAttribute("aria-valuetext", /\(\d[\d,]*(\/[\d,]+)?\)$/);
    await expect(dialog.getByTestId("git-phase")).not.toHaveText("Starting…");
    // Esc does not close the dialog while the import runs: Cancel is the way out.
    await page.keyboard.press("Escape");
    await expect(dialog).toBeVisible();
    await dialog.getByTestId("git-cancel").click();
    await expect(dialog.getByTestId("git-import-error")).toHaveText(
      "The import was cancelled. No project was created.",
    );
  } finally {
    git.setThrottle(0);
  }
  await page.keyboard.press("Escape");
  await page.reload();
  await expect(page.getByText("No projects yet")).toBeVisible();
});
