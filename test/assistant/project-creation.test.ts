import { randomBytes } from "node:crypto";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { env } from "~/env";
import { AppError } from "~/server/errors";
import { assertTurnAllowed } from "~/server/services/usage/budget";
import { pool } from "../db";
import { expectFailure } from "../files/support";
import { assistantSuite, interaction, liveFile, MODEL, settled, text, tool } from "./support";

// The budget check is the usage service's (tested in its own suite); here it passes through, and one test makes it
// refuse, to see that a refused project from a prompt leaves nothing behind.
vi.mock("~/server/services/usage/budget", async (importOriginal) => {
  const original = await importOriginal<typeof import("~/server/services/usage/budget")>();
  return { ...original, assertTurnAllowed: vi.fn(original.assertTurnAllowed) };
});

const suite = assistantSuite({ priced: true });
// A block, not an arrow's value: mockClear() answers the mock, and a function beforeEach returns is run as its
// cleanup after the test (it would call assertTurnAllowed with no arguments).
beforeEach(() => {
  vi.mocked(assertTurnAllowed).mockClear();
});

const uniqueName = () => `Prompted ${randomBytes(3).toString("hex")}`;

async function projectsNamed(name: string): Promise<number> {
  const { rows } = await pool.query(`SELECT count(*)::int AS n FROM projects WHERE user_id = $1 AND name = $2`, [
    suite.userId,
    name,
  ]);
  return rows[0].n as number;
}

async function userProjectCount(): Promise<number> {
  const { rows } = await pool.query(`SELECT count(*)::int AS n FROM projects WHERE user_id = $1`, [suite.userId]);
  return rows[0].n as number;
}

function scriptTodoApp() {
  suite.fake.script(
    {
      blocks: [
        text("I'll set up a small todo app."),
        tool("write_file", {
          path: "package.json",
          content: '{ "name": "todo", "scripts": { "start": "node index.js" } }\n',
        }),
        tool("write_file", { path: "index.js", content: "console.log('todo');\n" }),
        tool("write_file", { path: "src/todos.js", content: "export const todos = [];\n" }),
      ],
      usage: { input_tokens: 1000, output_tokens: 300, cache_write_5m: 200 },
      requestId: "req_create_one",
    },
    {
      blocks: [text("Created package.json, index.js and src/todos.js. Run it with npm start.")],
      usage: { input_tokens: 1500, output_tokens: 40, cache_read_input_tokens: 200 },
      requestId: "req_create_two",
    },
  );
}

