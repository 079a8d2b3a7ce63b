import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { env } from "~/env";
import { runningTurns } from "~/server/services/assistant";
import type { BudgetStatus } from "~/server/services/usage/budget";
import { pool } from "../db";
import { expectFailure, failure, newProject, signedInUser, type Caller } from "../files/support";
import type { FakeAnthropic } from "../support/fake-anthropic";
import { fakeClaude, interaction, liveFile, settled, text, tool } from "./support";

// The budget's own rules are tested with the usage service; here only its answer matters: before the first call
// (assertTurnAllowed) and before every further call of a turn (getBudgetStatus).
const budget = vi.hoisted(() => ({ status: { level: "ok", message: null } as BudgetStatus, checks: 0 }));
vi.mock("~/server/services/usage/budget", () => ({
  getBudgetStatus: async () => {
    budget.checks++;
    return budget.status;
  },
  assertTurnAllowed: async () => undefined,
}));

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
beforeEach(() => {
  fake.reset();
  budget.status = { level: "ok", message: null };
  budget.checks = 0;
});

async function runningOf(user: string): Promise<number> {
  const { rows } = await pool.query(
    `SELECT count(*)::int AS n FROM claude_interactions WHERE user_id = $1 AND status = 'running'`,
    [user],
  );
  return rows[0].n as number;
}

describe("the cap on running turns", () => {
  it("refuses a user's turn past ASSISTANT_MAX_RUNNING_PER_USER, even when many are sent at once", async () => {
    const projectId = await newProject(api);
    expect(env.ASSISTANT_MAX_RUNNING_PER_USER).toBe(2);
    for (let i = 0; i < 10; i++) fake.script({ blocks: [text("held")], hold: true });
    const sends = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => api.assistant.send({ projectId, message: `parallel ${i}` })),
    );
    const started = sends.filter((send) => send.status === "fulfilled").map((send) => send.value);
    expect(started).toHaveLength(2);
    for (const refused of sends.filter((send) => send.status === "rejected")) {
      await expectFailure(Promise.reject(refused.reason), "TOO_MANY_REQUESTS", /2 turns of Claude running/);
    }
    await fake.held();
    await fake.held();
    expect(await runningOf(userId)).toBe(2);
    expect(runningTurns().filter((turn) => turn.userId === userId)).toHaveLength(2);
    // Only the two turns were recorded (the refused sends created no conversation and no row).
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM claude_conversations WHERE project_id = $1`, [
      projectId,
    ]);
    expect(rows[0].n).toBe(2);
    fake.release();
    await Promise.all(started.map((turn) => settled(turn.interactionId)));
    // Once they ended, the user may start again.
    fake.reset();
    const again = await api.assistant.send({ projectId, message: "after" });
    await settled(again.interactionId);
    expect((await interaction(again.interactionId)).status).toBe("succeeded");
  });

  it("refuses any user's turn past ASSISTANT_MAX_RUNNING turns on the installation", async () => {
    const cap = env.ASSISTANT_MAX_RUNNING;
    env.ASSISTANT_MAX_RUNNING = 1;
    try {
      const projectId = await newProject(api);
      fake.script({ blocks: [text("held")], hold: true });
      const first = await api.assistant.send({ projectId, message: "first" });
      await fake.held();
      const other = await signedInUser();
      const otherProject = await newProject(other.api);
      const error = await failure(other.api.assistant.send({ projectId: otherProject, message: "second" }));
      expect(error.code).toBe("TOO_MANY_REQUESTS");
      expect(error.message).toMatch(/busy on this server/);
      fake.release();
      await settled(first.interactionId);
    } finally {
      env.ASSISTANT_MAX_RUNNING = cap;
    }
  });
});

describe("the budget during a turn", () => {
  it("is checked before every model call after the first; a used-up budget ends the turn like the call cap", async () => {
    const projectId = await newProject(api);
    fake.script(
      { blocks: [tool("write_file", { path: "one.txt", content: "1" })] },
      { blocks: [tool("write_file", { path: "two.txt", content: "2" })] },
      { blocks: [text("never asked")] },
    );
    // The first call is allowed (assertTurnAllowed); the budget is used up when the second would be made.
    budget.status = { level: "exceeded", message: "Your monthly AI budget of $5.00 is used up." };
    const { interactionId } = await api.assistant.send({ projectId, message: "Loop" });
    await settled(interactionId);
    expect(fake.requests).toHaveLength(1);
    expect(budget.checks).toBe(1);
    const row = await interaction(interactionId);
    expect(row).toMatchObject({ status: "succeeded", stop_reason: "tool_use" });
    expect(row.claude_response).toMatch(/Stopped: Your monthly AI budget of \$5\.00 is used up/);
    expect(row.context_data).toMatchObject({ capHit: false, budgetHit: true });
    // What was staged before the stop is kept, like at the call cap.
    expect((await liveFile(projectId, "one.txt"))?.content).toBe("1");
  });
});
