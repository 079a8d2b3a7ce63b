import { Star } from "lucide-react";
import { cn } from "~/lib/cn";

/**
 * A rating as five stars (filled to the tenth), with the plain average and the count beside it, so the order of
 * "top rated" (a Bayesian score) never looks rigged. Screen readers hear one sentence.
 */
export function StarsDisplay({
  average,
  count,
  size = "sm",
  className,
}: {
  average: number;
  count: number;
  size?: "sm" | "md";
  className?: string;
}) {
  const label =
    count === 0
      ? "Not rated yet"
      : `Rated ${average.toFixed(1)} out of 5 by ${count.toLocaleString("en-US")} ${count === 1 ? "person" : "people"}`;
  const icon = size === "sm" ? "size-3.5" : "size-5";
  return (
    <span className={cn("inline-flex items-center gap-1.5", className)} role="img" aria-label={label} title={label}>
      <span className="relative inline-flex" aria-hidden>
        <span className="flex text-zinc-300 dark:text-zinc-600">
          {[0, 1, 2, 3, 4].map((i) => (
            <Star key={i} className={cn(icon, "fill-current")} />
          ))}
        </span>
        <span
          className="absolute inset-y-0 left-0 flex overflow-hidden text-amber-500"
          style={{ width: `${(Math.max(0, Math.min(5, average)) / 5) * 100}%` }}
        >
          {[0, 1, 2, 3, 4].map((i) => (
            <Star key={i} className={cn(icon, "shrink-0 fill-current")} />
          ))}
        </span>
      </span>
      <span aria-hidden className="text-xs text-zinc-600 tabular-nums dark:text-zinc-400">
        {count === 0 ? "No ratings" : `${average.toFixed(1)} (${count.toLocaleString("en-US")})`}
      </span>
    </span>
  );
}
