"use client";
import { TableHead } from "~/components/ui/table-head";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Card, CardHeader } from "~/components/ui/card";
import { formatTokens, formatUsd, monthLabel } from "~/lib/charts/format";
import { useTRPC } from "~/trpc/react";
import { ProjectBudgetDialog } from "./project-budget-dialog";
import { BudgetBar } from "./budget-bar";
import { CostWithUnpriced } from "./stat-card";
import { UsageCard } from "./usage-card";

const SOURCE: Record<string, string> = {
  override: "set for you by an administrator",
  default: "the default budget",
  "premium-default": "the premium default",
};

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
              <TableHead columns={["Project", "Turns", "Tokens", "Cost", "Budget"]} />
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
                    <td className="py-2 text-right">
                      {project.projectName && (
                        <ProjectBudgetDialog
                          projectId={project.projectId}
                          projectName={project.projectName}
                          trigger={
                            <Button
                              variant="secondary"
                              size="sm"
                              className="tabular-nums"
                              aria-label={`AI budget for ${project.projectName}`}
                            >
                              {project.budgetUsd === null ? "Set" : formatUsd(project.budgetUsd)}
                            </Button>
                          }
                        />
                      )}
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
