import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "~/server/db/client";
import { STREAMS_PER_USER, turnEventStream } from "~/server/services/assistant/events";
import { newProject, signedInUser, type Caller } from "../files/support";
import type { FakeAnthropic } from "../support/fake-anthropic";
import { fakeClaude, interaction, settled, text } from "./support";

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

async function heldTurn() {
  const projectId = await newProject(api);
  fake.script({ blocks: [text("still streaming")], hold: true });
  const sent = await api.assistant.send({ projectId, message: "long" });
  await fake.held();
  return sent.interactionId;
}

async function readAll(stream: ReadableStream<Uint8Array>): Promise<string[]> {
  const reader = stream.getReader();
  const decoder = new TextDecoder();
  let raw = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    raw += decoder.decode(value, { stream: true });
  }
  return raw
    .split("\n\n")
    .filter((chunk) => chunk.startsWith("event: "))
    .map((chunk) => chunk.split("\n")[0]!.slice(7));
}

describe("the event stream of a turn", () => {
  it("stops writing once the client cancelled it, even when the turn ends afterwards", async () => {
    const interactionId = await heldTurn();
    const stream = await turnEventStream({ db, userId, interactionId });
    const reader = stream.getReader();
    expect((await reader.read()).done).toBe(false);
    fake.release();
    await settled(interactionId);
    // The stream is reading the ended turn to send done (a database round trip) when the client goes away.
    await reader.cancel();
    // Once that read is back: it wrote nothing into the cancelled stream (that would throw, unhandled).
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await interaction(interactionId)).status).toBe("succeeded");
  });

  it(`refuses more than ${STREAMS_PER_USER} open streams of one user; a closed one frees its place`, async () => {
    const interactionId = await heldTurn();
    const streams = [];
    for (let i = 0; i < STREAMS_PER_USER; i++) streams.push(await turnEventStream({ db, userId, interactionId }));
    await expect(turnEventStream({ db, userId, interactionId })).rejects.toMatchObject({
      code: "TOO_MANY_REQUESTS",
      message: expect.stringMatching(/close some of them/),
    });
    await streams.pop()!.cancel();
    const again = await turnEventStream({ db, userId, interactionId });
    fake.release();
    await settled(interactionId);
    const frames = await Promise.all([...streams, again].map(readAll));
    for (const events of frames) expect(events.at(-1)).toBe("done");
    // All ended: the user may open as many as before.
    const more = [];
    for (let i = 0; i < STREAMS_PER_USER; i++) more.push(await turnEventStream({ db, userId, interactionId }));
    await Promise.all(more.map(readAll));
  });

  it("ends after its lifetime while the turn still runs (the client re-attaches)", async () => {
    const interactionId = await heldTurn();
    const events = await readAll(await turnEventStream({ db, userId, interactionId, maxMs: 50 }));
    expect(events).toEqual(["snapshot"]);
    fake.release();
    await settled(interactionId);
  });
});
