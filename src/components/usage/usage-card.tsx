import { Card, CardHeader } from "~/components/ui/card";
import { TableHead } from "~/components/ui/table-head";
import { formatTokens, formatUsd, monthLabel } from "~/lib/charts/format";
import { CostWithUnpriced } from "./stat-card";

export interface MonthUsage {
  month: string;
  turns: number;
  tokens: { total: number };
  costUsd: string;
  unpricedTurns: number;
}

/**
 * Tokens and cost by month, newest first: the "My usage" page uses it for all of a user's projects and for each
 * one, and a project's dashboard can show it with that project's months (`usage.mine` with a projectId).
 */
export function UsageCard({
  title,
  description,
  months,
  emptyText = "No assistant turns in these months.",
}: {
  title: string;
  description?: string;
  months: readonly MonthUsage[];
  emptyText?: string;
}) {
  const used = months.filter((month) => month.turns > 0);
  return (
    <Card>
      <CardHeader title={title} description={description} />
      {used.length === 0 ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">{emptyText}</p>
      ) : (
        <table className="w-full text-left text-sm">
          <caption className="sr-only">{title}</caption>
          <TableHead columns={["Month", "Turns", "Tokens", "Cost"]} />
          <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
            {used.map((month) => (
              <tr key={month.month}>
                <th scope="row" className="py-2 font-normal">
                  {monthLabel(month.month)}
                </th>
                <td className="py-2 text-right tabular-nums">{month.turns}</td>
                <td className="py-2 text-right tabular-nums">{formatTokens(month.tokens.total)}</td>
                <td className="py-2 text-right tabular-nums">
                  <CostWithUnpriced costUsd={month.costUsd} unpricedTurns={month.unpricedTurns} format={formatUsd} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Card>
  );
}