describe("a project from a prompt", () => {
  it("creates the project, answers at once, and Claude writes its first files as one turn of type project_creation", async () => {
    scriptTodoApp();
    const name = uniqueName();
    const result = await suite.api.assistant.createProject({
      name,
      description: "Keeps my todos",
      prompt: "A tiny Node todo app",
    });
    expect(result).toEqual({
      projectId: expect.any(String),
      interactionId: expect.any(String),
      conversationId: expect.any(String),
    });
    const { projectId, interactionId, conversationId } = result;
    // The budget was checked under the id the project was then created with, before it existed.
    expect(assertTurnAllowed).toHaveBeenCalledWith(expect.objectContaining({ userId: suite.userId, projectId }));
    await settled(interactionId);

    const project = await suite.api.project.get({ projectId });
    expect(project).toMatchObject({ name, description: "Keeps my todos" });

    for (const [path, content] of [
      ["package.json", '{ "name": "todo", "scripts": { "start": "node index.js" } }\n'],
      ["index.js", "console.log('todo');\n"],
      ["src/todos.js", "export const todos = [];\n"],
    ] as const) {
      const file = await liveFile(projectId, path);
      expect(file?.content, path).toBe(content);
      expect(file?.is_generated, path).toBe(true);
    }
    const { rows: versions } = await pool.query(
      `SELECT file_path, source_type, interaction_id FROM project_file_versions
        WHERE project_id = $1 AND source_type = 'claude' ORDER BY file_path`,
      [projectId],
    );
    expect(versions).toEqual([
      { file_path: "index.js", source_type: "claude", interaction_id: interactionId },
      { file_path: "package.json", source_type: "claude", interaction_id: interactionId },
      { file_path: "src/todos.js", source_type: "claude", interaction_id: interactionId },
    ]);
    // The blank project's README.md is the user's, from the creation itself.
    const readme = await liveFile(projectId, "README.md");
    expect(readme?.is_generated).toBe(false);

    const row = await interaction(interactionId);
    expect(row).toMatchObject({
      project_id: projectId,
      user_id: suite.userId,
      conversation_id: conversationId,
      interaction_type: "project_creation",
      status: "succeeded",
      success: true,
      user_message: "A tiny Node todo app",
      model: MODEL,
      stop_reason: "end_turn",
      input_tokens: 2500,
      output_tokens: 340,
      cache_read_tokens: 200,
      cache_write_tokens: 200,
      cache_write_1h_tokens: 0,
      total_tokens: 3240,
      // input 2500 × 2 + output 340 × 10 + write 200 × 2.5 + read 200 × 0.2 = 8940 micro-USD
      cost_text: "0.008940",
      review_state: "applied",
      error_message: null,
    });
    expect(row.price_id).not.toBeNull();
    expect(row.affected_files).toEqual(["index.js", "package.json", "src/todos.js"]);

    // Claude was told what to do: the project-creation system prompt, the user's description as the message.
    const first = suite.fake.requests[0]!.body as { system: { text: string }[]; messages: { content: unknown }[] };
    expect(first.system[0]!.text).toContain(`created the project "${name}"`);
    expect(first.system[0]!.text).toContain("Create the app's first files");
    // The prompt carries the prompt-caching breakpoint of the last message.
    expect(first.messages).toEqual([
      { role: "user", content: [{ type: "text", text: "A tiny Node todo app", cache_control: { type: "ephemeral" } }] },
    ]);

    // The conversation is the project's first, titled after the prompt, and the panel reads it like any other.
    const { conversations } = await suite.api.assistant.conversations({ projectId });
    expect(conversations).toEqual([
      expect.objectContaining({ id: conversationId, title: "A tiny Node todo app", turns: 1, costUsd: "0.008940" }),
    ]);
    const messages = await suite.api.assistant.messages({ projectId, conversationId });
    expect(messages.turns[0]!.changedFiles).toEqual([
      { path: "index.js", action: "created" },
      { path: "package.json", action: "created" },
      { path: "src/todos.js", action: "created" },
    ]);
  });

  it("applies the files at once even when the user reviews Claude's changes (nothing to overwrite yet)", async () => {
    await suite.api.account.updatePreferences({ assistantApply: "review" });
    try {
      scriptTodoApp();
      const { projectId, interactionId } = await suite.api.assistant.createProject({
        name: uniqueName(),
        prompt: "A tiny Node todo app",
      });
      await settled(interactionId);
      expect((await liveFile(projectId, "index.js"))?.content).toBe("console.log('todo');\n");
      expect(await interaction(interactionId)).toMatchObject({ review_state: "applied" });
      const { rows } = await pool.query(`SELECT count(*)::int AS n FROM claude_pending_changes WHERE project_id = $1`, [
        projectId,
      ]);
      expect(rows[0].n).toBe(0);
    } finally {
      await suite.api.account.updatePreferences({ assistantApply: "auto" });
    }
  });

  it("keeps the project when the turn fails, with the failure recorded and no file of Claude's", async () => {
    suite.fake.script({ kind: "status", status: 529, errorType: "overloaded_error", message: "Overloaded" });
    const { projectId, interactionId } = await suite.api.assistant.createProject({
      name: uniqueName(),
      prompt: "Anything",
    });
    await settled(interactionId);
    expect(await interaction(interactionId)).toMatchObject({
      interaction_type: "project_creation",
      status: "failed",
      success: false,
      error_message: expect.stringMatching(/overloaded/i),
    });
    const { rows } = await pool.query(`SELECT file_path FROM project_files WHERE project_id = $1`, [projectId]);
    expect(rows).toEqual([{ file_path: "README.md" }]);
  });
});

