"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Dialog, DialogClose, DialogContent } from "~/components/ui/dialog";
import { SelectField, TextField } from "~/components/ui/field";
import { formatCount, formatCountOf, formatUsd } from "~/lib/charts/format";
import { cn } from "~/lib/cn";
import { ZRepriceInput, type TRepriceInput } from "~/lib/schemas/usage";
import type { RouterOutputs } from "~/server/api/root";
import { useTRPC } from "~/trpc/react";

type RepriceResult = RouterOutputs["admin"]["reprice"];
type Errors = Partial<Record<"model" | "from" | "to", string>>;

/** What the dialog starts with: a model (or all) and a range of UTC days. */
export interface RepriceDraft {
  model?: string;
  from: string;
  to: string;
}

function signedUsd(value: number): string {
  if (value === 0) return formatUsd(0);
  return `${value > 0 ? "+" : "−"}${formatUsd(Math.abs(value))}`;
}

function signedCount(value: number): string {
  return value === 0 ? "0" : `${value > 0 ? "+" : "−"}${formatCount(Math.abs(value))}`;
}

/** Who and what a re-pricing covers, in words. */
export function repriceScope(result: { model: string | null; from: string; to: string }): string {
  return `${result.model ?? "all models"}, ${result.from} to ${result.to}`;
}

/**
 * Re-prices a date range on purpose (`admin.reprice`): a dry run first shows the totals before and after, then an
 * explicit confirm runs it for real (audited). Changing the range after the preview asks for a new one.
 */
export function RepriceDialog({
  open,
  onOpenChange,
  draft,
  models,
  onDone,
}: {
  open: boolean;
  onOpenChange(open: boolean): void;
  draft: RepriceDraft;
  models: readonly string[];
  onDone(result: RepriceResult): void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [errors, setErrors] = useState<Errors>({});
  const [preview, setPreview] = useState<{ input: TRepriceInput; result: RepriceResult }>();
  const previewHeading = useRef<HTMLHeadingElement>(null);
  const dryRun = useMutation(trpc.admin.reprice.mutationOptions());
  const run = useMutation(trpc.admin.reprice.mutationOptions());
  const formRef = useRef<HTMLFormElement>(null);
  // Focus follows the answer: the first field in error, or the preview's heading (read out with its totals).
  useEffect(() => {
    if (Object.keys(errors).length > 0) formRef.current?.querySelector<HTMLElement>("[aria-invalid='true']")?.focus();
  }, [errors]);
  useEffect(() => {
    if (preview) previewHeading.current?.focus();
  }, [preview]);

  function reset(next: boolean) {
    setErrors({});
    setPreview(undefined);
    dryRun.reset();
    run.reset();
    onOpenChange(next);
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const model = String(form.get("model") ?? "");
    const parsed = ZRepriceInput.safeParse({
      model: model === "" ? undefined : model,
      from: String(form.get("from") ?? ""),
      to: String(form.get("to") ?? ""),
      dryRun: true,
    });
    setPreview(undefined);
    run.reset();
    if (!parsed.success) {
      const next: Errors = {};
      for (const issue of parsed.error.issues) {
        const key = String(issue.path[0] ?? "from") as keyof Errors;
        next[key] ??= issue.message;
      }
      setErrors(next);
      return;
    }
    setErrors({});
    try {
      const result = await dryRun.mutateAsync(parsed.data);
      setPreview({ input: parsed.data, result });
    } catch {
      // Shown from dryRun.error below.
    }
  }

  async function confirm() {
    if (!preview) return;
    try {
      const result = await run.mutateAsync({ ...preview.input, dryRun: false });
      // Costs changed: every dashboard, the price list (unpriced usage) and the audit log.
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: trpc.admin.pathKey() }),
        queryClient.invalidateQueries({ queryKey: trpc.usage.pathKey() }),
      ]);
      onDone(result);
      reset(false);
    } catch {
      // Shown from run.error below.
    }
  }

  const failure = dryRun.error ?? run.error;
  return (
    <Dialog open={open} onOpenChange={reset}>
      <DialogContent
        title="Re-price a date range"
        description="Recomputes the cost of every finished turn in the range with the price rows in effect when each ran. Preview first: nothing changes until you confirm."
        className="max-h-[calc(100dvh-2rem)] w-[min(40rem,calc(100vw-2rem))] overflow-y-auto"
      >
        <form
          ref={formRef}
          onSubmit={submit}
          onChange={() => preview && setPreview(undefined)}
          className="mt-4 space-y-4"
          noValidate
          data-testid="reprice-form"
        >
          <div className="grid gap-4 sm:grid-cols-2">
            <div className="sm:col-span-2">
              <SelectField label="Model" name="model" defaultValue={draft.model ?? ""} error={errors.model}>
                <option value="">All models</option>
                {models.map((model) => (
                  <option key={model} value={model}>
                    {model}
                  </option>
                ))}
              </SelectField>
            </div>
            <TextField label="From (UTC)" name="from" type="date" defaultValue={draft.from} error={errors.from} />
            <TextField label="To (UTC)" name="to" type="date" defaultValue={draft.to} error={errors.to} />
          </div>
          <div className="flex justify-end">
            <Button type="submit" variant="secondary" pending={dryRun.isPending}>
              Preview totals
            </Button>
          </div>
        </form>
        {failure && (
          <Alert tone="error" className="mt-4">
            {failure.message}
          </Alert>
        )}
        {preview && (
          <section className="mt-4 space-y-4" aria-labelledby="reprice-preview-heading" data-testid="reprice-preview">
            <h3 id="reprice-preview-heading" ref={previewHeading} tabIndex={-1} className="font-semibold outline-none">
              Preview: {repriceScope(preview.result)}
            </h3>
            <RepriceTotals result={preview.result} />
            <p className="text-sm text-zinc-600 dark:text-zinc-400">
              {preview.result.changed === 0
                ? `Every turn in the range (${formatCountOf(preview.result.interactions, "turn")}) already has this cost: nothing to change.`
                : `Turns whose cost changes: ${formatCount(preview.result.changed)} of ${formatCount(preview.result.interactions)} in the range. Confirming is recorded in the audit log.`}
            </p>
            <div className="flex justify-end gap-2">
              <DialogClose asChild>
                <Button type="button" variant="secondary">
                  Cancel
                </Button>
              </DialogClose>
              <Button
                type="button"
                variant="danger"
                onClick={() => void confirm()}
                pending={run.isPending}
                disabled={preview.result.changed === 0}
              >
                Re-price {formatCountOf(preview.result.changed, "turn")}
              </Button>
            </div>
          </section>
        )}
      </DialogContent>
    </Dialog>
  );
}

