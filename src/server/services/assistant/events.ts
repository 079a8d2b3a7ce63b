/**
 * A turn as server-sent events (the contract's frames): `snapshot` {turn} first, then `text` {delta} and
 * `tool` {name, summary, ok} as they happen, `done` {turn} last; a turn that already ended answers `snapshot`
 * and `done` at once. A comment line `: ping` every 15 s keeps proxies from closing the stream.
 */
import type { Database } from "~/server/db/client";
import { runningTurn, type TurnEvent } from "./registry";
import { findTurnRow, toTurn, type Turn } from "./turns";

const HEARTBEAT_MS = 15_000;
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
}: {
  db: Database;
  userId: string;
  interactionId: string;
  signal?: AbortSignal;
  heartbeatMs?: number;
}): Promise<ReadableStream<Uint8Array>> {
  const row = await findTurnRow({ db, userId, interactionId });
  // Same tick: the snapshot's text and the listener see the same moment of the running turn.
  const snapshot = toTurn(row);
  const live = snapshot.status === "running" ? runningTurn(interactionId) : undefined;
  let cleanup = () => {};

  return new ReadableStream<Uint8Array>({
    start(controller) {
      let closed = false;
      const send = (event: string, data: unknown) => {
        if (!closed) controller.enqueue(sseFrame(event, data));
      };
      const close = () => {
        if (closed) return;
        closed = true;
        cleanup();
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
        send("done", { turn: snapshot });
        close();
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
      cleanup = () => {
        live.listeners.delete(listener);
        clearInterval(heartbeat);
        signal?.removeEventListener("abort", onAbort);
      };
      signal?.addEventListener("abort", onAbort);
      // Ended between reading the row and listening: nothing more will come.
      if (!runningTurn(interactionId)) void finish();
    },
    cancel() {
      cleanup();
    },
  });
}
