"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { Alert } from "~/components/ui/alert";
import { Card, CardHeader } from "~/components/ui/card";
import { formatTokens, formatUsd, monthLabel } from "~/lib/charts/format";
import { cn } from "~/lib/cn";
import { useTRPC } from "~/trpc/react";
import { CostWithUnpriced } from "./stat-card";
import { UsageCard } from "./usage-card";

const SOURCE: Record<string, string> = {
  override: "set for you by an administrator",
  default: "the default budget",
  "premium-default": "the premium default",
};

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

/** The signed-in user's own usage: budget this month, by month, by project. */
export function MyUsage() {
  const trpc = useTRPC();
  const mine = useQuery(trpc.usage.mine.queryOptions({ months: 12 }));
  if (mine.isError) return <Alert tone="error">Your usage could not be loaded: {mine.error.message}</Alert>;
  if (!mine.data) return null;
  const { budget, month, byMonth, byProject, budgets } = mine.data;
  return (
    <div className="space-y-6">
      <Card>
        <CardHeader
          title={`Budget for ${monthLabel(month)}`}
          description={`Your monthly AI budget is ${formatUsd(budget.budgetUsd)} (${SOURCE[budget.source] ?? "your budget"}). At 80 % the assistant warns you; at 100 % it refuses new turns until the month ends.`}
        />
        <div className="space-y-4">
          <BudgetBar label="You, all projects" spentUsd={budget.spentUsd} budgetUsd={budget.budgetUsd} />
          {budgets.map((project) => (
            <BudgetBar
              key={project.projectId}
              label={`Project ${project.projectName}`}
              spentUsd={project.spentUsd}
              budgetUsd={project.budgetUsd}
            />
          ))}
        </div>
      </Card>
      <div className="grid gap-6 lg:grid-cols-2">
        <UsageCard title="By month" description="All your projects, the last 12 months." months={byMonth} />
        <Card>
          <CardHeader title="By project" description="The last 12 months." />
          {byProject.length === 0 ? (
            <p className="text-sm text-zinc-600 dark:text-zinc-400">
              No assistant turns yet. Open a{" "}
              <Link href="/projects" className="underline">
                project
              </Link>{" "}
              and ask Claude; what it costs shows up here.
            </p>
          ) : (
            <table className="w-full text-left text-sm">
              <caption className="sr-only">Usage by project</caption>
              <thead className="text-xs uppercase tracking-wide text-zinc-500 dark:text-zinc-400">
                <tr>
                  <th scope="col" className="py-2 font-medium">
                    Project
                  </th>
                  <th scope="col" className="py-2 text-right font-medium">
                    Turns
                  </th>
                  <th scope="col" className="py-2 text-right font-medium">
                    Tokens
                  </th>
                  <th scope="col" className="py-2 text-right font-medium">
                    Cost
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
                {byProject.map((project) => (
                  <tr key={project.projectId}>
                    <th scope="row" className="max-w-56 truncate py-2 font-normal">
                      {project.projectName ? (
                        <Link href={`/projects/${project.projectId}`} className="hover:underline">
                          {project.projectName}
                        </Link>
                      ) : (
                        <span className="text-zinc-500">Deleted project</span>
                      )}
                    </th>
                    <td className="py-2 text-right tabular-nums">{project.turns}</td>
                    <td className="py-2 text-right tabular-nums">{formatTokens(project.tokens.total)}</td>
                    <td className="py-2 text-right tabular-nums">
                      <CostWithUnpriced
                        costUsd={project.costUsd}
                        unpricedTurns={project.unpricedTurns}
                        format={formatUsd}
                      />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Card>
      </div>
    </div>
  );
}