/** Before, after and the difference of a re-pricing: cost, priced and unpriced turns. */
export function RepriceTotals({ result }: { result: Pick<RepriceResult, "before" | "after"> }) {
  const { before, after } = result;
  const rows = [
    {
      label: "Cost",
      before: formatUsd(before.costUsd),
      after: formatUsd(after.costUsd),
      difference: signedUsd(Number(after.costUsd) - Number(before.costUsd)),
      changed: before.costUsd !== after.costUsd,
    },
    {
      label: "Priced turns",
      before: formatCount(before.priced),
      after: formatCount(after.priced),
      difference: signedCount(after.priced - before.priced),
      changed: before.priced !== after.priced,
    },
    {
      label: "Unpriced turns",
      before: formatCount(before.unpriced),
      after: formatCount(after.unpriced),
      difference: signedCount(after.unpriced - before.unpriced),
      changed: before.unpriced !== after.unpriced,
    },
  ];
  return (
    <table className="w-full text-left text-sm" data-testid="reprice-totals">
      <caption className="sr-only">Totals before and after re-pricing</caption>
      <thead className="text-xs uppercase tracking-wide text-zinc-500 dark:text-zinc-400">
        <tr>
          <th scope="col" className="py-2 font-medium">
            <span className="sr-only">Figure</span>
          </th>
          <th scope="col" className="py-2 text-right font-medium">
            Before
          </th>
          <th scope="col" className="py-2 text-right font-medium">
            After
          </th>
          <th scope="col" className="py-2 text-right font-medium">
            Difference
          </th>
        </tr>
      </thead>
      <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
        {rows.map((row) => (
          <tr key={row.label}>
            <th scope="row" className="py-2 font-normal">
              {row.label}
            </th>
            <td className="py-2 text-right tabular-nums">{row.before}</td>
            <td className="py-2 text-right font-medium tabular-nums">{row.after}</td>
            <td
              className={cn(
                "py-2 text-right tabular-nums",
                row.changed ? "text-amber-700 dark:text-amber-300" : "text-zinc-500 dark:text-zinc-400",
              )}
            >
              {row.difference}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
