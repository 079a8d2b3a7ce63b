import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "~/server/db/client";
import { makeActor, withWrite } from "~/server/db/write";
import { TURN_TOOL_OUTPUT_MAX_BYTES } from "~/server/services/assistant/turn";
import { applyFileChanges } from "~/server/services/files";
import { pool } from "../db";
import { newProject, signedInUser, type Caller } from "../files/support";
import type { FakeAnthropic } from "../support/fake-anthropic";
import { fakeClaude, interaction, liveFile, settled, text, tool, toolResults } from "./support";

let fake: FakeAnthropic;
let api: Caller;

beforeAll(async () => {
  fake = await fakeClaude();
  ({ api } = await signedInUser());
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => fake.reset());

async function turn(projectId: string, message: string) {
  const sent = await api.assistant.send({ projectId, message });
  await settled(sent.interactionId);
  return sent;
}

describe("output cut off at max_tokens", () => {
  it("answers the cut-off tool call with an error result and lets Claude go on, instead of failing the turn", async () => {
    const projectId = await newProject(api);
    fake.script(
      {
        blocks: [
          text("Writing the file."),
          { type: "tool_use", name: "write_file", id: "toolu_cut", rawJson: '{"path": "big.txt", "content": "aaaa' },
        ],
        stopReason: "max_tokens",
        usage: { input_tokens: 50, output_tokens: 8192 },
      },
      { blocks: [tool("write_file", { path: "big.txt", content: "small" })] },
      { blocks: [text("Done in smaller pieces.")] },
    );
    const { interactionId } = await turn(projectId, "Write a big file");
    expect(fake.requests).toHaveLength(3);
    // The cut-off call went back to the API as a tool call with empty input, answered as an error.
    const second = fake.requests[1]!.body as { messages: { role: string; content: unknown }[] };
    expect(second.messages.at(-2)).toEqual({
      role: "assistant",
      content: [
        { type: "text", text: "Writing the file." },
        { type: "tool_use", id: "toolu_cut", name: "write_file", input: {} },
      ],
    });
    expect(toolResults(fake, 1)).toEqual([
      {
        type: "tool_result",
        tool_use_id: "toolu_cut",
        is_error: true,
        content: expect.stringMatching(/cut off at the output limit.*Write smaller pieces.*edit_file/s),
        cache_control: { type: "ephemeral" },
      },
    ]);
    const row = await interaction(interactionId);
    expect(row).toMatchObject({ status: "succeeded", stop_reason: "end_turn", output_tokens: 8192 + 5 + 5 });
    expect((row.context_data as { tools: unknown[] }).tools).toEqual([
      { name: "write_file", summary: "write_file: cut off at the output limit", ok: false },
      { name: "write_file", summary: "wrote big.txt", ok: true },
    ]);
    expect((await liveFile(projectId, "big.txt"))?.content).toBe("small");
  });

  it("still fails the turn on incomplete tool input when the output limit did not cut it off", async () => {
    const projectId = await newProject(api);
    fake.script({
      blocks: [{ type: "tool_use", name: "write_file", rawJson: '{"path": "x.txt"' }],
      stopReason: "tool_use",
    });
    const { interactionId } = await turn(projectId, "Broken");
    const row = await interaction(interactionId);
    expect(row.status).toBe("failed");
    expect(row.error_message).toMatch(/malformed input for the tool write_file/);
  });
});

describe("bounded tool output", () => {
  const KB = 1024;
  const bytes = (value: string) => Buffer.byteLength(value, "utf8");

  it("cuts read_file at 64 KB and says how to read on; start_line and end_line read a part", async () => {
    const projectId = await newProject(api);
    // 3,000 lines of 50 bytes: 150,000 bytes.
    const content = Array.from({ length: 3000 }, (_, i) => `line ${String(i + 1).padStart(5, "0")} `.padEnd(49, "x"))
      .map((line) => `${line}`)
      .join("\n")
      .concat("\n");
    await api.file.create({ projectId, path: "big.txt", kind: "file", content, encoding: "utf-8" });
    fake.script(
      {
        blocks: [
          tool("read_file", { path: "big.txt" }),
          tool("read_file", { path: "big.txt", start_line: 2000, end_line: 2002 }),
          tool("read_file", { path: "big.txt", start_line: 5, end_line: 2 }),
          tool("read_file", { path: "big.txt", start_line: 4000 }),
        ],
      },
      { blocks: [text("ok")] },
    );
    const { interactionId } = await turn(projectId, "Read it");
    const [whole, part, backwards, past] = toolResults(fake, 1);
    expect(bytes(whole!.content)).toBeLessThanOrEqual(64 * KB);
    expect(whole!.content.startsWith("line 00001 ")).toBe(true);
    const shown = /lines 1-(\d+) of 3000 are shown; read on with start_line (\d+)\]$/.exec(whole!.content);
    expect(shown).not.toBeNull();
    expect(Number(shown![2])).toBe(Number(shown![1]) + 1);
    expect(whole!.content).toContain(`line ${shown![1]!.padStart(5, "0")} `);
    expect(part!.content).toBe(
      [1999, 2000, 2001].map((i) => content.split("\n")[i]).join("\n") + "\n[lines 2000-2002 of 3000]",
    );
    expect(backwards).toMatchObject({ is_error: true, content: expect.stringMatching(/end_line must not be before/) });
    expect(past!.content).toBe("big.txt has 3000 lines; there is no line 4000.");
    expect((await interaction(interactionId)).status).toBe("succeeded");
  });

  it("caps list_files at 64 KB and says how many files were left out", async () => {
    const projectId = await newProject(api);
    const me = await pool.query<{ user_id: string }>(`SELECT user_id FROM projects WHERE id = $1`, [projectId]);
    const changes = Array.from({ length: 400 }, (_, i) => ({
      path: `dir/${"n".repeat(200)}-${i}.txt`,
      content: "x\n",
      base: null,
    }));
    const actor = makeActor({ userId: me.rows[0]!.user_id, source: "user" });
    await withWrite(db, actor, (tx) => applyFileChanges(tx, projectId, actor, changes), { timeout: 120_000 });
    fake.script({ blocks: [tool("list_files", {})] }, { blocks: [text("ok")] });
    await turn(projectId, "List");
    const [list] = toolResults(fake, 1);
    expect(bytes(list!.content)).toBeLessThanOrEqual(64 * KB);
    // The 400 files and the project's README.md.
    const listed = list!.content.split("\n").filter((line) => / \(\d+ bytes\)$/.test(line)).length;
    expect(listed).toBeGreaterThan(250);
    expect(list!.content).toMatch(new RegExp(`\\[… ${401 - listed} more files not listed \\(401 in all\\)`));
  });

  it("refuses tool results past the per-turn total, telling Claude to finish with what it has", async () => {
    const projectId = await newProject(api);
    const content = "y".repeat(63 * KB) + "\n";
    await api.file.create({ projectId, path: "chunk.txt", kind: "file", content, encoding: "utf-8" });
    const reads = Math.ceil(TURN_TOOL_OUTPUT_MAX_BYTES / bytes(content));
    fake.script(
      { blocks: Array.from({ length: reads + 1 }, () => tool("read_file", { path: "chunk.txt" })) },
      { blocks: [text("ok")] },
    );
    const { interactionId } = await turn(projectId, "Read a lot");
    const results = toolResults(fake, 1);
    expect(results).toHaveLength(reads + 1);
    const allowed = results.filter((result) => !result.is_error);
    expect(allowed.reduce((sum, result) => sum + bytes(result.content), 0)).toBeLessThanOrEqual(
      TURN_TOOL_OUTPUT_MAX_BYTES,
    );
    expect(allowed).toHaveLength(reads - 1);
    for (const refused of results.slice(reads - 1)) {
      expect(refused).toMatchObject({ is_error: true, content: expect.stringMatching(/Finish with what you have/) });
    }
    expect((await interaction(interactionId)).status).toBe("succeeded");
  });
});

describe("prompt caching", () => {
  it("marks the last message and the user message before it with cache_control on every call", async () => {
    const projectId = await newProject(api);
    fake.script({ blocks: [tool("list_files", {})] }, { blocks: [tool("list_files", {})] }, { blocks: [text("ok")] });
    await turn(projectId, "Look twice");
    const marks = fake.requests.map((request) => {
      const body = request.body as {
        system: { cache_control?: unknown }[];
        messages: { content: string | { cache_control?: unknown }[] }[];
      };
      const breakpoints = body.messages.flatMap((message, at) =>
        typeof message.content === "string"
          ? []
          : message.content.flatMap((block, b) => (block.cache_control ? [`${at}.${b}`] : [])),
      );
      return { system: body.system.at(-1)!.cache_control, breakpoints };
    });
    const ephemeral = { type: "ephemeral" };
    expect(marks).toEqual([
      { system: ephemeral, breakpoints: ["0.0"] },
      { system: ephemeral, breakpoints: ["0.0", "2.0"] },
      { system: ephemeral, breakpoints: ["2.0", "4.0"] },
    ]);
  });
});
