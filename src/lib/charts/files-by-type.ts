/**
 * Pure preparers of a project's dashboard: files by type for its bar chart (largest first, the tail folded into
 * "other" so the chart stays readable), and storage against the project's limit. Client-safe.
 */

export interface FileTypeRow {
  fileType: string;
  files: number;
  sizeBytes: number;
  lines: number;
}

export type FileTypeMetric = "files" | "sizeBytes" | "lines";

export interface FileTypeBar extends FileTypeRow {
  /** The share of the metric's total, 0..1 (0 when the total is 0). */
  share: number;
}

/**
 * The rows ordered by `metric` (largest first, then by name), at most `maxBars` bars: when there are more types,
 * the smallest ones are summed into one "other" bar (merged with a type already called "other"), so the bars
 * always add up to the project's totals.
 */
export function filesByType(
  rows: readonly FileTypeRow[],
  metric: FileTypeMetric = "files",
  maxBars = 8,
): FileTypeBar[] {
  const merged = new Map<string, FileTypeRow>();
  for (const row of rows) {
    const key = row.fileType.trim() || "other";
    const sum = merged.get(key) ?? { fileType: key, files: 0, sizeBytes: 0, lines: 0 };
    sum.files += row.files;
    sum.sizeBytes += row.sizeBytes;
    sum.lines += row.lines;
    merged.set(key, sum);
  }
  const sorted = [...merged.values()].sort((a, b) => b[metric] - a[metric] || a.fileType.localeCompare(b.fileType));
  let bars = sorted;
  if (sorted.length > maxBars) {
    const kept = sorted.filter((row) => row.fileType !== "other").slice(0, Math.max(1, maxBars - 1));
    const keptTypes = new Set(kept.map((row) => row.fileType));
    const rest = { fileType: "other", files: 0, sizeBytes: 0, lines: 0 };
    for (const row of sorted) {
      if (keptTypes.has(row.fileType)) continue;
      rest.files += row.files;
      rest.sizeBytes += row.sizeBytes;
      rest.lines += row.lines;
    }
    bars = [...kept, rest];
  }
  const total = bars.reduce((sum, row) => sum + row[metric], 0);
  return bars.map((row) => ({ ...row, share: total === 0 ? 0 : row[metric] / total }));
}

export interface StorageUse {
  usedBytes: number;
  limitBytes: number | null;
  /** used / limit, not capped (a lowered limit can leave a project over it); null without a limit. */
  ratio: number | null;
  tone: "ok" | "warning" | "over";
}

/** Storage used against the limit: a warning from 80 %, "over" past 100 %. */
export function storageUse(usedBytes: number, limitBytes: number | null): StorageUse {
  if (limitBytes === null || limitBytes <= 0) return { usedBytes, limitBytes: null, ratio: null, tone: "ok" };
  const ratio = usedBytes / limitBytes;
  return { usedBytes, limitBytes, ratio, tone: ratio > 1 ? "over" : ratio >= 0.8 ? "warning" : "ok" };
}
