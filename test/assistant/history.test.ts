import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { HISTORY_LIMITS } from "~/server/services/assistant";
import { pool } from "../db";
import { newProject, signedInUser, type Caller } from "../files/support";
import type { FakeAnthropic } from "../support/fake-anthropic";
import { fakeClaude, MODEL, settled, text } from "./support";

let fake: FakeAnthropic;
let api: Caller;
let userId: string;

beforeAll(async () => {
  fake = await fakeClaude();
  ({ api, userId } = await signedInUser());
});
afterAll(async () => {
  await fake.close();
});
beforeEach(() => fake.reset());

/** A conversation with one real turn, to which `rows` are added as earlier turns, one second apart. */
async function conversationWith(
  rows: {
    message: string;
    response: string;
    status?: string;
    error?: string;
    reviewState?: string;
    undone?: boolean;
  }[],
) {
  const projectId = await newProject(api);
  fake.script({ blocks: [text("first answer")] });
  const { conversationId, interactionId } = await api.assistant.send({ projectId, message: "turn 0" });
  await settled(interactionId);
  for (const [i, row] of rows.entries()) {
    await pool.query(
      `INSERT INTO claude_interactions (project_id, user_id, conversation_id, interaction_type, user_message,
                                        claude_response, model, status, success, error_message, review_state,
                                        undone_at, created_at)
       VALUES ($1, $2, $3, 'chat', $4, $5, $6, $7::text, $7::text = 'succeeded', $8, $9,
               CASE WHEN $10::boolean THEN now() END, now() + ($11 || ' seconds')::interval)`,
      [
        projectId,
        userId,
        conversationId,
        row.message,
        row.response,
        MODEL,
        row.status ?? "succeeded",
        row.error ?? null,
        row.reviewState ?? null,
        row.undone ?? false,
        String(i + 1),
      ],
    );
  }
  return { projectId, conversationId };
}

async function sentHistory(projectId: string, conversationId: string) {
  fake.reset();
  const sent = await api.assistant.send({ projectId, conversationId, message: "latest" });
  await settled(sent.interactionId);
  // Content as text (the last user message is sent as a text block carrying the cache breakpoint).
  const { messages } = fake.requests[0]!.body as {
    messages: { role: string; content: string | { type: string; text: string }[] }[];
  };
  return messages.map((m) => ({
    role: m.role,
    content: typeof m.content === "string" ? m.content : m.content.map((block) => block.text).join(""),
  }));
}

describe("the history sent with a turn", () => {
  it("is the newest turns (at most 50), oldest first, ending with the new message", async () => {
    const rows = Array.from({ length: 55 }, (_, i) => ({ message: `turn ${i + 1}`, response: `answer ${i + 1}` }));
    const { projectId, conversationId } = await conversationWith(rows);
    const messages = await sentHistory(projectId, conversationId);
    const users = messages.filter((m) => m.role === "user").map((m) => m.content);
    expect(users).toHaveLength(HISTORY_LIMITS.turns + 1);
    expect(users.at(-2)).toBe("turn 55");
    expect(users[0]).toBe("turn 6");
    expect(users.at(-1)).toBe("latest");
    expect(messages.map((m) => m.role)).toEqual(
      Array.from({ length: messages.length }, (_, i) => (i % 2 === 0 ? "user" : "assistant")),
    );
  });

  it("cuts each long answer with a marker and stops at the character budget, keeping the newest turns", async () => {
    const long = "y".repeat(HISTORY_LIMITS.responseChars + 5000);
    // 12 answers of ~20,000 characters each: only the newest ones fit the 200,000-character budget.
    const rows = Array.from({ length: 12 }, (_, i) => ({ message: `long ${i + 1}`, response: long }));
    const { projectId, conversationId } = await conversationWith(rows);
    const messages = await sentHistory(projectId, conversationId);
    const answers = messages.filter((m) => m.role === "assistant");
    for (const answer of answers) {
      expect(answer.content.length).toBeLessThan(HISTORY_LIMITS.responseChars + 100);
      expect(answer.content).toMatch(/the rest of this answer is left out\]$/);
    }
    const total = messages.slice(0, -1).reduce((sum, m) => sum + m.content.length, 0);
    expect(total).toBeLessThanOrEqual(HISTORY_LIMITS.totalChars);
    const users = messages.filter((m) => m.role === "user").map((m) => m.content);
    expect(users.at(-2)).toBe("long 12");
    expect(users).not.toContain("turn 0");
  });

  it("tells the model what became of undone, rejected, cancelled and failed turns; leaves out empty failures", async () => {
    const { projectId, conversationId } = await conversationWith([
      { message: "undone one", response: "I wrote a.txt.", undone: true },
      { message: "rejected one", response: "I wrote b.txt.", reviewState: "rejected" },
      { message: "cancelled one", response: "Starting", status: "cancelled" },
      { message: "failed empty", response: "", status: "failed", error: "The Anthropic API is overloaded (529)." },
      { message: "failed with text", response: "Looking", status: "failed", error: "Overloaded." },
    ]);
    const messages = await sentHistory(projectId, conversationId);
    const answerTo = (message: string) => messages[messages.findIndex((m) => m.content === message) + 1]!.content;
    expect(answerTo("undone one")).toBe(
      "I wrote a.txt.\n\n(The user undid this turn: its file changes were reverted.)",
    );
    expect(answerTo("rejected one")).toMatch(/rejected this turn's file changes: they were not applied/);
    expect(answerTo("cancelled one")).toMatch(/^Starting\n\n\(The user cancelled this turn/);
    expect(answerTo("failed with text")).toMatch(/This turn failed: Overloaded\. None of its file changes were saved/);
    expect(messages.map((m) => m.content)).not.toContain("failed empty");
  });
});
