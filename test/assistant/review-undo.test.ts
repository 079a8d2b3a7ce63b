import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { turnEventStream } from "~/server/services/assistant/events";
import { db } from "~/server/db/client";
import { pool } from "../db";
import { expectFailure, newProject, signedInUser, type Caller } from "../files/support";
import type { FakeAnthropic } from "../support/fake-anthropic";
import { fakeClaude, interaction, liveFile, settled, text, tool } from "./support";

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

async function projectWith(files: Record<string, string>): Promise<string> {
  const projectId = await newProject(api);
  for (const [path, content] of Object.entries(files)) {
    await api.file.create({ projectId, path, kind: "file", content, encoding: "utf-8" });
  }
  return projectId;
}

async function userSave(projectId: string, path: string, content: string) {
  const file = (await liveFile(projectId, path))!;
  await api.file.save({ projectId, path, content, fileId: file.id, baseVersion: file.version });
}

async function claudeVersions(projectId: string, interactionId: string): Promise<number> {
  const { rows } = await pool.query(
    `SELECT count(*)::int AS n FROM project_file_versions WHERE project_id = $1 AND interaction_id = $2`,
    [projectId, interactionId],
  );
  return rows[0].n as number;
}

describe("a file changed by the user while Claude works", () => {
  it("is a conflict: nothing is overwritten, the changes wait for review with the file named", async () => {
    const projectId = await projectWith({ "app.ts": "let a = 1;\n", "other.ts": "x\n" });
    fake.script(
      { blocks: [tool("read_file", { path: "app.ts" }), tool("read_file", { path: "other.ts" })] },
      {
        blocks: [
          text("Editing now"),
          tool("edit_file", { path: "app.ts", old_text: "1", new_text: "2" }),
          tool("write_file", { path: "other.ts", content: "y\n" }),
        ],
        hold: true,
      },
      { blocks: [text("Done.")] },
    );
    const { interactionId } = await api.assistant.send({ projectId, message: "Change a" });
    await fake.held();
    await userSave(projectId, "app.ts", "let a = 100; // mine\n");
    fake.release();
    await settled(interactionId);

    expect((await liveFile(projectId, "app.ts"))?.content).toBe("let a = 100; // mine\n");
    expect((await liveFile(projectId, "other.ts"))?.content).toBe("x\n");
    expect(await claudeVersions(projectId, interactionId)).toBe(0);
    const row = await interaction(interactionId);
    expect(row).toMatchObject({ status: "succeeded", review_state: "conflict" });
    expect(row.error_message).toMatch(/app\.ts changed since Claude read it/);

    const { turns } = await api.assistant.messages({ projectId, conversationId: row.conversation_id as string });
    expect(turns[0]!.pending).toEqual([
      { path: "app.ts", action: "write", status: "conflict" },
      { path: "other.ts", action: "write", status: "pending" },
    ]);
    // Accepting the conflicted file still overwrites nothing; the other one can be accepted on its own.
    expect(await api.assistant.review({ projectId, interactionId, decision: "accept" })).toEqual({
      reviewState: "conflict",
      conflicts: ["app.ts"],
    });
    expect((await liveFile(projectId, "app.ts"))?.content).toBe("let a = 100; // mine\n");
    expect((await liveFile(projectId, "other.ts"))?.content).toBe("x\n");
    await api.assistant.review({ projectId, interactionId, decision: "reject", paths: ["app.ts"] });
    expect(await api.assistant.review({ projectId, interactionId, decision: "accept", paths: ["other.ts"] })).toEqual({
      reviewState: "partial",
      conflicts: [],
    });
    expect((await liveFile(projectId, "other.ts"))?.content).toBe("y\n");
  });

  it("counts a file deleted and created again as changed", async () => {
    const projectId = await projectWith({ "re.txt": "first\n" });
    fake.script(
      { blocks: [tool("read_file", { path: "re.txt" })] },
      { blocks: [text("Now"), tool("write_file", { path: "re.txt", content: "claude\n" })], hold: true },
      { blocks: [text("Done.")] },
    );
    const { interactionId } = await api.assistant.send({ projectId, message: "Rewrite" });
    await fake.held();
    await api.file.delete({ projectId, path: "re.txt" });
    await api.file.create({ projectId, path: "re.txt", kind: "file", content: "first\n", encoding: "utf-8" });
    fake.release();
    await settled(interactionId);
    expect((await liveFile(projectId, "re.txt"))?.content).toBe("first\n");
    expect((await interaction(interactionId)).review_state).toBe("conflict");
  });
});

