"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Wallet } from "lucide-react";
import { useState, type FormEvent, type ReactNode } from "react";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Dialog, DialogClose, DialogContent, DialogTrigger } from "~/components/ui/dialog";
import { TextField } from "~/components/ui/field";
import { formatUsd, monthLabel } from "~/lib/charts/format";
import { ZBudgetUsd } from "~/lib/schemas/usage";
import { useTRPC } from "~/trpc/react";
import { BudgetBar } from "./budget-bar";

/**
 * A project's optional monthly AI budget (`usage.setProjectBudget`), set or cleared by its owner, with the
 * month-to-date spend against it. Opened from the IDE's toolbar and from "My usage".
 */
export function ProjectBudgetDialog({
  projectId,
  projectName,
  trigger,
}: {
  projectId: string;
  projectName: string;
  /** The button that opens it; a small "AI budget" button when omitted. */
  trigger?: ReactNode;
}) {
  const [open, setOpen] = useState(false);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        {trigger ?? (
          <Button variant="ghost" size="sm" title="This project's monthly AI budget" aria-label="AI budget">
            <Wallet className="size-4" aria-hidden /> <span className="hidden 2xl:inline">AI budget</span>
          </Button>
        )}
      </DialogTrigger>
      {open && <BudgetForm projectId={projectId} projectName={projectName} />}
    </Dialog>
  );
}

function BudgetForm({ projectId, projectName }: { projectId: string; projectName: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const status = useQuery(trpc.usage.projectBudget.queryOptions({ projectId }));
  const [error, setError] = useState<string>();
  const [saved, setSaved] = useState<string>();
  const save = useMutation(
    trpc.usage.setProjectBudget.mutationOptions({
      // The panel's budget notice, "My usage" and this dialog all show it.
      onSuccess: () =>
        Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.usage.pathKey() }),
          queryClient.invalidateQueries({ queryKey: trpc.assistant.conversations.pathKey() }),
        ]),
    }),
  );
  const details = status.data?.details;
  const budget = details?.project?.budgetUsd ?? null;

  async function apply(budgetUsd: number | null) {
    setError(undefined);
    setSaved(undefined);
    try {
      const result = await save.mutateAsync({ projectId, budgetUsd });
      setSaved(result.budgetUsd === null ? "Budget removed." : `Budget set to ${formatUsd(result.budgetUsd)} a month.`);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const text = String(new FormData(event.currentTarget).get("budget") ?? "").trim();
    if (text === "") return void apply(null);
    const parsed = ZBudgetUsd.safeParse(Number(text));
    if (!parsed.success) {
      setSaved(undefined);
      return setError(parsed.error.issues[0]?.message ?? "Enter an amount in dollars.");
    }
    void apply(parsed.data);
  }

  return (
    <DialogContent
      title={`AI budget for ${projectName}`}
      description="An optional monthly limit on what Claude may spend in this project (UTC calendar month), on top of your own budget. At 80 % the assistant warns; at 100 % it refuses new turns."
    >
      {status.isError && (
        <Alert tone="error" className="mt-4">
          The budget could not be loaded: {status.error.message}
        </Alert>
      )}
      {details && (
        <form onSubmit={submit} className="mt-4 space-y-4" noValidate key={budget ?? "none"}>
          <div data-testid="project-budget-status">
            {details.project ? (
              <BudgetBar
                label={`Spent in ${monthLabel(details.month)}`}
                spentUsd={details.project.spentUsd}
                budgetUsd={details.project.budgetUsd}
              />
            ) : (
              <p className="text-sm">
                No project budget. Spent in {monthLabel(details.month)}:{" "}
                <span className="font-medium tabular-nums">{formatUsd(details.projectSpentUsd)}</span> (your own budget
                of {formatUsd(details.user.budgetUsd)} still applies).
              </p>
            )}
          </div>
          <TextField
            label="Monthly budget, USD"
            name="budget"
            inputMode="decimal"
            autoComplete="off"
            autoFocus
            defaultValue={budget === null ? "" : String(Number(budget))}
            placeholder="No budget"
            hint="Leave empty for no project budget."
            error={error}
          />
          {saved && <Alert tone="success">{saved}</Alert>}
          <div className="flex flex-wrap justify-end gap-2">
            {budget !== null && (
              <Button type="button" variant="ghost" onClick={() => void apply(null)} disabled={save.isPending}>
                Remove budget
              </Button>
            )}
            <DialogClose asChild>
              <Button type="button" variant="secondary">
                Close
              </Button>
            </DialogClose>
            <Button type="submit" pending={save.isPending}>
              Save budget
            </Button>
          </div>
        </form>
      )}
    </DialogContent>
  );
}
