/**
 * Pure preparers that turn the dashboard's sparse rows into what the charts draw: every period of the range present
 * (missing days or weeks as zeros), weeks bucketed by their Monday in UTC, one stacked key per model. Client-safe.
 */

export type Granularity = "day" | "week";

const DAY_MS = 86_400_000;

function parseDay(day: string): number {
  return Date.parse(`${day}T00:00:00Z`);
}

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The Monday (UTC) of the ISO week holding `day`, as `YYYY-MM-DD` (PostgreSQL's date_trunc('week', day)). */
export function weekStart(day: string): string {
  const ms = parseDay(day);
  const weekday = (new Date(ms).getUTCDay() + 6) % 7; // Monday 0 .. Sunday 6
  return isoDay(ms - weekday * DAY_MS);
}

/** The key of the period holding `day`. */
export function periodOf(day: string, granularity: Granularity): string {
  return granularity === "week" ? weekStart(day) : day;
}

/** Every period from `from` to `to` (both days included), in order: each day, or each week's Monday. */
export function periodsInRange(from: string, to: string, granularity: Granularity): string[] {
  const periods: string[] = [];
  const end = parseDay(to);
  const step = granularity === "week" ? 7 * DAY_MS : DAY_MS;
  for (let ms = parseDay(periodOf(from, granularity)); ms <= end; ms += step) periods.push(isoDay(ms));
  return periods;
}

export interface SeriesRow {
  period: string;
  model: string;
  turns: number;
  tokens: { total: number };
  costUsd: string;
  unpricedTurns: number;
}

export type Metric = "cost" | "tokens" | "turns";

function valueOf(row: SeriesRow, metric: Metric): number {
  if (metric === "cost") return Number(row.costUsd);
  if (metric === "tokens") return row.tokens.total;
  return row.turns;
}

/** One chart point: the period, then one number per model (0 where it had none). */
export type StackedPoint = { period: string } & Record<string, number | string>;

/**
 * The rows stacked by model over every period of the range: `[{ period, "model-a": n, "model-b": m }, ...]`, with
 * the models in order of their total (largest first), so the biggest series sits at the bottom of the stack.
 */
export function stackByModel(
  rows: readonly SeriesRow[],
  range: { from: string; to: string; granularity: Granularity },
  metric: Metric,
): { models: string[]; points: StackedPoint[] } {
  const totals = new Map<string, number>();
  const cells = new Map<string, number>();
  for (const row of rows) {
    const period = periodOf(row.period, range.granularity);
    const value = valueOf(row, metric);
    totals.set(row.model, (totals.get(row.model) ?? 0) + value);
    const key = `${period}\u0000${row.model}`;
    cells.set(key, (cells.get(key) ?? 0) + value);
  }
  const models = [...totals.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([model]) => model);
  const points = periodsInRange(range.from, range.to, range.granularity).map((period) => {
    const point: StackedPoint = { period };
    for (const model of models) point[model] = round(cells.get(`${period}\u0000${model}`) ?? 0, metric);
    return point;
  });
  return { models, points };
}

/** Sums of all models per period (a table fallback of a chart, or a single line). */
export function totalsByPeriod(
  rows: readonly SeriesRow[],
  range: { from: string; to: string; granularity: Granularity },
): { period: string; turns: number; tokens: number; costUsd: number; unpricedTurns: number }[] {
  const byPeriod = new Map<string, { turns: number; tokens: number; costUsd: number; unpricedTurns: number }>();
  for (const row of rows) {
    const period = periodOf(row.period, range.granularity);
    const sum = byPeriod.get(period) ?? { turns: 0, tokens: 0, costUsd: 0, unpricedTurns: 0 };
    sum.turns += row.turns;
    sum.tokens += row.tokens.total;
    sum.costUsd = round(sum.costUsd + Number(row.costUsd), "cost");
    sum.unpricedTurns += row.unpricedTurns;
    byPeriod.set(period, sum);
  }
  return periodsInRange(range.from, range.to, range.granularity).map((period) => ({
    period,
    ...(byPeriod.get(period) ?? { turns: 0, tokens: 0, costUsd: 0, unpricedTurns: 0 }),
  }));
}

function round(value: number, metric: Metric): number {
  return metric === "cost" ? Math.round(value * 1e6) / 1e6 : value;
}

/** A stable colour per series index, readable on light and dark backgrounds. */
export const SERIES_COLORS = ["#6366f1", "#14b8a6", "#f59e0b", "#ec4899", "#3b82f6", "#84cc16", "#a855f7", "#ef4444"];

export function seriesColor(index: number): string {
  return SERIES_COLORS[index % SERIES_COLORS.length]!;
}

/** Shares of a whole for a bar/pie of token kinds; zero total gives zero shares. */
export function shares<T extends string>(parts: Record<T, number>): { key: T; value: number; share: number }[] {
  const total = Object.values<number>(parts).reduce((sum, value) => sum + value, 0);
  return (Object.entries(parts) as [T, number][]).map(([key, value]) => ({
    key,
    value,
    share: total === 0 ? 0 : value / total,
  }));
}

/** The last `days` UTC days ending today (both included), the dashboard's default range and quick ranges. */
export function defaultRange(days: number, now = new Date()): { from: string; to: string } {
  const to = now.toISOString().slice(0, 10);
  return { from: isoDay(parseDay(to) - (days - 1) * DAY_MS), to };
}
