import type { Page, Route } from "@playwright/test";
import {
  countReactCommits,
  createFileApi,
  editorValue,
  expect,
  openFreshProject,
  commitsWhileTyping,
  readFileApi,
  test,
} from "./fixtures";

/** The fake Messages API playwright.config.ts starts beside the app (test/support/fake-anthropic.ts). */
const FAKE_ANTHROPIC = `http://127.0.0.1:${Number(process.env.E2E_FAKE_ANTHROPIC_PORT ?? Number(process.env.E2E_PORT ?? 3100) + 1)}`;
const modKey = process.platform === "darwin" ? "Meta" : "Control";
const ORIGINAL = 'export const greeting = "hello";\n';
const EDITED = 'export const greeting = "hello, world";\n';

/**
 * The answers the fake Claude gives, in order (one per model call of the turn), to the turns whose request holds
 * `prompt`: specs running in parallel script the one fake server without taking each other's answers.
 */
async function scriptClaude(page: Page, prompt: string, responses: unknown[]) {
  const match = `?match=${encodeURIComponent(JSON.stringify(prompt).slice(1, -1))}`;
  expect((await page.request.post(`${FAKE_ANTHROPIC}/__reset${match}`)).ok()).toBe(true);
  expect((await page.request.post(`${FAKE_ANTHROPIC}/__script${match}`, { data: responses })).ok()).toBe(true);
}

test("ask Claude to change a file: streamed answer, tool calls, the diff, the new content, its cost; undo brings it back", async ({
  page,
}) => {
  const { projectId } = await openFreshProject(page, "Assistant journey");
  await createFileApi(page, projectId, "greeting.ts", ORIGINAL);
  const usage = { input_tokens: 1000, output_tokens: 500 };
  await scriptClaude(page, 'Make the greeting say "hello, world"', [
    {
      blocks: [
        { type: "text", text: "Let me look at the file first." },
        { type: "tool_use", name: "read_file", input: { path: "greeting.ts" } },
      ],
      usage,
    },
    {
      blocks: [
        {
          type: "tool_use",
          name: "edit_file",
          input: { path: "greeting.ts", old_text: '"hello"', new_text: '"hello, world"' },
        },
      ],
      usage,
    },
    { blocks: [{ type: "text", text: "I changed the **greeting** to `hello, world`." }], usage },
  ]);

  await page.goto(`/projects/${projectId}`);
  await page.getByRole("treeitem", { name: /greeting\.ts/ }).click();
  await expect.poll(() => editorValue(page)).toBe(ORIGINAL);

  // Ctrl/⌘+I works with the focus inside Monaco, which keeps its keys from the page.
  await page.getByTestId("code-editor").click();
  await page.keyboard.press(`${modKey}+i`);
  const panel = page.getByTestId("assistant-panel");
  await expect(panel).toBeVisible();
  await expect(page.getByTestId("assistant-toggle")).toHaveAttribute("aria-pressed", "true");

  const prompt = panel.getByLabel("Message to Claude");
  await expect(prompt).toBeFocused();
  await prompt.fill('Make the greeting say "hello, world"');
  await prompt.press("Enter");

  const turn = panel.getByTestId("assistant-turn").last();
  await expect(turn).toContainText('Make the greeting say "hello, world"');
  await expect(turn.getByTestId("tool-call").first()).toHaveText(/read greeting\.ts/);
  await expect(turn.getByTestId("tool-call").nth(1)).toHaveText(/greeting\.ts/);
  await expect(turn.getByTestId("turn-response")).toContainText("Let me look at the file first.");
  // Markdown rendered: bold and code, not asterisks and backticks.
  await expect(turn.getByTestId("turn-response").locator("strong")).toHaveText("greeting");
  await expect(turn.getByTestId("turn-response").locator("code")).toHaveText("hello, world");
  await expect(turn).toHaveAttribute("data-status", "succeeded");
  await expect(panel.getByTestId("assistant-status")).toHaveText("Claude answered, edited 1 file.");

  // The changed file, with its diff.
  await expect(turn.getByTestId("turn-summary")).toHaveText("Claude edited 1 file");
  const file = turn.getByTestId("turn-file");
  await expect(file).toHaveAttribute("data-path", "greeting.ts");
  await file
    .getByRole("button", { name: /greeting\.ts/ })
    .first()
    .click();
  await expect(turn.getByTestId("diff-view")).toBeVisible();
  await expect(turn.getByTestId("diff-modified-label")).toHaveText("Claude's version");

  // How it looks, light and dark (e2e/screenshots is for people to look at, not compared).
  await page.screenshot({ path: "e2e/screenshots/assistant-light.png", animations: "disabled" });
  await page.evaluate(() => document.documentElement.classList.add("dark"));
  await page.screenshot({ path: "e2e/screenshots/assistant-dark.png", animations: "disabled" });
  await page.evaluate(() => document.documentElement.classList.remove("dark"));

  // The open (unedited) tab follows the new content, and so does the server.
  await expect.poll(() => editorValue(page)).toBe(EDITED);
  expect((await readFileApi(page, projectId, "greeting.ts")).content).toBe(EDITED);

  // Tokens and cost of the turn (3 calls of 1,000 input and 500 output tokens at Sonnet 5.5's $2 / $10) and of
  // the conversation.
  await expect(turn.getByTestId("turn-meta")).toContainText("4.5k tokens");
  await expect(turn.getByTestId("turn-cost")).toHaveText("$0.02");
  await expect(panel.getByTestId("conversation-cost")).toHaveText("$0.02");

  // The history of the file shows Claude's version with its turn and cost.
  await page.getByRole("button", { name: "History" }).click();
  await expect(page.getByTestId("version-turn").first()).toContainText('Make the greeting say "hello, world"');
  await expect(page.getByTestId("version-turn-cost").first()).toHaveText("$0.02");
  await expect(page.getByTestId("history-claude-cost")).toContainText("$0.02");
  await page.screenshot({ path: "e2e/screenshots/assistant-history.png", animations: "disabled" });

  // Undo the turn: the file is back.
  await turn.getByRole("button", { name: "Undo turn" }).click();
  await page.getByRole("alertdialog").getByRole("button", { name: "Undo turn" }).click();
  await expect(turn.getByTestId("turn-undone")).toBeVisible();
  await expect.poll(() => editorValue(page)).toBe(ORIGINAL);
  expect((await readFileApi(page, projectId, "greeting.ts")).content).toBe(ORIGINAL);

  // The conversation is listed, newest first, with its cost.
  await panel.getByRole("button", { name: "All conversations" }).click();
  const list = panel.getByTestId("conversation-list");
  await expect(list.getByRole("button").first()).toContainText('Make the greeting say "hello, world"');
  await expect(list.getByTestId("conversation-meta").first()).toContainText("1 turn · $0.02");
  await page.evaluate(() => document.documentElement.classList.add("dark"));
  await page.screenshot({ path: "e2e/screenshots/assistant-list-dark.png", animations: "disabled" });
});

