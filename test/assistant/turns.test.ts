import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { env } from "~/env";
import { failInterruptedTurns } from "~/server/services/assistant";
import { pool } from "../db";
import { expectFailure, newProject, signedInUser, type Caller } from "../files/support";
import type { FakeAnthropic } from "../support/fake-anthropic";
import { API_KEY, fakeClaude, interaction, liveFile, MODEL, settled, text, tool, toolResults } from "./support";

let fake: FakeAnthropic;
let api: Caller;
let userId: string;

beforeAll(async () => {
  fake = await fakeClaude();
  ({ api, userId } = await signedInUser());
  await pool.query(
    `INSERT INTO model_prices (model, effective_from, input_per_mtok, output_per_mtok, cache_write_per_mtok,
                               cache_write_1h_per_mtok, cache_read_per_mtok)
     VALUES ($1, '2026-01-01T00:00:00Z', 2, 10, 2.5, 4, 0.2)`,
    [MODEL],
  );
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => fake.reset());

async function projectWith(files: Record<string, string>): Promise<string> {
  const projectId = await newProject(api);
  for (const [path, content] of Object.entries(files)) {
    await api.file.create({ projectId, path, kind: "file", content, encoding: "utf-8" });
  }
  return projectId;
}

async function turn(projectId: string, message: string, conversationId?: string) {
  const sent = await api.assistant.send({ projectId, message, conversationId });
  await settled(sent.interactionId);
  return sent;
}

describe("a whole turn", () => {
  it("runs the tool loop, writes the files as Claude with the interaction id, and records tokens and cost", async () => {
    const projectId = await projectWith({ "notes.txt": "alpha\nbeta\n" });
    fake.script(
      {
        blocks: [text("Let me look."), tool("read_file", { path: "notes.txt" })],
        usage: {
          input_tokens: 100,
          output_tokens: 20,
          cache_read_input_tokens: 50,
          cache_write_5m: 30,
          cache_write_1h: 10,
        },
        requestId: "req_one",
      },
      {
        blocks: [
          tool("edit_file", { path: "notes.txt", old_text: "beta", new_text: "gamma" }),
          tool("write_file", { path: "src/new.ts", content: "export const x = 1;\n" }),
        ],
        usage: { input_tokens: 200, output_tokens: 40 },
        requestId: "req_two",
      },
      {
        blocks: [text("Done: edited notes.txt and created src/new.ts.")],
        usage: { input_tokens: 300, output_tokens: 5, cache_write_5m: 7, split: false },
        requestId: "req_three",
      },
    );
    const { interactionId, conversationId } = await turn(projectId, "Rename beta and add a module");

    expect((await liveFile(projectId, "notes.txt"))?.content).toBe("alpha\ngamma\n");
    expect((await liveFile(projectId, "notes.txt"))?.is_generated).toBe(false);
    const created = await liveFile(projectId, "src/new.ts");
    expect(created?.content).toBe("export const x = 1;\n");
    expect(created?.is_generated).toBe(true);

    const { rows: versions } = await pool.query(
      `SELECT file_path, source_type, interaction_id FROM project_file_versions
        WHERE project_id = $1 AND interaction_id = $2 ORDER BY file_path`,
      [projectId, interactionId],
    );
    expect(versions).toEqual([
      { file_path: "notes.txt", source_type: "claude", interaction_id: interactionId },
      { file_path: "src/new.ts", source_type: "claude", interaction_id: interactionId },
    ]);

    const row = await interaction(interactionId);
    expect(row).toMatchObject({
      status: "succeeded",
      success: true,
      interaction_type: "file_modification",
      conversation_id: conversationId,
      model: MODEL,
      stop_reason: "end_turn",
      user_message: "Rename beta and add a module",
      input_tokens: 600,
      output_tokens: 65,
      cache_read_tokens: 50,
      cache_write_tokens: 37,
      cache_write_1h_tokens: 10,
      total_tokens: 762,
      // 525 + 800 + 667.5 micro-USD, rounded once
      cost_text: "0.001993",
      review_state: "applied",
      error_message: null,
    });
    expect(row.claude_response).toContain("Let me look.");
    expect(row.claude_response).toContain("Done: edited notes.txt");
    expect(row.price_id).not.toBeNull();
    expect(row.affected_files).toEqual(["notes.txt", "src/new.ts"]);
    expect(row.execution_time_ms).toEqual(expect.any(Number));
    const context = row.context_data as {
      calls: { requestId: string; usage: { inputTokens: number } }[];
      tools: { name: string; summary: string; ok: boolean }[];
      capHit: boolean;
    };
    expect(context.calls.map((call) => call.requestId)).toEqual(["req_one", "req_two", "req_three"]);
    expect(context.calls[0]!.usage).toEqual({
      inputTokens: 100,
      outputTokens: 20,
      cacheReadTokens: 50,
      cacheWrite5mTokens: 30,
      cacheWrite1hTokens: 10,
    });
    expect(context.tools).toEqual([
      { name: "read_file", summary: "read notes.txt", ok: true },
      { name: "edit_file", summary: "edited notes.txt", ok: true },
      { name: "write_file", summary: "wrote src/new.ts", ok: true },
    ]);
    expect(context.capHit).toBe(false);

    // The API got the explicit key, the tools, and the tool results of each step.
    expect(fake.requests).toHaveLength(3);
    // SDK 1.x sends the key as a bearer token.
    expect(fake.requests[0]!.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(fake.requests[0]!.headers["anthropic-version"]).toEqual(expect.any(String));
    const first = fake.requests[0]!.body as { model: string; stream: boolean; tools: { name: string }[] };
    expect(first.model).toBe(MODEL);
    expect(first.stream).toBe(true);
    expect(first.tools.map((t) => t.name)).toEqual([
      "list_files",
      "read_file",
      "write_file",
      "edit_file",
      "delete_file",
      "search_files",
    ]);
    expect(toolResults(fake, 1)[0]).toMatchObject({ content: "alpha\nbeta\n" });

    // The panel's view of it.
    const { turns } = await api.assistant.messages({ projectId, conversationId });
    expect(turns).toHaveLength(1);
    expect(turns[0]).toMatchObject({
      interactionId,
      status: "succeeded",
      costUsd: "0.001993",
      tokens: { input: 600, output: 65, cacheRead: 50, cacheWrite5m: 37, cacheWrite1h: 10, total: 762 },
      changedFiles: [
        { path: "notes.txt", action: "modified" },
        { path: "src/new.ts", action: "created" },
      ],
      reviewState: "applied",
      capHit: false,
    });
    const { conversations } = await api.assistant.conversations({ projectId });
    expect(conversations).toMatchObject([
      { id: conversationId, turns: 1, costUsd: "0.001993", unpricedTurns: 0, running: false },
    ]);
    expect(await api.assistant.turnDiff({ projectId, interactionId, path: "notes.txt" })).toEqual({
      path: "notes.txt",
      before: "alpha\nbeta\n",
      after: "alpha\ngamma\n",
      isBinary: false,
    });
  });

  it("sends the earlier turns of the conversation as history, and records an unpriced model as NULL cost", async () => {
    const projectId = await projectWith({});
    await pool.query(`INSERT INTO model_prices (model, effective_from, input_per_mtok, output_per_mtok,
        cache_write_per_mtok, cache_write_1h_per_mtok, cache_read_per_mtok)
        VALUES ('claude-opus-5-5', '2099-01-01', 1, 1, 1, 1, 1)`);
    fake.script({ blocks: [text("First answer.")] }, { blocks: [text("Second answer.")] });
    const { conversationId } = await turn(projectId, "Hello");
    const second = await api.assistant.send({ projectId, conversationId, message: "Again", model: "claude-opus-5-5" });
    await settled(second.interactionId);
    const body = fake.requests[1]!.body as { messages: { role: string; content: unknown }[] };
    expect(body.messages).toEqual([
      // The last message and the user message before it carry the prompt-caching breakpoints (with the system
      // prompt's, three of the four the API allows).
      { role: "user", content: [{ type: "text", text: "Hello", cache_control: { type: "ephemeral" } }] },
      { role: "assistant", content: "First answer." },
      { role: "user", content: [{ type: "text", text: "Again", cache_control: { type: "ephemeral" } }] },
    ]);
    const row = await interaction(second.interactionId);
    expect(row).toMatchObject({ status: "succeeded", interaction_type: "chat", cost_usd: null, price_id: null });
    const { conversations } = await api.assistant.conversations({ projectId });
    expect(conversations[0]).toMatchObject({ turns: 2, unpricedTurns: 1 });
  });
});

describe("staged state within a turn", () => {
  it("lets later tool calls read, list and search what earlier ones wrote, before anything is saved", async () => {
    const projectId = await projectWith({ "old.txt": "to be removed\n" });
    fake.script(
      {
        blocks: [
          tool("write_file", { path: "a.txt", content: "one zebraword\n" }),
          tool("read_file", { path: "a.txt" }),
          tool("list_files", {}),
          tool("search_files", { query: "zebraword", mode: "exact" }),
          tool("delete_file", { path: "old.txt" }),
          tool("read_file", { path: "old.txt" }),
          tool("list_files", {}),
        ],
      },
      { blocks: [text("ok")] },
    );
    const { interactionId } = await turn(projectId, "Stage things");
    const results = toolResults(fake, 1);
    expect(results[1]).toMatchObject({ content: "one zebraword\n" });
    expect(results[2]!.content).toContain("a.txt (14 bytes)");
    expect(results[2]!.content).toContain("old.txt");
    expect(results[3]!.content).toContain("a.txt");
    expect(results[3]!.content).toContain("1: one zebraword");
    expect(results[5]).toMatchObject({ is_error: true, content: "There is no file at old.txt." });
    expect(results[6]!.content).not.toContain("old.txt");
    expect(await liveFile(projectId, "old.txt")).toBeUndefined();
    expect((await interaction(interactionId)).affected_files).toEqual(["a.txt", "old.txt"]);
  });
});

describe("bad tool input from the model", () => {
  it("refuses hostile paths, oversized content and edit_file without exactly one match; nothing is written", async () => {
    const projectId = await projectWith({ "dup.txt": "x x\n" });
    const limit = env.FILE_MAX_BYTES;
    env.FILE_MAX_BYTES = 2048;
    try {
      fake.script(
        {
          blocks: [
            tool("write_file", { path: "../escape.txt", content: "no" }),
            tool("write_file", { path: "/etc/passwd", content: "no" }),
            tool("write_file", { path: "evil\u202Etxt.js", content: "no" }),
            tool("write_file", { path: "ctrl\u0007.txt", content: "no" }),
            tool("write_file", { path: "big.txt", content: "x".repeat(2049) }),
            tool("edit_file", { path: "dup.txt", old_text: "y", new_text: "z" }),
            tool("edit_file", { path: "dup.txt", old_text: "x", new_text: "z" }),
            tool("write_file", { path: "extra.txt", content: "no", surprise: true }),
          ],
        },
        { blocks: [text("I could not do it.")] },
      );
      const before = await pool.query(`SELECT count(*)::int AS n FROM project_file_versions WHERE project_id = $1`, [
        projectId,
      ]);
      const { interactionId } = await turn(projectId, "Try bad things");
      const results = toolResults(fake, 1);
      expect(results).toHaveLength(8);
      for (const result of results) expect(result.is_error).toBe(true);
      expect(results[0]!.content).toMatch(/\. or \.\./);
      expect(results[1]!.content).toMatch(/relative to the project root/);
      expect(results[2]!.content).toMatch(/bidirectional/);
      expect(results[3]!.content).toMatch(/control characters/);
      expect(results[4]!.content).toMatch(/larger than/);
      expect(results[5]!.content).toMatch(/does not occur/);
      expect(results[6]!.content).toMatch(/occurs 2 times/);
      const row = await interaction(interactionId);
      expect(row).toMatchObject({ status: "succeeded", review_state: null, affected_files: [] });
      expect((row.context_data as { tools: { summary: string }[] }).tools[2]!.summary).toBe("wrote evil?txt.js");
      expect((await liveFile(projectId, "dup.txt"))?.content).toBe("x x\n");
      const after = await pool.query(`SELECT count(*)::int AS n FROM project_file_versions WHERE project_id = $1`, [
        projectId,
      ]);
      expect(after.rows[0].n).toBe(before.rows[0].n);
    } finally {
      env.FILE_MAX_BYTES = limit;
    }
  });

  it("fails the turn on tool input that is not JSON, keeping the tokens of the calls that completed", async () => {
    const projectId = await projectWith({});
    fake.script(
      {
        blocks: [tool("write_file", { path: "first.txt", content: "staged" })],
        usage: { input_tokens: 11, output_tokens: 3 },
      },
      { blocks: [{ type: "tool_use", name: "write_file", rawJson: '{"path": "x.txt", "content": ' }] },
    );
    const { interactionId } = await turn(projectId, "Write broken");
    const row = await interaction(interactionId);
    // The failing call's usage (10 in, 5 out: it ran to message_stop) is billed and recorded too.
    expect(row).toMatchObject({ status: "failed", success: false, input_tokens: 21, output_tokens: 8 });
    expect((row.context_data as { calls: { partial?: boolean; stopReason: string | null }[] }).calls).toMatchObject([
      { stopReason: "tool_use" },
      { partial: true, stopReason: null },
    ]);
    expect(row.error_message).toMatch(/malformed input for the tool write_file/);
    expect(await liveFile(projectId, "first.txt")).toBeUndefined();
    expect(await liveFile(projectId, "x.txt")).toBeUndefined();
  });
});

describe("API failures", () => {
  it.each([
    [429, /rate limit.*429/],
    [529, /overloaded \(529\)/],
    [500, /internal error \(500\)/],
  ])("records a %i as a failed turn with nothing written", async (status, message) => {
    const projectId = await projectWith({});
    fake.script(
      { blocks: [tool("write_file", { path: "w.txt", content: "w" })], usage: { input_tokens: 7, output_tokens: 2 } },
      { kind: "status", status },
    );
    const { interactionId } = await turn(projectId, "Do it");
    const row = await interaction(interactionId);
    expect(row).toMatchObject({ status: "failed", success: false, input_tokens: 7, output_tokens: 2, total_tokens: 9 });
    expect(row.error_message).toMatch(message);
    expect(row.cost_text).toBe("0.000034");
    // The refused call is in the context with its request id (no tokens: the API billed none).
    expect((row.context_data as { calls: unknown[] }).calls[1]).toMatchObject({
      partial: true,
      requestId: expect.stringMatching(/^req_/),
      usage: { inputTokens: 0, outputTokens: 0 },
    });
    expect(await liveFile(projectId, "w.txt")).toBeUndefined();
    expect(fake.requests).toHaveLength(2);
  });

  it("records an error event in the middle of a stream (no status) as a failed turn", async () => {
    const projectId = await projectWith({});
    fake.script(
      { blocks: [tool("write_file", { path: "w.txt", content: "w" })], usage: { input_tokens: 5, output_tokens: 1 } },
      { kind: "stream-error", blocks: [text("Working on")], errorType: "overloaded_error", message: "Overloaded" },
    );
    const { interactionId } = await turn(projectId, "Do it");
    const row = await interaction(interactionId);
    expect(row).toMatchObject({ status: "failed", input_tokens: 15, output_tokens: 2, total_tokens: 17 });
    expect(row.error_message).toMatch(/stopped in the middle of its answer \(overloaded_error: Overloaded\)/);
    expect(await liveFile(projectId, "w.txt")).toBeUndefined();
  });
});

describe("the cap on model calls", () => {
  it("ends the turn at the cap, says so, and marks capHit", async () => {
    const projectId = await projectWith({});
    const cap = env.ASSISTANT_MAX_MODEL_CALLS;
    env.ASSISTANT_MAX_MODEL_CALLS = 2;
    try {
      fake.script(
        { blocks: [tool("write_file", { path: "one.txt", content: "1" })] },
        { blocks: [tool("write_file", { path: "two.txt", content: "2" })] },
        { blocks: [text("never asked")] },
      );
      const { interactionId } = await turn(projectId, "Loop");
      expect(fake.requests).toHaveLength(2);
      const row = await interaction(interactionId);
      expect(row).toMatchObject({ status: "succeeded", stop_reason: "tool_use" });
      expect((row.context_data as { capHit: boolean }).capHit).toBe(true);
      expect(row.claude_response).toMatch(/limit of 2 model calls/);
      expect((await liveFile(projectId, "two.txt"))?.content).toBe("2");
    } finally {
      env.ASSISTANT_MAX_MODEL_CALLS = cap;
    }
  });
});

describe("refusals before any API call", () => {
  it("refuses a prompt over the limit, an unknown model, and a missing key; no interaction is recorded", async () => {
    const projectId = await projectWith({});
    await expectFailure(api.assistant.send({ projectId, message: "x".repeat(20_001) }), "BAD_REQUEST", /20,000/);
    await expectFailure(api.assistant.send({ projectId, message: "   " }), "BAD_REQUEST");
    await expectFailure(api.assistant.send({ projectId, message: "hi", model: "gpt-9" }), "BAD_REQUEST", /not offered/);
    const key = env.ANTHROPIC_API_KEY;
    env.ANTHROPIC_API_KEY = undefined;
    try {
      await expectFailure(api.assistant.send({ projectId, message: "hi" }), "PRECONDITION_FAILED", /ANTHROPIC_API_KEY/);
      expect(await api.assistant.models({ projectId })).toMatchObject({ configured: false, defaultModel: MODEL });
    } finally {
      env.ANTHROPIC_API_KEY = key;
    }
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM claude_interactions WHERE project_id = $1`, [
      projectId,
    ]);
    expect(rows[0].n).toBe(0);
    expect(fake.requests).toHaveLength(0);
  });
});

describe("cancel", () => {
  it("cancels a running turn (nothing it staged is written); another user cannot", async () => {
    const projectId = await projectWith({});
    fake.script(
      {
        blocks: [tool("write_file", { path: "staged.txt", content: "s" })],
        usage: { input_tokens: 9, output_tokens: 4 },
      },
      { blocks: [text("still thinking about it")], hold: true },
    );
    const { interactionId, conversationId } = await api.assistant.send({ projectId, message: "Long one" });
    await fake.held();

    // A second turn in the same conversation waits for this one.
    await expectFailure(api.assistant.send({ projectId, conversationId, message: "more" }), "CONFLICT");
    const stranger = await signedInUser();
    await expectFailure(stranger.api.assistant.cancel({ projectId, interactionId }), "NOT_FOUND");
    const strangersProject = await newProject(stranger.api);
    await expectFailure(stranger.api.assistant.cancel({ projectId: strangersProject, interactionId }), "NOT_FOUND");
    const running = await api.assistant.messages({ projectId, conversationId });
    expect(running.turns[0]).toMatchObject({ status: "running", costUsd: null });
    expect(running.turns[0]!.response).toContain("still");

    expect(await api.assistant.cancel({ projectId, interactionId })).toEqual({ cancelled: true });
    const row = await interaction(interactionId);
    // The cancelled call's message_start usage (10 in, 1 out) and request id are recorded with the first call's.
    expect(row).toMatchObject({ status: "cancelled", success: false, input_tokens: 19, output_tokens: 5 });
    const calls = (row.context_data as { calls: { requestId: string | null; partial?: boolean }[] }).calls;
    expect(calls).toHaveLength(2);
    expect(calls[1]).toMatchObject({ partial: true, requestId: expect.stringMatching(/^req_/) });
    expect(await liveFile(projectId, "staged.txt")).toBeUndefined();
    expect(await api.assistant.cancel({ projectId, interactionId })).toEqual({ cancelled: false });
  });
});

describe("restart recovery", () => {
  it("marks turns left running by a crash (their heartbeat stopped over a minute ago) as failed", async () => {
    const projectId = await projectWith({});
    const { rows } = await pool.query<{ id: string }>(
      `INSERT INTO claude_interactions (project_id, user_id, interaction_type, user_message, claude_response, model,
                                        status, success, created_at, heartbeat_at)
       VALUES ($1, $2, 'chat', 'cut off', '', $3, 'running', NULL, now() - interval '5 minutes',
               now() - interval '61 seconds') RETURNING id`,
      [projectId, userId, MODEL],
    );
    expect(await failInterruptedTurns(pool)).toBe(1);
    const row = await interaction(rows[0]!.id);
    expect(row).toMatchObject({ status: "failed", success: false });
    expect(row.error_message).toMatch(/server stopped or restarted during this turn; no file was changed/);
    expect(row.completed_at).not.toBeNull();
  });

  it("leaves alone a turn another live instance is running (its heartbeat is recent)", async () => {
    const projectId = await projectWith({});
    fake.script({ blocks: [text("long answer")], hold: true });
    const { interactionId } = await api.assistant.send({ projectId, message: "long" });
    await fake.held();
    const running = await interaction(interactionId);
    expect(running.heartbeat_at).not.toBeNull();
    // What another instance starting on the same database does:
    expect(await failInterruptedTurns(pool)).toBe(0);
    expect((await interaction(interactionId)).status).toBe("running");
    // A second turn in the conversation is still refused while it runs.
    await expectFailure(
      api.assistant.send({ projectId, conversationId: running.conversation_id as string, message: "again" }),
      "CONFLICT",
    );
    fake.release();
    await settled(interactionId);
    expect((await interaction(interactionId)).status).toBe("succeeded");
  });
});
