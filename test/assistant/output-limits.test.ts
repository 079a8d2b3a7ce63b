import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
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
