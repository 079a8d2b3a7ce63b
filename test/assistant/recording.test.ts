import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { runningTurn, stopRunningTurns } from "~/server/services/assistant";
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

/** A turn that stages `path` in its first call, then streams (held) in its second. */
async function heldTurn(projectId: string, path = "staged.txt") {
  fake.script(
    { blocks: [tool("write_file", { path, content: "s" })], usage: { input_tokens: 9, output_tokens: 4 } },
    { blocks: [text("still working")], hold: true },
  );
  const sent = await api.assistant.send({ projectId, message: "Long one" });
  await fake.held();
  // Until the app has read the held call's first delta (and its message_start before it).
  while (!runningTurn(sent.interactionId)?.text.includes("still")) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return sent;
}

/**
 * Makes the database refuse to record a turn as ended: the first `times` such updates of the project's rows
 * fail (a sequence counts them: it is not rolled back with the failing transaction); times = 0: every one.
 */
async function failFinalWrites(projectId: string, times: number, status = "succeeded") {
  const name = `fail_${projectId.replaceAll("-", "")}`;
  await pool.query(`CREATE SEQUENCE ${name}`);
  await pool.query(`
    CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.project_id = '${projectId}' AND NEW.status = '${status}' AND OLD.status = 'running'
         AND (${times} = 0 OR nextval('${name}') <= ${times}) THEN
        RAISE EXCEPTION 'the database is failing (test)';
      END IF;
      RETURN NEW;
    END $$`);
  await pool.query(
    `CREATE TRIGGER ${name} BEFORE UPDATE ON claude_interactions FOR EACH ROW EXECUTE FUNCTION ${name}()`,
  );
}

describe("a turn's row while it runs", () => {
  it("holds the tokens and calls of the calls made so far, and the rollup does not count it yet", async () => {
    const projectId = await newProject(api);
    const { interactionId } = await heldTurn(projectId);
    const row = await interaction(interactionId);
    expect(row).toMatchObject({ status: "running", input_tokens: 9, output_tokens: 4, total_tokens: 13 });
    expect((row.context_data as { calls: unknown[] }).calls).toHaveLength(1);
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM claude_usage_daily WHERE project_id = $1`, [
      projectId,
    ]);
    expect(rows[0].n).toBe(0);
    fake.release();
    await settled(interactionId);
    const { rows: after } = await pool.query(
      `SELECT sum(input_tokens)::int AS input FROM claude_usage_daily WHERE project_id = $1`,
      [projectId],
    );
    expect(after[0].input).toBe(19);
  });

  it("is recorded as ended only while it is still running: a turn marked failed meanwhile writes nothing", async () => {
    const projectId = await newProject(api);
    const { interactionId } = await heldTurn(projectId);
    await pool.query(
      `UPDATE claude_interactions SET status = 'failed', success = false, error_message = 'recovered' WHERE id = $1`,
      [interactionId],
    );
    fake.release();
    await settled(interactionId);
    expect(await interaction(interactionId)).toMatchObject({ status: "failed", error_message: "recovered" });
    expect(await liveFile(projectId, "staged.txt")).toBeUndefined();
  });
});

describe("recording a turn when the database fails", () => {
  it("tries again, and records the turn with its changes once the database answers", async () => {
    const projectId = await newProject(api);
    await failFinalWrites(projectId, 2);
    fake.script({ blocks: [tool("write_file", { path: "kept.txt", content: "k" })] }, { blocks: [text("Done.")] });
    const { interactionId } = await api.assistant.send({ projectId, message: "write" });
    await settled(interactionId);
    expect(await interaction(interactionId)).toMatchObject({ status: "succeeded", review_state: "applied" });
    expect((await liveFile(projectId, "kept.txt"))?.content).toBe("k");
  });

  it("records the turn as failed, with nothing written, when the database refuses every try", async () => {
    const projectId = await newProject(api);
    await failFinalWrites(projectId, 0);
    fake.script({ blocks: [tool("write_file", { path: "lost.txt", content: "l" })] }, { blocks: [text("Done.")] });
    const { interactionId } = await api.assistant.send({ projectId, message: "write" });
    await settled(interactionId);
    const row = await interaction(interactionId);
    expect(row).toMatchObject({ status: "failed", success: false, input_tokens: 20 });
    expect(row.error_message).toMatch(/could not be saved: the database did not answer in time/);
    expect(await liveFile(projectId, "lost.txt")).toBeUndefined();
  });
});

describe("a change that cannot be written when the turn ends", () => {
  it("is kept for review with the reason (a file/folder clash), and can be accepted once the cause is fixed", async () => {
    const projectId = await newProject(api);
    const { interactionId } = await heldTurn(projectId, "docs/guide.md");
    // Meanwhile the user creates a file where Claude's folder would go.
    await api.file.create({ projectId, path: "docs", kind: "file", content: "x", encoding: "utf-8" });
    fake.release();
    await settled(interactionId);
    const row = await interaction(interactionId);
    expect(row).toMatchObject({ status: "succeeded", review_state: "pending", affected_files: ["docs/guide.md"] });
    expect(row.error_message).toMatch(/^Not applied: .*docs.*kept for review: fix that, then accept them/);
    expect(await liveFile(projectId, "docs/guide.md")).toBeUndefined();

    await api.file.delete({ projectId, path: "docs" });
    expect(await api.assistant.review({ projectId, interactionId, decision: "accept" })).toEqual({
      reviewState: "accepted",
      conflicts: [],
    });
    expect((await liveFile(projectId, "docs/guide.md"))?.content).toBe("s");
  });
});

describe("stopping the server", () => {
  it("cancels the running turns and waits until they are recorded", async () => {
    const projectId = await newProject(api);
    const { interactionId } = await heldTurn(projectId);
    expect(await stopRunningTurns(10_000)).toBe(1);
    const row = await interaction(interactionId);
    expect(row).toMatchObject({ status: "cancelled", input_tokens: 19 });
    expect(row.error_message).toMatch(/server was stopped during this turn; no file was changed/);
    expect(await liveFile(projectId, "staged.txt")).toBeUndefined();
  });
});

describe("a file/folder clash when staging", () => {
  it("is a tool error Claude sees at once, and nothing is staged", async () => {
    const projectId = await newProject(api);
    await api.file.create({ projectId, path: "lib", kind: "file", content: "x", encoding: "utf-8" });
    await api.file.create({ projectId, path: "src/a.ts", kind: "file", content: "a", encoding: "utf-8" });
    fake.script(
      {
        blocks: [
          tool("write_file", { path: "lib/util.ts", content: "u" }),
          tool("write_file", { path: "src", content: "s" }),
          tool("write_file", { path: "new/inner.ts", content: "n" }),
          tool("write_file", { path: "new", content: "clash with the staged folder" }),
        ],
      },
      { blocks: [text("ok")] },
    );
    const { interactionId } = await api.assistant.send({ projectId, message: "clash" });
    await settled(interactionId);
    const results = toolResults(fake, 1);
    expect(results[0]).toMatchObject({
      is_error: true,
      content: expect.stringMatching(/^lib is a file, so it cannot contain/),
    });
    expect(results[1]).toMatchObject({ is_error: true, content: expect.stringMatching(/^src is a folder/) });
    expect(results[2]!.is_error).toBeUndefined();
    expect(results[3]).toMatchObject({ is_error: true, content: expect.stringMatching(/^new is a folder/) });
    expect(await interaction(interactionId)).toMatchObject({ status: "succeeded", affected_files: ["new/inner.ts"] });
  });
});
