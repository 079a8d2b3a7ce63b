/**
 * A per-process cap on concurrent work (esbuild builds, npm installs): at most `size` run at once, the others wait
 * in order; with `maxWaiting`, a caller beyond that many waiting is refused at once (`LimiterBusyError`).
 */
export class LimiterBusyError extends Error {}

export interface Limiter {
  run<T>(fn: () => Promise<T>): Promise<T>;
  /** Running now, and the most that ever ran at once (for tests and logs). */
  stats(): { running: number; waiting: number; peak: number };
}

export function createLimiter(size: number, maxWaiting = Infinity): Limiter {
  let running = 0;
  let peak = 0;
  const waiting: (() => void)[] = [];
  const acquire = async () => {
    if (running >= size) {
      if (waiting.length >= maxWaiting) throw new LimiterBusyError("busy");
      await new Promise<void>((resolve) => waiting.push(resolve));
    }
    running += 1;
    peak = Math.max(peak, running);
  };
  const release = () => {
    running -= 1;
    waiting.shift()?.();
  };
  return {
    async run(fn) {
      await acquire();
      try {
        return await fn();
      } finally {
        release();
      }
    },
    stats: () => ({ running, waiting: waiting.length, peak }),
  };
}
