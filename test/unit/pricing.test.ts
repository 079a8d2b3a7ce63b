import { describe, expect, it } from "vitest";
import {
  callCostPico,
  promptTokens,
  sumUsage,
  totalTokens,
  turnCostUsd,
  type CallUsage,
  type PriceRates,
} from "~/lib/pricing";

const haiku: PriceRates = {
  base: { input: "0.10", output: "0.50", cacheWrite5m: "0.125", cacheWrite1h: "0.20", cacheRead: "0.01" },
  longContext: {
    threshold: 100_000,
    rates: { input: "0.50", output: "2.50", cacheWrite5m: "0.625", cacheWrite1h: "1.00", cacheRead: "0.05" },
  },
};

const usage = (partial: Partial<CallUsage>): CallUsage => ({
  inputTokens: 0,
  outputTokens: 0,
  cacheReadTokens: 0,
  cacheWrite5mTokens: 0,
  cacheWrite1hTokens: 0,
  ...partial,
});

describe("pricing", () => {
  it("prices every kind of token of a call at its own rate", () => {
    // 1M of each kind at the base tier: 0.10 + 0.50 + 0.125 + 0.20 + 0.01 is over the threshold, so use small counts.
    const call = usage({
      inputTokens: 1000,
      outputTokens: 2000,
      cacheWrite5mTokens: 3000,
      cacheWrite1hTokens: 4000,
      cacheReadTokens: 5000,
    });
    // 1000×0.10 + 2000×0.50 + 3000×0.125 + 4000×0.20 + 5000×0.01 = 100 + 1000 + 375 + 800 + 50 = 2325 per Mtok
    expect(callCostPico(haiku, call)).toBe(2325n * 1_000_000n);
    expect(turnCostUsd(haiku, [call])).toBe("0.002325");
  });

  it("prices a whole call at the long-context tier once its prompt, cache tokens included, passes the threshold", () => {
    const under = usage({ inputTokens: 60_000, cacheReadTokens: 40_000, outputTokens: 1000 });
    const over = usage({ inputTokens: 60_000, cacheReadTokens: 40_001, outputTokens: 1000 });
    expect(promptTokens(under)).toBe(100_000);
    expect(turnCostUsd(haiku, [under])).toBe("0.006900"); // 60k×0.10 + 40k×0.01 + 1k×0.50
    expect(turnCostUsd(haiku, [over])).toBe("0.034500"); // 60k×0.50 + 40,001×0.05 + 1k×2.50, rounded
  });

  it("sums a turn's calls exactly and rounds once", () => {
    const tiny = usage({ inputTokens: 1 }); // 0.1 micro-USD each
    expect(
      turnCostUsd(
        haiku,
        Array.from({ length: 15 }, () => tiny),
      ),
    ).toBe("0.000002");
    expect(turnCostUsd(haiku, [tiny])).toBe("0.000000");
  });

  it("counts every token in the total and sums usage field by field", () => {
    const calls = [
      usage({ inputTokens: 3, outputTokens: 4, cacheReadTokens: 5 }),
      usage({ cacheWrite1hTokens: 7, cacheWrite5mTokens: 1 }),
    ];
    expect(sumUsage(calls)).toEqual(
      usage({ inputTokens: 3, outputTokens: 4, cacheReadTokens: 5, cacheWrite1hTokens: 7, cacheWrite5mTokens: 1 }),
    );
    expect(totalTokens(sumUsage(calls))).toBe(20);
  });

  it("refuses a rate that is not a decimal number", () => {
    expect(() =>
      turnCostUsd({ base: { ...haiku.base, input: "-1" }, longContext: null }, [usage({ inputTokens: 1 })]),
    ).toThrow(/not a price/);
  });
});
