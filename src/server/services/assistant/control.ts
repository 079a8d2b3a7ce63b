/**
 * Ending turns that will not end on their own: the user's cancel of a running turn, and turns cut off by a crash
 * or a restart (their heartbeat stopped), recorded as failed. Neither writes a file.
 */
import type pg from "pg";
import type { Scope } from "./conversations";
import { runningTurn } from "./registry";
import { getTurn } from "./turns";

/**
 * Cancels a running turn of the user (nothing it staged is written); false when it is no longer running, or is
 * already saving its changes (then it ends as it would have: the panel shows its outcome).
 */
export async function cancelTurn(scope: Scope & { interactionId: string }) {
  await getTurn(scope);
  const turn = runningTurn(scope.interactionId);
  if (!turn || turn.userId !== scope.userId || turn.committing) return { cancelled: false };
  turn.controller.abort();
  await turn.finished;
  return { cancelled: true };
}
/** A running turn whose heartbeat is older than this was cut off (its instance stopped or crashed). */
export const STALE_TURN_MS = 60_000;

/**
 * Turns cut off by a crash or a restart (still running, but their instance stopped beating for STALE_TURN_MS)
 * are recorded as failed; none of their changes was written (a turn writes only when it ends). Run at start
 * and every minute (scripts/start.ts); turns of another live instance on the same database keep beating and are
 * left alone. Answers how many were failed.
 */
export async function failInterruptedTurns(
  pool: Pick<pg.Pool, "query">,
  staleAfterMs: number = STALE_TURN_MS,
): Promise<number> {
  const result = await pool.query(
    `UPDATE claude_interactions
        SET status = 'failed', success = false, completed_at = now(),
            error_message = 'The server stopped or restarted during this turn; no file was changed.',
            execution_time_ms = LEAST(2147483647, GREATEST(0, extract(epoch FROM now() - created_at) * 1000))::int
      WHERE status = 'running'
        AND COALESCE(heartbeat_at, created_at) < now() - make_interval(secs => $1::double precision / 1000)`,
    [staleAfterMs],
  );
  return result.rowCount ?? 0;
}
