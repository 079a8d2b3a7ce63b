import { describe, expect, it } from "vitest";
import { db } from "~/server/db/client";
import { makeActor } from "~/server/db/write";
import { createFile, saveFile } from "~/server/services/files";
import { pool } from "../db";
import { newProject, signedInUser } from "./support";

/** A Claude turn in a conversation of the project, as the assistant records it (cost NULL: unpriced). */
async function turn(projectId: string, userId: string, prompt: string, model: string, costUsd: string | null) {
  const { rows: conversation } = await pool.query<{ id: string }>(
    `INSERT INTO claude_conversations (project_id, user_id, title, model) VALUES ($1, $2, $3, $4) RETURNING id`,
    [projectId, userId, prompt.slice(0, 40), model],
  );
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO claude_interactions (project_id, user_id, interaction_type, user_message, claude_response, model,
                                      status, cost_usd, conversation_id)
     VALUES ($1, $2, 'file_modification', $3, 'Done.', $4, 'succeeded', $5, $6) RETURNING id`,
    [projectId, userId, prompt, model, costUsd, conversation[0]!.id],
  );
  return { interactionId: rows[0]!.id, conversationId: conversation[0]!.id };
}

describe("a file's history with what Claude's changes cost", () => {
  it("shows each version Claude wrote with its turn (prompt, model, cost) and sums the turns' cost per file", async () => {
    const { api, userId } = await signedInUser();
    const projectId = await newProject(api);
    const user = await api.file.create({ projectId, path: "src/app.ts", kind: "file", content: "one\n" });

    const priced = await turn(projectId, userId, "Make the app say two", "claude-sonnet-5-5", "0.012345");
    const claude = {
      db,
      projectId,
      actor: makeActor({ userId, source: "claude", interactionId: priced.interactionId }),
    };
    const second = await saveFile({ ...claude, path: "src/app.ts", content: "two\n", fileId: user.id, baseVersion: 1 });
    // The same turn writing the file twice is one turn: its cost counts once.
    await saveFile({ ...claude, path: "src/app.ts", content: "two!\n", fileId: user.id, baseVersion: second.version });

    const other = await turn(projectId, userId, "And three", "claude-haiku-5-5", "0.000655");
    const third = makeActor({ userId, source: "claude", interactionId: other.interactionId });
    await saveFile({
      db,
      projectId,
      actor: third,
      path: "src/app.ts",
      content: "three\n",
      fileId: user.id,
      baseVersion: 3,
    });

    const unpriced = await turn(projectId, userId, "Four, on a model without a price", "claude-new-model", null);
    const fourth = makeActor({ userId, source: "claude", interactionId: unpriced.interactionId });
    await saveFile({
      db,
      projectId,
      actor: fourth,
      path: "src/app.ts",
      content: "four\n",
      fileId: user.id,
      baseVersion: 4,
    });

    // Another file's turn is not this file's cost.
    const elsewhere = await turn(projectId, userId, "Other file", "claude-sonnet-5-5", "1.000000");
    await createFile({
      db,
      projectId,
      actor: makeActor({ userId, source: "claude", interactionId: elsewhere.interactionId }),
      path: "src/other.ts",
      kind: "file",
      content: "x\n",
      encoding: "utf-8",
    });

    const history = await api.file.history({ projectId, path: "src/app.ts" });
    expect(history.versions.map((version) => [version.version, version.sourceType, version.turn])).toEqual([
      [
        5,
        "claude",
        { ...unpriced, prompt: "Four, on a model without a price", model: "claude-new-model", costUsd: null },
      ],
      [4, "claude", { ...other, prompt: "And three", model: "claude-haiku-5-5", costUsd: "0.000655" }],
      [3, "claude", { ...priced, prompt: "Make the app say two", model: "claude-sonnet-5-5", costUsd: "0.012345" }],
      [2, "claude", { ...priced, prompt: "Make the app say two", model: "claude-sonnet-5-5", costUsd: "0.012345" }],
      [1, "user", null],
    ]);
    expect(history.claudeCost).toEqual({ costUsd: "0.013000", pricedTurns: 2, unpricedTurns: 1 });
  });

  it("answers no Claude cost for a file only people edited, and cuts a long prompt to a preview", async () => {
    const { api, userId } = await signedInUser();
    const projectId = await newProject(api);
    const human = await api.file.history({ projectId, path: "README.md" });
    expect(human.versions.every((version) => version.turn === null)).toBe(true);
    expect(human.claudeCost).toEqual({ costUsd: "0.000000", pricedTurns: 0, unpricedTurns: 0 });

    const long = await turn(projectId, userId, "x".repeat(5000), "claude-sonnet-5-5", "0.5");
    await createFile({
      db,
      projectId,
      actor: makeActor({ userId, source: "claude", interactionId: long.interactionId }),
      path: "long.md",
      kind: "file",
      content: "y\n",
      encoding: "utf-8",
    });
    const history = await api.file.history({ projectId, path: "long.md" });
    expect(history.versions[0]?.turn?.prompt).toHaveLength(280);
    expect(history.versions[0]?.turn?.costUsd).toBe("0.500000");
    expect(history.claudeCost).toEqual({ costUsd: "0.500000", pricedTurns: 1, unpricedTurns: 0 });
  });
});
