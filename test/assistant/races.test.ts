import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { pool } from "../db";
import { expectFailure, newProject, signedInUser, type Caller } from "../files/support";
import type { FakeAnthropic } from "../support/fake-anthropic";
import { fakeClaude, interaction, liveFile, settled, text, tool } from "./support";

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

/** The advisory lock a project's writes take (src/server/db/write.ts, PATH_LOCK_CLASS). */
const PATH_LOCK = `${0x76667070}::int, hashtext($1::text)`;

describe("a cancel while the turn saves its changes", () => {
  it("answers cancelled: false, and the turn ends succeeded with its files written", async () => {
    const projectId = await newProject(api);
    fake.script({ blocks: [tool("write_file", { path: "late.txt", content: "late" })] }, { blocks: [text("Done.")] });
    const locker = await pool.connect();
    try {
      await locker.query(`SELECT pg_advisory_lock(${PATH_LOCK})`, [projectId]);
      const { interactionId } = await api.assistant.send({ projectId, message: "write" });
      // Wait until the turn's commit waits for the project's lock: the tool loop is over.
      for (;;) {
        const { rows } = await pool.query(
          `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`,
        );
        if (rows[0].n > 0) break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(await api.assistant.cancel({ projectId, interactionId })).toEqual({ cancelled: false });
      await locker.query(`SELECT pg_advisory_unlock(${PATH_LOCK})`, [projectId]);
      await settled(interactionId);
      expect((await interaction(interactionId)).status).toBe("succeeded");
      expect((await liveFile(projectId, "late.txt"))?.content).toBe("late");
    } finally {
      locker.release();
    }
  });
});

describe("review after undo", () => {
  it("refuses to accept a turn's remaining changes once it was undone; the undo rejected them, keeping no content", async () => {
    const { api: other } = await signedInUser();
    await other.account.updatePreferences({ assistantApply: "review" });
    const projectId = await newProject(other);
    fake.script(
      {
        blocks: [
          tool("write_file", { path: "a.txt", content: "A" }),
          tool("write_file", { path: "b.txt", content: "B" }),
        ],
      },
      { blocks: [text("Done.")] },
    );
    const { interactionId } = await other.assistant.send({ projectId, message: "two files" });
    await settled(interactionId);
    await other.assistant.review({ projectId, interactionId, decision: "accept", paths: ["a.txt"] });
    await other.assistant.undoTurn({ projectId, interactionId });
    expect(await liveFile(projectId, "a.txt")).toBeUndefined();

    await expectFailure(
      other.assistant.review({ projectId, interactionId, decision: "accept", paths: ["b.txt"] }),
      "CONFLICT",
      /was undone/,
    );
    expect(await liveFile(projectId, "b.txt")).toBeUndefined();
    const { rows } = await pool.query(
      `SELECT file_path, status, content FROM claude_pending_changes WHERE interaction_id = $1 ORDER BY file_path`,
      [interactionId],
    );
    // Decided changes keep no content (the accepted one is in the file's versions).
    expect(rows).toEqual([
      { file_path: "a.txt", status: "accepted", content: null },
      { file_path: "b.txt", status: "rejected", content: null },
    ]);
    await expectFailure(
      other.assistant.turnDiff({ projectId, interactionId, path: "b.txt" }),
      "NOT_FOUND",
      /was rejected; it is no longer kept/,
    );
    expect(await other.assistant.turnDiff({ projectId, interactionId, path: "a.txt" })).toMatchObject({
      before: null,
      after: "A",
    });
    expect((await interaction(interactionId)).review_state).toBe("partial");
  });
});