test("a reload re-attaches to the turn still running, which can be cancelled", async ({ page }) => {
  const { projectId } = await openFreshProject(page, "Assistant reload");
  await scriptClaude(page, "Take your time", [
    { blocks: [{ type: "text", text: "Thinking about it slowly and at length." }], hold: true },
  ]);
  await page.goto(`/projects/${projectId}`);
  await page.getByTestId("assistant-toggle").click();
  const panel = page.getByTestId("assistant-panel");
  await panel.getByLabel("Message to Claude").fill("Take your time");
  await panel.getByRole("button", { name: "Send" }).click();
  const turn = panel.getByTestId("assistant-turn").last();
  await expect(turn).toHaveAttribute("data-status", "running");
  await expect(turn.getByTestId("turn-response")).toContainText("Thinking");

  await page.reload();
  const again = page.getByTestId("assistant-panel").getByTestId("assistant-turn").last();
  await expect(again).toHaveAttribute("data-status", "running");
  await expect(again.getByTestId("turn-response")).toContainText("Thinking");
  await page.getByTestId("assistant-panel").getByRole("button", { name: "Cancel" }).click();
  await expect(again).toHaveAttribute("data-status", "cancelled");
  await expect(again).toContainText("Cancelled. Nothing it was doing was written to your files.");
});

test("typing in the editor with the assistant panel open re-renders neither the panel nor the IDE per keystroke", async ({
  page,
}) => {
  await countReactCommits(page);
  const { projectId } = await openFreshProject(page, "Assistant while typing");
  await createFileApi(page, projectId, "main.ts", "export const answer = 42;\n");
  await page.goto(`/projects/${projectId}`);
  await page.getByTestId("assistant-toggle").click();
  await expect(page.getByTestId("assistant-panel").getByLabel("Message to Claude")).toBeVisible();
  await page.getByRole("treeitem", { name: /main\.ts/ }).click();
  await expect.poll(() => editorValue(page)).toContain("answer");
  await page.getByTestId("code-editor").click();
  await page.keyboard.type("x");
  await expect(page.getByTestId("save-status")).toHaveText("Unsaved changes");

  const keystrokes = 40;
  expect(await commitsWhileTyping(page, "y".repeat(keystrokes))).toBeLessThan(keystrokes / 10);
});

/** Answers assistant.models as a server without ANTHROPIC_API_KEY does (`configured: false`), inside tRPC's batch. */
async function withoutKey(route: Route) {
  const response = await route.fetch();
  const procedures = new URL(route.request().url()).pathname.replace("/api/trpc/", "").split(",");
  const body = (await response.json()) as { result: { data: { json: Record<string, unknown> } } }[];
  procedures.forEach((procedure, index) => {
    if (procedure === "assistant.models" && body[index]) {
      body[index].result.data.json = { ...body[index].result.data.json, configured: false };
    }
  });
  await route.fulfill({ response, json: body });
}

test("with no key configured the panel explains how to set one, and the IDE works as before", async ({ page }) => {
  const { projectId } = await openFreshProject(page, "Assistant without a key");
  await page.route("**/api/trpc/*assistant.models*", withoutKey);
  await page.goto(`/projects/${projectId}`);
  await page.getByTestId("assistant-toggle").click();
  const explanation = page.getByTestId("assistant-no-key");
  await expect(explanation).toContainText("ANTHROPIC_API_KEY=");
  await expect(explanation).toContainText("ANTHROPIC_MODELS=");
  await expect(page.getByTestId("assistant-panel").getByLabel("Message to Claude")).toHaveCount(0);

  // Nothing else depends on it: the tree and the editor still work, and the panel closes with Ctrl/⌘+I.
  await page.getByRole("treeitem", { name: /README\.md/ }).click();
  await expect.poll(() => editorValue(page)).not.toBe("");
  await page.keyboard.press(`${modKey}+i`);
  await expect(page.getByTestId("assistant-panel")).toHaveCount(0);
});
