/**
 * A turn as server-sent events (the contract's frames): `snapshot` {turn} first, then `text` {delta} and
 * `tool` {name, summary, ok} as they happen, `done` {turn} last; a turn that already ended answers `snapshot`
 * and `done` at once. A comment line `: ping` every 15 s keeps proxies from closing the stream.
 */
import type { Database } from "~/server/db/client";
import { AppError } from "~/server/errors";
import { runningTurn, type TurnEvent } from "./registry";
import { findTurnRow, toTurn, type Turn } from "./turns";

const HEARTBEAT_MS = 15_000;
/** A stream ends after this long (the client re-attaches with a new one: snapshot first). */
export const STREAM_MAX_MS = 15 * 60_000;
/** The most event streams one user may have open at once in this process. */
export const STREAMS_PER_USER = 10;

const openStreams = ((
  globalThis as { __vaporformAssistantStreams?: Map<string, number> }
).__vaporformAssistantStreams ??= new Map<string, number>());

function claimStream(userId: string): () => void {
  const open = openStreams.get(userId) ?? 0;
  if (open >= STREAMS_PER_USER) {
    throw new AppError(
      "TOO_MANY_REQUESTS",
      `You have ${STREAMS_PER_USER} turns open in other tabs or windows (the most at once): close some of them.`,
    );
  }
  openStreams.set(userId, open + 1);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    const left = (openStreams.get(userId) ?? 1) - 1;
    if (left <= 0) openStreams.delete(userId);
    else openStreams.set(userId, left);
  };
}
const encoder = new TextEncoder();

export function sseFrame(event: string, data: unknown): Uint8Array {
  return encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

/**
 * The event stream of one turn of `userId` (throws NOT_FOUND before any byte for anyone else's or a missing
 * turn). `signal`: the request's, so a closed connection stops listening.
 */
export async function turnEventStream({
  db,
  userId,
  interactionId,
  signal,
  heartbeatMs = HEARTBEAT_MS,
  maxMs = STREAM_MAX_MS,
}: {
  db: Database;
  userId: string;
  interactionId: string;
  signal?: AbortSignal;
  heartbeatMs?: number;
  maxMs?: number;
}): Promise<ReadableStream<Uint8Array>> {
  const row = await findTurnRow({ db, userId, interactionId });
  // Same tick: the snapshot's text and the listener see the same moment of the running turn.
  const snapshot = toTurn(row);
  const live = snapshot.status === "running" ? runningTurn(interactionId) : undefined;
  const release = claimStream(userId);
  let cleanup = () => {};
  let closed = false;

  return new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (event: string, data: unknown) => {
        if (!closed) controller.enqueue(sseFrame(event, data));
      };
      const close = () => {
        if (closed) return;
        closed = true;
        cleanup();
        release();
        controller.close();
      };
      const finish = async () => {
        try {
          const final: Turn = toTurn(await findTurnRow({ db, userId, interactionId }));
          send("done", { turn: final });
        } catch {
          send("error", { message: "The turn could not be read; reload to see how it ended." });
        }
        close();
      };

      send("snapshot", { turn: snapshot });
      if (!live) {
        if (snapshot.status === "running") {
          // Running, but not in this process: it may have just ended here (read again), or run on another
          // instance (then done shows it running; the client follows it by reading the conversation).
          void finish();
        } else {
          send("done", { turn: snapshot });
          close();
        }
        return;
      }
      const listener = (event: TurnEvent) => {
        if (event.type === "text") send("text", { delta: event.delta });
        else if (event.type === "tool") send("tool", { name: event.name, summary: event.summary, ok: event.ok });
        else void finish();
      };
      live.listeners.add(listener);
      const heartbeat = setInterval(() => {
        if (!closed) controller.enqueue(encoder.encode(": ping\n\n"));
      }, heartbeatMs);
      const onAbort = () => close();
      // A stream does not live for ever: the client re-attaches (snapshot first) when it ends.
      const lifetime = setTimeout(close, maxMs);
      cleanup = () => {
        live.listeners.delete(listener);
        clearInterval(heartbeat);
        clearTimeout(lifetime);
        signal?.removeEventListener("abort", onAbort);
      };
      signal?.addEventListener("abort", onAbort);
      // Ended between reading the row and listening: nothing more will come.
      if (!runningTurn(interactionId)) void finish();
    },
    cancel() {
      // The client went away: nothing may be written any more (a finish() under way must not enqueue).
      closed = true;
      cleanup();
      release();
    },
  });
}