describe("review mode", () => {
  it("keeps changes pending until accepted per file or rejected, and shows their diff", async () => {
    await api.account.updatePreferences({ assistantApply: "review" });
    try {
      expect((await api.assistant.models({ projectId: await newProject(api) })).apply).toBe("review");
      const projectId = await projectWith({ "keep.txt": "old\n", "gone.txt": "bye\n" });
      fake.script(
        {
          blocks: [
            tool("write_file", { path: "keep.txt", content: "new\n" }),
            tool("write_file", { path: "fresh.txt", content: "hello\n" }),
            tool("delete_file", { path: "gone.txt" }),
          ],
        },
        { blocks: [text("Proposed.")] },
      );
      const { interactionId } = await api.assistant.send({ projectId, message: "Propose" });
      await settled(interactionId);
      expect((await interaction(interactionId)).review_state).toBe("pending");
      expect((await liveFile(projectId, "keep.txt"))?.content).toBe("old\n");
      expect(await liveFile(projectId, "fresh.txt")).toBeUndefined();
      expect(await liveFile(projectId, "gone.txt")).toBeDefined();
      expect(await api.assistant.turnDiff({ projectId, interactionId, path: "keep.txt" })).toEqual({
        path: "keep.txt",
        before: "old\n",
        after: "new\n",
        isBinary: false,
      });
      expect(await api.assistant.turnDiff({ projectId, interactionId, path: "fresh.txt" })).toMatchObject({
        before: null,
        after: "hello\n",
      });

      expect(
        await api.assistant.review({ projectId, interactionId, decision: "accept", paths: ["fresh.txt", "gone.txt"] }),
      ).toEqual({ reviewState: "partial", conflicts: [] });
      expect(await liveFile(projectId, "fresh.txt")).toMatchObject({ content: "hello\n", is_generated: true });
      expect(await liveFile(projectId, "gone.txt")).toBeUndefined();
      expect(await api.assistant.review({ projectId, interactionId, decision: "reject" })).toEqual({
        reviewState: "partial",
        conflicts: [],
      });
      expect((await liveFile(projectId, "keep.txt"))?.content).toBe("old\n");
      await expectFailure(
        api.assistant.review({ projectId, interactionId, decision: "accept" }),
        "BAD_REQUEST",
        /no changes waiting/,
      );
      const { rows } = await pool.query(
        `SELECT source_type FROM project_file_versions WHERE interaction_id = $1 ORDER BY file_path`,
        [interactionId],
      );
      expect(rows).toEqual([{ source_type: "claude" }]);
      // The accepted changes are the turn's, and can be undone like any turn.
      expect(await api.assistant.undoTurn({ projectId, interactionId })).toEqual({
        restored: ["fresh.txt", "gone.txt"],
      });
      expect(await liveFile(projectId, "fresh.txt")).toBeUndefined();
      expect((await liveFile(projectId, "gone.txt"))?.content).toBe("bye\n");
    } finally {
      await api.account.updatePreferences({ assistantApply: "auto" });
    }
  });

  it("rejects everything at once", async () => {
    await api.account.updatePreferences({ assistantApply: "review" });
    try {
      const projectId = await projectWith({});
      fake.script({ blocks: [tool("write_file", { path: "n.txt", content: "n" })] }, { blocks: [text("ok")] });
      const { interactionId } = await api.assistant.send({ projectId, message: "Propose" });
      await settled(interactionId);
      expect(await api.assistant.review({ projectId, interactionId, decision: "reject" })).toEqual({
        reviewState: "rejected",
        conflicts: [],
      });
      expect(await liveFile(projectId, "n.txt")).toBeUndefined();
    } finally {
      await api.account.updatePreferences({ assistantApply: "auto" });
    }
  });
});

