"use client";

import { useEffect, useEffectEvent, useState } from "react";
import type { ToolCall, Turn } from "./types";

/** How long text deltas gather before the panel re-renders: a token at a time would re-render per token. */
const TEXT_FLUSH_MS = 50;

export interface TurnStream {
  /** The turn as the stream last told it (snapshot, then text and tools as they happen); null before the snapshot. */
  turn: Turn | null;
  /** What went wrong with following the turn (the turn itself still ends on the server). */
  error: string | null;
}

function parse<T>(event: Event): T | null {
  try {
    return JSON.parse((event as MessageEvent<string>).data) as T;
  } catch {
    return null;
  }
}

/**
 * Follows a running turn over its server-sent events (`/api/assistant/turns/{id}/events`): `snapshot` first (so a
 * reload re-attaches with the text and tools so far), then `text` and `tool` as they happen, `done` last with the
 * recorded turn, which goes to `onDone`. The browser reconnects by itself after a dropped connection, and the new
 * snapshot replaces what was shown, so nothing is counted twice.
 */
export function useTurnStream(interactionId: string | null, onDone: (turn: Turn) => void): TurnStream {
  const [stream, setStream] = useState<TurnStream & { id: string | null }>({ id: null, turn: null, error: null });
  const finish = useEffectEvent(onDone);

  useEffect(() => {
    if (!interactionId) return;
    const source = new EventSource(`/api/assistant/turns/${encodeURIComponent(interactionId)}/events`);
    let text = "";
    let timer: ReturnType<typeof setTimeout> | undefined;
    const update = (change: (turn: Turn) => Turn) =>
      setStream((current) =>
        current.id === interactionId && current.turn ? { ...current, turn: change(current.turn) } : current,
      );
    const flush = () => {
      clearTimeout(timer);
      timer = undefined;
      if (!text) return;
      const delta = text;
      text = "";
      update((turn) => ({ ...turn, response: turn.response + delta }));
    };

    source.addEventListener("snapshot", (event) => {
      const data = parse<{ turn: Turn }>(event);
      if (!data) return;
      clearTimeout(timer);
      timer = undefined;
      text = "";
      setStream({ id: interactionId, turn: data.turn, error: null });
    });
    source.addEventListener("text", (event) => {
      const data = parse<{ delta: string }>(event);
      if (!data) return;
      text += data.delta;
      timer ??= setTimeout(flush, TEXT_FLUSH_MS);
    });
    source.addEventListener("tool", (event) => {
      const data = parse<ToolCall>(event);
      if (!data) return;
      flush();
      update((turn) => ({ ...turn, toolCalls: [...turn.toolCalls, data] }));
    });
    source.addEventListener("done", (event) => {
      source.close();
      clearTimeout(timer);
      const data = parse<{ turn: Turn }>(event);
      if (!data) return;
      setStream({ id: interactionId, turn: data.turn, error: null });
      finish(data.turn);
    });
    // Both the server's own `error` event (with a message) and the browser's connection errors arrive here.
    source.addEventListener("error", (event) => {
      const data = event instanceof MessageEvent ? parse<{ message: string }>(event) : null;
      const message = data?.message
        ? data.message
        : source.readyState === EventSource.CLOSED
          ? "Lost the connection to this turn. It goes on on the server: reload the page to follow it again."
          : null;
      if (message) setStream((current) => ({ ...current, id: interactionId, error: message }));
    });
    return () => {
      source.close();
      clearTimeout(timer);
    };
  }, [interactionId]);

  return stream.id === interactionId ? { turn: stream.turn, error: stream.error } : { turn: null, error: null };
}
