import { describe, expect, it } from "vitest";
import { bundleKey, createBundleCache, MAX_CONCURRENT_BUILDS } from "~/server/services/preview/bundle-cache";

const key = (projectId: string, modulePath: string, fileState = "1") =>
  bundleKey({ projectId, modulePath, depsKey: "none", fileState });
const code = (text: string) => async () => ({ ok: true as const, code: text });

describe("the bundle cache's bounds", () => {
  it("drops the least recently used entry past its count, and anything past its bytes", async () => {
    const cache = createBundleCache({ maxEntries: 2, maxBytes: 1000 });
    await cache.get(key("p", "a.tsx"), code("a"));
    await cache.get(key("p", "b.tsx"), code("b"));
    await cache.get(key("p", "a.tsx"), code("a")); // a is now the most recent
    await cache.get(key("p", "c.tsx"), code("c")); // b goes
    expect(cache.builds).toBe(3);
    await cache.get(key("p", "a.tsx"), code("a"));
    expect(cache.builds).toBe(3);
    await cache.get(key("p", "b.tsx"), code("b"));
    expect(cache.builds).toBe(4);
    // Too large to keep: served, never stored.
    await cache.get(key("p", "big.tsx"), code("x".repeat(2000)));
    await cache.get(key("p", "big.tsx"), code("x".repeat(2000)));
    expect(cache.builds).toBe(6);
  });

  it("keeps one state per module, and forgets a stopped project's entries", async () => {
    const cache = createBundleCache();
    await cache.get(key("p", "a.tsx", "1"), code("one"));
    expect(await cache.get(key("p", "a.tsx", "2"), code("two"))).toEqual({ ok: true, code: "two" });
    // The older state was replaced, not kept beside it.
    expect(await cache.get(key("p", "a.tsx", "1"), code("one again"))).toEqual({ ok: true, code: "one again" });
    cache.forget("p");
    await cache.get(key("p", "a.tsx", "1"), code("one"));
    expect(cache.builds).toBe(4);
  });

  it(`runs at most ${MAX_CONCURRENT_BUILDS} builds at once in the process`, async () => {
    const cache = createBundleCache();
    let running = 0;
    let peak = 0;
    const releases: (() => void)[] = [];
    const slow = () => async () => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise<void>((resolve) => releases.push(resolve));
      running -= 1;
      return { ok: true as const, code: "" };
    };
    const all = Promise.all(["a", "b", "c", "d"].map((name) => cache.get(key("q", `${name}.tsx`), slow())));
    for (let done = 0; done < 4; done += 1) {
      await expect.poll(() => releases.length).toBeGreaterThan(0);
      expect(running).toBeLessThanOrEqual(MAX_CONCURRENT_BUILDS);
      releases.shift()!();
    }
    await all;
    expect(peak).toBe(MAX_CONCURRENT_BUILDS);
  });
});
