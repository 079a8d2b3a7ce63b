import { Star } from "lucide-react";
import { StarsDisplay } from "~/components/templates/stars";

/**
 * The average with its count, and how many people gave each number of stars (5 down to 1) as a table: a bar for
 * the eye, the count and the share as text for everyone.
 */
export function RatingSummary({
  average,
  count,
  histogram,
}: {
  average: number;
  count: number;
  /** Ratings of 1, 2, 3, 4 and 5 stars. */
  histogram: number[];
}) {
  const total = histogram.reduce((sum, n) => sum + n, 0);
  return (
    <div className="space-y-3">
      <div className="flex items-baseline gap-3">
        <span className="text-4xl font-semibold tabular-nums" data-testid="rating-average">
          {count === 0 ? "–" : average.toFixed(1)}
        </span>
        <div className="space-y-0.5">
          {count > 0 && <StarsDisplay average={average} count={count} />}
          <p className="text-xs text-zinc-600 dark:text-zinc-400" data-testid="rating-count">
            {count === 0 ? "No ratings yet" : `${count.toLocaleString("en-US")} ${count === 1 ? "rating" : "ratings"}`}
          </p>
        </div>
      </div>
      <table className="w-full text-sm" data-testid="rating-histogram">
        <caption className="sr-only">Ratings by number of stars</caption>
        <thead className="sr-only">
          <tr>
            <th scope="col">Stars</th>
            <th scope="col">Bar</th>
            <th scope="col">Ratings</th>
            <th scope="col">Percentage</th>
          </tr>
        </thead>
        <tbody>
          {[5, 4, 3, 2, 1].map((stars) => {
            const n = histogram[stars - 1] ?? 0;
            const percent = total === 0 ? 0 : Math.round((n / total) * 100);
            return (
              <tr key={stars} data-testid={`histogram-${stars}`}>
                <th scope="row" className="w-16 py-0.5 pr-2 text-left font-normal whitespace-nowrap">
                  <span className="inline-flex items-center gap-1">
                    {stars} <Star className="size-3.5 fill-current text-amber-500" aria-hidden />
                    <span className="sr-only">{stars === 1 ? "star" : "stars"}</span>
                  </span>
                </th>
                <td className="py-0.5">
                  <div aria-hidden className="h-2 w-full overflow-hidden rounded-full bg-zinc-100 dark:bg-zinc-800">
                    <div className="h-full rounded-full bg-amber-500" style={{ width: `${percent}%` }} />
                  </div>
                </td>
                <td className="w-10 py-0.5 pl-2 text-right tabular-nums" data-testid={`histogram-${stars}-count`}>
                  {n.toLocaleString("en-US")}
                </td>
                <td className="w-12 py-0.5 pl-2 text-right text-zinc-500 tabular-nums dark:text-zinc-400">
                  {percent}%
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
