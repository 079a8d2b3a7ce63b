import type { Page, Route } from "@playwright/test";
import { createUser, editorValue, expect, signInAs, test } from "./fixtures";

/** The fake Messages API playwright.config.ts starts beside the app (test/support/fake-anthropic.ts). */
const FAKE_ANTHROPIC = `http://127.0.0.1:${Number(process.env.E2E_FAKE_ANTHROPIC_PORT ?? Number(process.env.E2E_PORT ?? 3100) + 1)}`;

/** The query that selects what concerns the requests holding `prompt` (as it appears in their JSON body). */
function matching(prompt: string): string {
  return `?match=${encodeURIComponent(JSON.stringify(prompt).slice(1, -1))}`;
}

/**
 * The answers the fake Claude gives, in order (one per model call of the turn), to the turns whose request holds
 * `prompt`: specs running in parallel script the one fake server without taking each other's answers.
 */
async function scriptClaude(page: Page, prompt: string, responses: unknown[]) {
  const match = matching(prompt);
  expect((await page.request.post(`${FAKE_ANTHROPIC}/__reset${match}`)).ok()).toBe(true);
  expect((await page.request.post(`${FAKE_ANTHROPIC}/__script${match}`, { data: responses })).ok()).toBe(true);
}

/** How it looks, light and dark (e2e/screenshots is for people to look at, not compared). */
async function lightAndDark(page: Page, name: string) {
  // Colours transition (buttons, cards): without this the dark shot would catch them half-way.
  const still = await page.addStyleTag({ content: "*, *::before, *::after { transition: none !important; }" });
  await page.screenshot({ path: `e2e/screenshots/${name}-light.png` });
  await page.evaluate(() => document.documentElement.classList.add("dark"));
  await page.screenshot({ path: `e2e/screenshots/${name}-dark.png` });
  await page.evaluate(() => document.documentElement.classList.remove("dark"));
  await still.evaluate((element) => (element as HTMLStyleElement).remove());
}

async function openDialog(page: Page) {
  await signInAs(page.context(), await createUser(page));
  await page.goto("/projects");
  await page.getByRole("button", { name: "New project" }).click();
  return page.getByRole("dialog", { name: "New project" });
}

const RECIPES = "A static recipe site: a list of recipes and a page for each.";

test("describe an app on the new-project dialog: Claude writes its first files and the IDE shows them", async ({
  page,
}) => {
  await scriptClaude(page, RECIPES, [
    {
      blocks: [
        { type: "text", text: "I'll start a small static site." },
        { type: "tool_use", name: "write_file", input: { path: "index.html", content: "<h1>Recipes</h1>\n" } },
        { type: "tool_use", name: "write_file", input: { path: "src/app.js", content: "console.log('recipes');\n" } },
        { type: "tool_use", name: "write_file", input: { path: "styles.css", content: "h1 { color: teal; }\n" } },
      ],
      usage: { input_tokens: 1200, output_tokens: 400 },
    },
    {
      blocks: [{ type: "text", text: "Created index.html, src/app.js and styles.css." }],
      usage: { input_tokens: 1600, output_tokens: 30 },
    },
  ]);
  const dialog = await openDialog(page);
  await dialog.getByLabel("Name").fill("Recipe box");
  await dialog.getByRole("radio", { name: /Describe it/ }).check();
  const prompt = dialog.getByLabel("Describe the app");
  await prompt.fill(RECIPES);
  await dialog.getByLabel("Model").selectOption({ label: "Claude Haiku 5.5" });
  await lightAndDark(page, "new-project-prompt");

  // A blank description is refused on the spot, and nothing is created.
  await prompt.fill("  ");
  await dialog.getByRole("button", { name: "Create with Claude" }).click();
  await expect(dialog.getByText("Describe the app you want Claude to start.")).toBeVisible();
  await expect(page).toHaveURL(/\/projects$/);

  await prompt.fill(RECIPES);
  await dialog.getByRole("button", { name: "Create with Claude" }).click();

  await expect(page).toHaveURL(/\/projects\/[0-9a-f-]{36}\?assistant=[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { name: "Recipe box" })).toBeVisible();
  const tree = page.getByRole("tree", { name: "Project files" });
  for (const name of [/index\.html/, /styles\.css/, /README\.md/]) {
    await expect(tree.getByRole("treeitem", { name })).toBeVisible();
  }
  await expect(tree.getByRole("treeitem", { name: /^src/ })).toBeVisible();
  // The assistant panel is open on the conversation where Claude wrote them.
  const panel = page.getByTestId("assistant-panel");
  await expect(panel).toBeVisible();
  const turn = panel.getByTestId("assistant-turn");
  await expect(turn).toHaveCount(1);
  await expect(turn).toHaveAttribute("data-status", "succeeded");
  await expect(turn.getByTestId("turn-response")).toContainText("Created index.html, src/app.js and styles.css.");
  await expect(turn.getByTestId("turn-file")).toHaveCount(3);

  await lightAndDark(page, "project-from-prompt-ide");

  await tree.getByRole("treeitem", { name: /index\.html/ }).click();
  await expect.poll(() => editorValue(page)).toBe("<h1>Recipes</h1>\n");

  // Claude got the project-creation instructions, the description, and the model chosen.
  const requests = (await (await page.request.get(`${FAKE_ANTHROPIC}/__requests${matching(RECIPES)}`)).json()) as {
    body: { model: string; system: { text: string }[]; messages: { role: string; content: unknown }[] };
  }[];
  expect(requests).toHaveLength(2);
  expect(requests[0]!.body.model).toBe("claude-haiku-5-5");
  expect(requests[0]!.body.system[0]!.text).toContain(`created the project "Recipe box"`);
  // The description is the turn's first message (marked as a prompt-cache breakpoint, being the last one sent).
  expect(requests[0]!.body.messages).toEqual([
    { role: "user", content: [{ type: "text", text: RECIPES, cache_control: { type: "ephemeral" } }] },
  ]);

  // It is in the list like any other project.
  await page.goto("/projects");
  await expect(page.getByRole("link", { name: /^Recipe box/ })).toBeVisible();
});

/** Answers assistant.available as a server without ANTHROPIC_API_KEY does (`configured: false`), inside tRPC's batch. */
async function withoutKey(route: Route) {
  const response = await route.fetch();
  const procedures = new URL(route.request().url()).pathname.replace("/api/trpc/", "").split(",");
  const body = (await response.json()) as { result: { data: { json: Record<string, unknown> } } }[];
  procedures.forEach((procedure, index) => {
    if (procedure === "assistant.available" && body[index]) {
      body[index].result.data.json = { ...body[index].result.data.json, configured: false };
    }
  });
  await route.fulfill({ response, json: body });
}

test("with no key configured, describing an app is explained and cannot be chosen; blank still works", async ({
  page,
}) => {
  await page.route("**/api/trpc/*assistant.available*", withoutKey);
  const dialog = await openDialog(page);
  await expect(dialog.getByTestId("describe-unavailable")).toContainText("ANTHROPIC_API_KEY");
  await expect(dialog.getByRole("radio", { name: /Describe it/ })).toBeDisabled();
  await expect(dialog.getByLabel("Describe the app")).toHaveCount(0);

  await dialog.getByLabel("Name").fill("Plain start");
  await dialog.getByRole("button", { name: "Create project" }).click();
  await expect(page).toHaveURL(/\/projects\/[0-9a-f-]{36}$/);
  await expect(
    page.getByRole("tree", { name: "Project files" }).getByRole("treeitem", { name: /README\.md/ }),
  ).toBeVisible();
  await expect(page.getByTestId("assistant-panel")).toHaveCount(0);
});
