/**
 * The turns running in this process: what each has streamed so far (so a reload re-attaches with the text and
 * tool calls so far), its listeners (the server-sent-events route), and its AbortController (cancel). Kept on
 * globalThis: Next.js may load this module once per route bundle, and every route must see the same turns.
 */
export interface ToolCallView {
  name: string;
  summary: string;
  ok: boolean;
}

export type TurnEvent =
  { type: "text"; delta: string } | { type: "tool"; name: string; summary: string; ok: boolean } | { type: "done" };

export interface RunningTurn {
  interactionId: string;
  userId: string;
  projectId: string;
  conversationId: string;
  controller: AbortController;
  text: string;
  tools: ToolCallView[];
  listeners: Set<(event: TurnEvent) => void>;
  /** Set once the tool loop has ended and the turn is being saved: a cancel can no longer stop it. */
  committing: boolean;
  /** Cancelled because the server is stopping (stopRunningTurns), not by the user. */
  stopping?: boolean;
  /** Resolves when the turn has been recorded (tests and shutdown wait on it). */
  finished: Promise<void>;
}

const registry = ((globalThis as { __vaporformAssistantTurns?: Map<string, RunningTurn> }).__vaporformAssistantTurns ??=
  new Map<string, RunningTurn>());

export function runningTurn(interactionId: string): RunningTurn | undefined {
  return registry.get(interactionId);
}

export function registerTurn(turn: RunningTurn): void {
  registry.set(turn.interactionId, turn);
}

export function emit(turn: RunningTurn, event: TurnEvent): void {
  if (event.type === "text") turn.text += event.delta;
  if (event.type === "tool") turn.tools.push({ name: event.name, summary: event.summary, ok: event.ok });
  for (const listener of turn.listeners) {
    try {
      listener(event);
    } catch {
      // a listener that fails (a closed stream) must not stop the turn
    }
  }
}

/** Ends the turn's life in the registry: listeners get `done` (after the row is recorded). */
export function unregisterTurn(turn: RunningTurn): void {
  registry.delete(turn.interactionId);
  emit(turn, { type: "done" });
  turn.listeners.clear();
}

/** Every turn running now (tests wait for them to finish). */
export function runningTurns(): RunningTurn[] {
  return [...registry.values()];
}

/**
 * On shutdown: cancels every turn running in this process (nothing of theirs is written; each is recorded as
 * cancelled, and its event streams get `done`), and waits at most `timeoutMs` for them to be recorded. Turns
 * already saving their changes are let finish. Answers how many turns were still running.
 */
export async function stopRunningTurns(timeoutMs: number): Promise<number> {
  const turns = runningTurns();
  for (const turn of turns) {
    if (turn.committing) continue;
    turn.stopping = true;
    turn.controller.abort();
  }
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    Promise.all(turns.map((turn) => turn.finished)),
    new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs))),
  ]);
  clearTimeout(timer);
  return turns.length;
}
