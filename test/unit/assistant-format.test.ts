import { describe, expect, it } from "vitest";
import {
  changeSummary,
  foldToolCalls,
  formatCostSum,
  formatDuration,
  formatTokens,
  formatUsd,
} from "~/lib/assistant-format";

describe("money in the assistant panel and the history", () => {
  it("shows an unpriced cost as unpriced, never as $0", () => {
    expect(formatUsd(null)).toBe("unpriced");
    expect(formatUsd(undefined)).toBe("unpriced");
    expect(formatUsd("")).toBe("unpriced");
    expect(formatUsd("not a number")).toBe("unpriced");
  });

  it("shows dollars with cents, small costs with four decimals, and tiny ones as under a hundredth of a cent", () => {
    expect(formatUsd("0.000000")).toBe("$0.00");
    expect(formatUsd("0.000042")).toBe("<$0.0001");
    expect(formatUsd("0.004200")).toBe("$0.0042");
    expect(formatUsd("0.012345")).toBe("$0.01");
    expect(formatUsd("12.345678")).toBe("$12.35");
    expect(formatUsd("1234.5")).toBe("$1,234.50");
  });

  it("names unpriced turns beside the priced sum instead of folding them in", () => {
    expect(formatCostSum("0.120000", 3, 0)).toBe("$0.12");
    expect(formatCostSum("0.120000", 3, 2)).toBe("$0.12 + 2 unpriced");
    expect(formatCostSum("0.000000", 0, 2)).toBe("unpriced");
    expect(formatCostSum("0.000000", 0, 0)).toBe("$0.00");
  });
});

describe("what a turn did, in words", () => {
  it("counts the files a turn created, edited and deleted, each path once", () => {
    expect(changeSummary([])).toBe("");
    expect(
      changeSummary([
        { path: "a.ts", action: "modified" },
        { path: "b.ts", action: "modified" },
      ]),
    ).toBe("edited 2 files");
    expect(
      changeSummary([
        { path: "new.ts", action: "created" },
        { path: "a.ts", action: "modified" },
        { path: "a.ts", action: "modified" },
        { path: "old.ts", action: "deleted" },
      ]),
    ).toBe("created 1 file, edited 1 file, deleted 1 file");
  });

  it("folds the same tool call repeated in a row, keeping failures and order apart", () => {
    const read = { name: "read_file", summary: "read src/app.tsx", ok: true };
    expect(
      foldToolCalls([
        read,
        read,
        { ...read, ok: false },
        { name: "list_files", summary: "listed files", ok: true },
        read,
      ]),
    ).toEqual([
      { ...read, times: 2 },
      { ...read, ok: false, times: 1 },
      { name: "list_files", summary: "listed files", ok: true, times: 1 },
      { ...read, times: 1 },
    ]);
  });

  it("writes token counts and durations short", () => {
    expect(formatTokens(950)).toBe("950");
    expect(formatTokens(1234)).toBe("1.2k");
    expect(formatTokens(12_345)).toBe("12k");
    expect(formatTokens(1_250_000)).toBe("1.3M");
    expect(formatDuration(850)).toBe("850 ms");
    expect(formatDuration(1234)).toBe("1.2 s");
    expect(formatDuration(125_000)).toBe("2 min 5 s");
  });
});
