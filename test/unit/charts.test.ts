import { describe, expect, it } from "vitest";
import { dayLabel, formatDuration, formatPercent, formatTokens, formatUsd, monthLabel } from "~/lib/charts/format";
import { defaultRange, periodsInRange, shares, stackByModel, totalsByPeriod, weekStart } from "~/lib/charts/series";

const row = (period: string, model: string, turns: number, cost: string, tokens = turns * 10, unpricedTurns = 0) => ({
  period,
  model,
  turns,
  tokens: { total: tokens },
  costUsd: cost,
  unpricedTurns,
});

describe("chart preparers", () => {
  it("fills every day of the range, missing days as zeros", () => {
    const { models, points } = stackByModel(
      [row("2026-11-30", "a", 2, "0.5"), row("2026-12-02", "b", 1, "3.25")],
      { from: "2026-11-29", to: "2026-12-03", granularity: "day" },
      "cost",
    );
    expect(models).toEqual(["b", "a"]);
    expect(points).toEqual([
      { period: "2026-11-29", a: 0, b: 0 },
      { period: "2026-11-30", a: 0.5, b: 0 },
      { period: "2026-12-01", a: 0, b: 0 },
      { period: "2026-12-02", a: 0, b: 3.25 },
      { period: "2026-12-03", a: 0, b: 0 },
    ]);
  });

  it("buckets weeks by their Monday in UTC, across month and year ends", () => {
    expect(weekStart("2026-12-03")).toBe("2026-11-30"); // a Thursday
    expect(weekStart("2026-11-30")).toBe("2026-11-30"); // a Monday
    expect(weekStart("2026-12-06")).toBe("2026-11-30"); // a Sunday
    expect(weekStart("2027-01-01")).toBe("2026-12-28");
    expect(periodsInRange("2026-12-03", "2026-12-20", "week")).toEqual(["2026-11-30", "2026-12-07", "2026-12-14"]);
    const { points } = stackByModel(
      [row("2026-12-01", "a", 1, "1"), row("2026-12-06", "a", 2, "1"), row("2026-12-07", "a", 4, "1")],
      { from: "2026-12-01", to: "2026-12-08", granularity: "week" },
      "turns",
    );
    expect(points).toEqual([
      { period: "2026-11-30", a: 3 },
      { period: "2026-12-07", a: 4 },
    ]);
  });

  it("sums all models per period for the table fallback, keeping unpriced turns apart", () => {
    expect(
      totalsByPeriod([row("2026-12-01", "a", 1, "0.1", 5), row("2026-12-01", "b", 2, "0.2", 7, 2)], {
        from: "2026-12-01",
        to: "2026-12-02",
        granularity: "day",
      }),
    ).toEqual([
      { period: "2026-12-01", turns: 3, tokens: 12, costUsd: 0.3, unpricedTurns: 2 },
      { period: "2026-12-02", turns: 0, tokens: 0, costUsd: 0, unpricedTurns: 0 },
    ]);
  });

  it("answers the last N UTC days ending today as the default range", () => {
    expect(defaultRange(30, new Date("2026-12-03T23:30:00Z"))).toEqual({ from: "2026-11-04", to: "2026-12-03" });
    expect(defaultRange(1, new Date("2026-12-03T00:00:00Z"))).toEqual({ from: "2026-12-03", to: "2026-12-03" });
  });

  it("answers shares of a whole, zero when there is nothing", () => {
    expect(shares({ input: 1, output: 3 })).toEqual([
      { key: "input", value: 1, share: 0.25 },
      { key: "output", value: 3, share: 0.75 },
    ]);
    expect(shares({ input: 0 })).toEqual([{ key: "input", value: 0, share: 0 }]);
  });
});

describe("usage formatting", () => {
  it("formats money without hiding small amounts", () => {
    expect(formatUsd("1234.5678")).toBe("$1,234.57");
    expect(formatUsd("0.004200")).toBe("$0.0042");
    expect(formatUsd("0")).toBe("$0.00");
    expect(formatUsd("abc")).toBe("—");
  });

  it("formats tokens, percentages, durations, months and days", () => {
    expect(formatTokens(950)).toBe("950");
    expect(formatTokens(12_340)).toBe("12.3k");
    expect(formatTokens(4_560_000)).toBe("4.56M");
    expect(formatTokens(1_000_000)).toBe("1M");
    expect(formatTokens(250_000_000_000)).toBe("250B");
    expect(formatPercent(0.125)).toBe("12.5 %");
    expect(formatPercent(null)).toBe("—");
    expect(formatDuration(850)).toBe("850 ms");
    expect(formatDuration(12_400)).toBe("12.4 s");
    expect(formatDuration(null)).toBe("—");
    expect(monthLabel("2026-12")).toBe("December 2026");
    expect(dayLabel("2026-12-03")).toBe("3 Dec");
    expect(dayLabel("2026-12-03", true)).toBe("3 Dec 2026");
  });
});
