import { formatUsd } from "~/lib/charts/format";
import { cn } from "~/lib/cn";

/** A budget as a bar: spent against the budget, amber from 80 %, red at 100 %. */
export function BudgetBar({ label, spentUsd, budgetUsd }: { label: string; spentUsd: string; budgetUsd: string }) {
  const budget = Number(budgetUsd);
  const ratio = budget === 0 ? 1 : Number(spentUsd) / budget;
  const percent = Math.min(100, Math.round(ratio * 100));
  return (
    <div className="space-y-1.5">
      <div className="flex justify-between text-sm">
        <span>{label}</span>
        <span className="tabular-nums">
          {formatUsd(spentUsd)} of {formatUsd(budgetUsd)}
        </span>
      </div>
      <div
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={`${percent} % used`}
        className="h-2 rounded-full bg-zinc-100 dark:bg-zinc-800"
      >
        <div
          className={cn(
            "h-2 rounded-full",
            ratio >= 1 ? "bg-red-500" : ratio >= 0.8 ? "bg-amber-500" : "bg-emerald-500",
          )}
          style={{ width: `${percent}%` }}
        />
      </div>
    </div>
  );
}