describe("undo a turn", () => {
  async function changingTurn(projectId: string) {
    fake.script(
      {
        blocks: [
          tool("edit_file", { path: "mod.txt", old_text: "one", new_text: "two" }),
          tool("write_file", { path: "made.txt", content: "made\n" }),
          tool("delete_file", { path: "del.txt" }),
        ],
      },
      { blocks: [text("Changed three files.")] },
    );
    const { interactionId } = await api.assistant.send({ projectId, message: "Change three" });
    await settled(interactionId);
    return interactionId;
  }

  it("restores every file to its state before the turn, as new versions by the user, and records it", async () => {
    const projectId = await projectWith({ "mod.txt": "one\n", "del.txt": "keep me\n" });
    const interactionId = await changingTurn(projectId);
    expect((await liveFile(projectId, "mod.txt"))?.content).toBe("two\n");
    expect(await api.assistant.undoTurn({ projectId, interactionId })).toEqual({
      restored: ["del.txt", "made.txt", "mod.txt"],
    });
    expect((await liveFile(projectId, "mod.txt"))?.content).toBe("one\n");
    expect((await liveFile(projectId, "del.txt"))?.content).toBe("keep me\n");
    expect(await liveFile(projectId, "made.txt")).toBeUndefined();
    const { rows: versions } = await pool.query(
      `SELECT v.file_path, v.source_type, v.interaction_id FROM project_file_versions v
         JOIN project_files f ON f.id = v.file_id AND f.version = v.version
        WHERE f.project_id = $1 AND f.file_path <> 'README.md' ORDER BY v.file_path`,
      [projectId],
    );
    expect(versions).toEqual([
      { file_path: "del.txt", source_type: "user", interaction_id: null },
      { file_path: "mod.txt", source_type: "user", interaction_id: null },
    ]);
    const row = await interaction(interactionId);
    expect(row.undone_by).toBe(userId);
    expect(row.undone_at).not.toBeNull();
    const { rows: activity } = await pool.query(
      `SELECT source_type, affected_resources FROM project_activity
        WHERE project_id = $1 AND activity_type = 'claude_turn_undone'`,
      [projectId],
    );
    expect(activity).toEqual([{ source_type: "user", affected_resources: ["del.txt", "made.txt", "mod.txt"] }]);
    await expectFailure(api.assistant.undoTurn({ projectId, interactionId }), "CONFLICT", /already undone/);
  });

  it("refuses, naming them, files changed since by someone else, unless told to overwrite", async () => {
    const projectId = await projectWith({ "mod.txt": "one\n", "del.txt": "keep me\n" });
    const interactionId = await changingTurn(projectId);
    await userSave(projectId, "mod.txt", "two, and mine\n");
    const before = await liveFile(projectId, "made.txt");
    const refused = await expectFailure(api.assistant.undoTurn({ projectId, interactionId }), "CONFLICT", /mod\.txt/);
    expect((refused.cause as { data?: { paths?: string[] } }).data?.paths).toEqual(["mod.txt"]);
    expect((await liveFile(projectId, "mod.txt"))?.content).toBe("two, and mine\n");
    expect(await liveFile(projectId, "made.txt")).toEqual(before);
    expect(await liveFile(projectId, "del.txt")).toBeUndefined();

    expect(await api.assistant.undoTurn({ projectId, interactionId, overwrite: true })).toEqual({
      restored: ["del.txt", "made.txt", "mod.txt"],
    });
    expect((await liveFile(projectId, "mod.txt"))?.content).toBe("one\n");
  });

  it("is refused for a turn that changed nothing, and for another user's turn", async () => {
    const projectId = await projectWith({});
    fake.script({ blocks: [text("Just talking.")] });
    const { interactionId } = await api.assistant.send({ projectId, message: "Hi" });
    await settled(interactionId);
    await expectFailure(api.assistant.undoTurn({ projectId, interactionId }), "BAD_REQUEST", /changed no file/);
    const stranger = await signedInUser();
    await expectFailure(stranger.api.assistant.undoTurn({ projectId, interactionId }), "NOT_FOUND");
  });
});

async function readFrames(stream: ReadableStream<Uint8Array>) {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let raw = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    raw += decoder.decode(value, { stream: true });
  }
  return {
    raw,
    frames: raw
      .split("\n\n")
      .filter((chunk) => chunk.startsWith("event: "))
      .map((chunk) => {
        const [eventLine, dataLine] = chunk.split("\n");
        return { event: eventLine!.slice(7), data: JSON.parse(dataLine!.slice(6)) as Record<string, unknown> };
      }),
  };
}

describe("the turn's server-sent events", () => {
  it("streams snapshot, text, tool and done for a running turn", async () => {
    const projectId = await projectWith({ "s.txt": "s\n" });
    fake.script(
      { blocks: [text("Reading the file"), tool("read_file", { path: "s.txt" })], hold: true },
      { blocks: [text("All good.")] },
    );
    const { interactionId } = await api.assistant.send({ projectId, message: "Look" });
    await fake.held();
    const stream = await turnEventStream({ db, userId, interactionId, heartbeatMs: 5 });
    const reading = readFrames(stream);
    fake.release();
    const { frames, raw } = await reading;
    expect(frames[0]!.event).toBe("snapshot");
    const snapshot = frames[0]!.data.turn as { status: string; response: string };
    expect(snapshot.status).toBe("running");
    const texts = frames.filter((frame) => frame.event === "text").map((frame) => frame.data.delta as string);
    expect(snapshot.response + texts.join("")).toBe("Reading the file\n\nAll good.");
    expect(frames.find((frame) => frame.event === "tool")?.data).toEqual({
      name: "read_file",
      summary: "read s.txt",
      ok: true,
    });
    const done = frames.at(-1)!;
    expect(done.event).toBe("done");
    expect(done.data.turn).toMatchObject({ status: "succeeded", response: "Reading the file\n\nAll good." });
    expect(raw).toContain(": ping\n\n");
  });

  it("answers snapshot then done at once for a turn that ended, and NOT_FOUND to anyone else", async () => {
    const projectId = await projectWith({});
    fake.script({ blocks: [text("Over.")] });
    const { interactionId } = await api.assistant.send({ projectId, message: "Hi" });
    await settled(interactionId);
    const { frames } = await readFrames(await turnEventStream({ db, userId, interactionId }));
    expect(frames.map((frame) => frame.event)).toEqual(["snapshot", "done"]);
    expect(frames[1]!.data.turn).toMatchObject({ status: "succeeded", response: "Over." });
    const stranger = await signedInUser();
    await expect(turnEventStream({ db, userId: stranger.userId, interactionId })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });
});