describe("refusals of a project from a prompt", () => {
  it("refuses bad input (name, prompt over the limit or blank, unknown model) and creates nothing", async () => {
    const before = await userProjectCount();
    await expectFailure(suite.api.assistant.createProject({ name: "", prompt: "An app" }), "BAD_REQUEST");
    await expectFailure(suite.api.assistant.createProject({ name: "../etc", prompt: "An app" }), "BAD_REQUEST");
    const name = uniqueName();
    await expectFailure(
      suite.api.assistant.createProject({ name, prompt: "x".repeat(20_001) }),
      "BAD_REQUEST",
      /at most 20,000 characters/,
    );
    await expectFailure(suite.api.assistant.createProject({ name, prompt: " \n " }), "BAD_REQUEST", /Describe the app/);
    await expectFailure(
      suite.api.assistant.createProject({ name, prompt: "An app", model: "gpt-9" }),
      "BAD_REQUEST",
      /not offered/,
    );
    expect(await userProjectCount()).toBe(before);
    expect(await projectsNamed(name)).toBe(0);
    expect(suite.fake.requests).toHaveLength(0);
  });

  it("refuses without a key configured, explaining ANTHROPIC_API_KEY, and creates nothing", async () => {
    const before = await userProjectCount();
    const key = env.ANTHROPIC_API_KEY;
    env.ANTHROPIC_API_KEY = undefined;
    try {
      expect(await suite.api.assistant.available()).toMatchObject({ configured: false, defaultModel: MODEL });
      await expectFailure(
        suite.api.assistant.createProject({ name: uniqueName(), prompt: "An app" }),
        "PRECONDITION_FAILED",
        /ANTHROPIC_API_KEY/,
      );
    } finally {
      env.ANTHROPIC_API_KEY = key;
    }
    expect(await suite.api.assistant.available()).toMatchObject({
      configured: true,
      defaultModel: MODEL,
      models: expect.arrayContaining([{ id: MODEL, label: "Claude Sonnet 5.5" }]),
    });
    expect(await userProjectCount()).toBe(before);
    expect(suite.fake.requests).toHaveLength(0);
  });

  it("refuses over budget with the budget's message, and creates nothing", async () => {
    const counts = async () => {
      const { rows } = await pool.query(
        `SELECT (SELECT count(*)::int FROM projects WHERE user_id = $1) AS projects,
                (SELECT count(*)::int FROM claude_conversations WHERE user_id = $1) AS conversations,
                (SELECT count(*)::int FROM claude_interactions WHERE user_id = $1) AS interactions`,
        [suite.userId],
      );
      return rows[0] as Record<string, number>;
    };
    const before = await counts();
    vi.mocked(assertTurnAllowed).mockRejectedValueOnce(
      new AppError("FORBIDDEN", "Your AI budget of $25.00 for this month is used up."),
    );
    await expectFailure(
      suite.api.assistant.createProject({ name: uniqueName(), prompt: "An app" }),
      "FORBIDDEN",
      /budget .* is used up/,
    );
    expect(await counts()).toEqual(before);
    expect(suite.fake.requests).toHaveLength(0);
  });

  it("refuses a name the user already has (CONFLICT) and leaves neither a second project nor a conversation", async () => {
    scriptTodoApp();
    const name = uniqueName();
    const first = await suite.api.assistant.createProject({ name, prompt: "A tiny Node todo app" });
    await settled(first.interactionId);
    const { rows: before } = await pool.query(`SELECT count(*)::int AS n FROM claude_interactions WHERE user_id = $1`, [
      suite.userId,
    ]);
    await expectFailure(
      suite.api.assistant.createProject({ name, prompt: "Again" }),
      "CONFLICT",
      /already have a project/,
    );
    expect(await projectsNamed(name)).toBe(1);
    const { rows: after } = await pool.query(`SELECT count(*)::int AS n FROM claude_interactions WHERE user_id = $1`, [
      suite.userId,
    ]);
    expect(after[0].n).toBe(before[0].n);
  });
});
