/**
 * How the assistant panel and the history put money, tokens and what a turn did into words. Pure, so the rules
 * (an unpriced turn is never "$0", a summary counts files once) are tested on their own.
 */

/** Cost as stored (a decimal string, 6 places) or null: unpriced. "$1.23", "$0.0042", "<$0.0001", "unpriced". */
export function formatUsd(costUsd: string | null | undefined): string {
  if (costUsd === null || costUsd === undefined || costUsd === "") return "unpriced";
  const value = Number(costUsd);
  if (!Number.isFinite(value)) return "unpriced";
  if (value === 0) return "$0.00";
  if (value < 0.0001) return "<$0.0001";
  if (value < 0.01) return `$${value.toFixed(4)}`;
  return `$${value.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/**
 * A sum of turns where some may be unpriced: the priced part, and the unpriced ones named, never folded in as $0.
 * "$0.12", "$0.12 + 2 unpriced", "unpriced" (every turn unpriced), "$0.00" (no turn yet).
 */
export function formatCostSum(costUsd: string, pricedTurns: number, unpricedTurns: number): string {
  if (unpricedTurns === 0) return formatUsd(costUsd);
  return pricedTurns === 0 ? "unpriced" : `${formatUsd(costUsd)} + ${unpricedTurns} unpriced`;
}

/** "950", "12.3k", "1.2M" tokens. */
export function formatTokens(count: number): string {
  if (count < 1000) return String(count);
  if (count < 1_000_000) return `${(count / 1000).toFixed(count < 10_000 ? 1 : 0)}k`;
  return `${(count / 1_000_000).toFixed(1)}M`;
}

export interface ChangedFile {
  path: string;
  action: "created" | "modified" | "deleted";
}

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? "" : "s"}`;

/** What a turn did to the files, in words: "edited 2 files", "created 1 file, deleted 1 file"; "" for none. */
export function changeSummary(files: readonly ChangedFile[]): string {
  const byAction = { created: new Set<string>(), modified: new Set<string>(), deleted: new Set<string>() };
  for (const file of files) byAction[file.action].add(file.path);
  return [
    byAction.created.size > 0 && `created ${plural(byAction.created.size, "file")}`,
    byAction.modified.size > 0 && `edited ${plural(byAction.modified.size, "file")}`,
    byAction.deleted.size > 0 && `deleted ${plural(byAction.deleted.size, "file")}`,
  ]
    .filter(Boolean)
    .join(", ");
}

export interface ToolCallSummary {
  name: string;
  summary: string;
  ok: boolean;
}

/**
 * Tool calls as the panel lists them: repeats of the same call in a row folded into one ("read src/app.tsx ×3"),
 * so a turn that reads a file again and again does not flood the panel.
 */
export function foldToolCalls(calls: readonly ToolCallSummary[]): (ToolCallSummary & { times: number })[] {
  const folded: (ToolCallSummary & { times: number })[] = [];
  for (const call of calls) {
    const last = folded.at(-1);
    if (last && last.summary === call.summary && last.ok === call.ok && last.name === call.name) last.times += 1;
    else folded.push({ ...call, times: 1 });
  }
  return folded;
}

/** "1.2 s", "850 ms", "2 min 5 s". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}
