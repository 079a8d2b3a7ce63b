import type { ReactNode } from "react";
import { cn } from "~/lib/cn";

/** One headline figure: a label, the value, and a line of context. */
export function StatCard({
  label,
  value,
  detail,
  tone = "default",
}: {
  label: string;
  value: ReactNode;
  detail?: ReactNode;
  tone?: "default" | "warning";
}) {
  return (
    <div
      className={cn(
        "rounded-xl border bg-white p-4 shadow-xs dark:bg-zinc-900/60",
        tone === "warning" ? "border-amber-300 dark:border-amber-700/60" : "border-zinc-200 dark:border-zinc-800",
      )}
    >
      <dt className="text-xs font-medium uppercase tracking-wide text-zinc-500 dark:text-zinc-400">{label}</dt>
      <dd className="mt-1 text-2xl font-semibold tabular-nums tracking-tight">{value}</dd>
      {detail && <dd className="mt-1 text-xs text-zinc-600 dark:text-zinc-400">{detail}</dd>}
    </div>
  );
}

/** Cost of priced turns, and the unpriced ones beside it: never shown as $0. */
export function CostWithUnpriced({
  costUsd,
  unpricedTurns,
  format,
}: {
  costUsd: string;
  unpricedTurns: number;
  format(amount: string): string;
}) {
  return (
    <span className="inline-flex flex-wrap items-baseline gap-x-1.5">
      <span>{format(costUsd)}</span>
      {unpricedTurns > 0 && (
        <span className="rounded bg-amber-100 px-1.5 py-0.5 text-xs font-medium text-amber-900 dark:bg-amber-900/40 dark:text-amber-200">
          + {unpricedTurns} unpriced
        </span>
      )}
    </span>
  );
}
