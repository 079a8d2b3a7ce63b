/**
 * Formatting of money, tokens, ratios and periods for the usage pages, the budget messages and the CSV export.
 * Pure and client-safe. Money arrives as exact decimal strings (NUMERIC from PostgreSQL) and is only rounded here,
 * for display.
 */

const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

/**
 * USD for people: "$1,234.57"; amounts under a cent keep up to 4 decimals ("$0.0042") so small turns do not read
 * as free; exactly zero is "$0.00".
 */
export function formatUsd(amount: string | number): string {
  const value = typeof amount === "number" ? amount : Number(amount);
  if (!Number.isFinite(value)) return "—";
  const abs = Math.abs(value);
  const digits = abs > 0 && abs < 0.01 ? 4 : 2;
  return value.toLocaleString("en-US", {
    style: "currency",
    currency: "USD",
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

/** Token counts for people: 950, 12.3k, 4.56M, 1.2B. */
export function formatTokens(count: number): string {
  const abs = Math.abs(count);
  if (abs < 1_000) return String(Math.round(count));
  const units: [number, string][] = [
    [1e9, "B"],
    [1e6, "M"],
    [1e3, "k"],
  ];
  for (const [size, suffix] of units) {
    if (abs >= size) {
      const scaled = count / size;
      const text =
        Math.abs(scaled) >= 100 ? scaled.toFixed(0) : Math.abs(scaled) >= 10 ? scaled.toFixed(1) : scaled.toFixed(2);
      return `${text.includes(".") ? text.replace(/0+$/, "").replace(/\.$/, "") : text}${suffix}`;
    }
  }
  return String(count);
}

/** Whole numbers with thousands separators. */
export function formatCount(count: number): string {
  return Math.round(count).toLocaleString("en-US");
}

/** A ratio 0..1 as a percentage with one decimal ("12.5 %"), or "—" when there is nothing to divide. */
export function formatPercent(ratio: number | null): string {
  if (ratio === null || !Number.isFinite(ratio)) return "—";
  return `${(ratio * 100).toFixed(1)} %`;
}

/** Milliseconds for people: 850 ms, 12.4 s, 3.2 min. */
export function formatDuration(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return "—";
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1_000).toFixed(1)} s`;
  return `${(ms / 60_000).toFixed(1)} min`;
}

/** Bytes for people: 512 B, 1.5 KB, 3.2 MB, 1.1 GB. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KB", "MB", "GB", "TB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/** `2026-12` as "December 2026". */
export function monthLabel(month: string): string {
  const [year, number] = month.split("-");
  return `${MONTHS[Number(number) - 1] ?? month} ${year}`;
}

/** A UTC day `2026-12-03` as "3 Dec" (short axis label), with the year when `withYear`. */
export function dayLabel(day: string, withYear = false): string {
  const [year, month, date] = day.split("-");
  const name = (MONTHS[Number(month) - 1] ?? "").slice(0, 3);
  return `${Number(date)} ${name}${withYear ? ` ${year}` : ""}`;
}
