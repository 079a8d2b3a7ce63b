/**
 * Work that must not delay (or shape) an answer: it starts now and runs on after the response is sent. Our server
 * is a long-lived process (scripts/server.ts), so nothing cuts it short. A failure is logged, never thrown: the
 * answer has gone already.
 */
const pending = new Set<Promise<void>>();

/** Runs `task` without waiting for it. */
export function afterResponse(label: string, task: () => Promise<unknown>): void {
  const running: Promise<void> = task()
    .then(() => undefined)
    .catch((error: unknown) => console.error(`[after-response] ${label} failed:`, error))
    .finally(() => pending.delete(running));
  pending.add(running);
}

/** Resolves once every task started so far has finished (tests wait for the mail this way). */
export async function settleAfterResponse(): Promise<void> {
  while (pending.size > 0) await Promise.all(pending);
}
