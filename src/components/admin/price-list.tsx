"use client";

import { useQuery } from "@tanstack/react-query";
import { AlertTriangle, Plus, RefreshCw } from "lucide-react";
import { useState } from "react";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Card } from "~/components/ui/card";
import { formatCount, formatCountOf, formatRate, formatTokens, formatUsd, utcInstantLabel } from "~/lib/charts/format";
import { defaultRange } from "~/lib/charts/series";
import { cn } from "~/lib/cn";
import type { RouterOutputs } from "~/server/api/root";
import { useTRPC } from "~/trpc/react";
import { AuditLog } from "./audit-log";
import { PriceDialog, RATE_FIELDS, type PriceDraft } from "./price-dialog";
import { RepriceDialog, repriceScope, type RepriceDraft } from "./reprice-dialog";

type Prices = RouterOutputs["admin"]["prices"]["list"];
type ModelPrices = Prices["models"][number];
type PriceRow = ModelPrices["prices"][number];

const DAY_MS = 86_400_000;

function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/** The first day a new row of the model may start on: today, or the day after its latest row. */
function firstFreeDay(model: ModelPrices | undefined): string {
  const latest = model?.prices[0]?.effectiveFrom;
  if (!latest) return today();
  const next = new Date(Math.floor(latest.getTime() / DAY_MS) * DAY_MS + DAY_MS).toISOString().slice(0, 10);
  return next > today() ? next : today();
}

function draftFor(model: string | undefined, models: Prices["models"]): PriceDraft {
  const entry = models.find((candidate) => candidate.model === model);
  const latest = entry?.prices[0];
  return {
    model,
    effectiveFrom: firstFreeDay(entry),
    rates: latest?.rates,
    longContext: latest?.longContext ?? null,
  };
}

/** Short names of the rates, for the long-context tier's one cell. */
const LONG_CONTEXT_LABELS = [
  ["input", "in"],
  ["output", "out"],
  ["cacheWrite5m", "5 min write"],
  ["cacheWrite1h", "1 h write"],
  ["cacheRead", "read"],
] as const;

const STATE_CLASSES: Record<PriceRow["state"], string> = {
  current: "bg-emerald-100 text-emerald-800 dark:bg-emerald-900/40 dark:text-emerald-200",
  scheduled: "bg-brand-50 text-brand-700 dark:bg-brand-700/25 dark:text-brand-100",
  past: "bg-zinc-100 text-zinc-600 dark:bg-zinc-800 dark:text-zinc-400",
};

/** The admin's price table: dated rows per model, unpriced usage, adding a row, re-pricing, the audit log. */
export function PriceList() {
  const trpc = useTRPC();
  const prices = useQuery(trpc.admin.prices.list.queryOptions());
  const [priceDraft, setPriceDraft] = useState<PriceDraft>();
  const [repriceDraft, setRepriceDraft] = useState<RepriceDraft>();
  const [success, setSuccess] = useState<string>();

  if (prices.isError) return <Alert tone="error">The prices could not be loaded: {prices.error.message}</Alert>;
  if (!prices.data) return null;
  const { models, unpricedUsage } = prices.data;
  const modelNames = [...new Set([...models.map((m) => m.model), ...unpricedUsage.map((u) => u.model)])].sort();
  const addPrice = (model?: string) => {
    setSuccess(undefined);
    setPriceDraft(draftFor(model, models));
  };
  const reprice = (model?: string) => {
    setSuccess(undefined);
    setRepriceDraft({ model, ...defaultRange(30) });
  };

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap gap-2">
        <Button onClick={() => addPrice()}>
          <Plus className="size-4" aria-hidden /> Add a price
        </Button>
        <Button variant="secondary" onClick={() => reprice()}>
          <RefreshCw className="size-4" aria-hidden /> Re-price a date range
        </Button>
      </div>
      {success && (
        <Alert tone="success">
          <span data-testid="prices-success">{success}</span>
        </Alert>
      )}
      {unpricedUsage.length > 0 && (
        <section
          aria-labelledby="unpriced-heading"
          className="rounded-xl border border-amber-300 bg-amber-50 p-5 text-amber-950 dark:border-amber-700/60 dark:bg-amber-950/40 dark:text-amber-50"
          data-testid="unpriced-usage"
        >
          <h2 id="unpriced-heading" className="flex items-center gap-2 font-semibold">
            <AlertTriangle className="size-4 shrink-0" aria-hidden /> Unpriced usage
          </h2>
          <p className="mt-1 text-sm">
            These models were used without a price in effect, so their turns are counted as unpriced (never as $0). Add
            a price that starts on or before the first turn, then re-price the range.
          </p>
          <ul className="mt-3 space-y-2">
            {unpricedUsage.map((usage) => (
              <li
                key={usage.model}
                className="flex flex-wrap items-center gap-x-4 gap-y-2 text-sm"
                data-testid="unpriced-model"
              >
                <span className="font-mono font-medium">{usage.model}</span>
                <span>
                  {formatCountOf(usage.interactions, "unpriced turn")} · {formatTokens(usage.tokens)} tokens
                </span>
                <span className="ml-auto flex gap-2">
                  {!usage.hasPrice && (
                    <Button
                      size="sm"
                      onClick={() => addPrice(usage.model)}
                      aria-label={`Add a price for ${usage.model}`}
                    >
                      Add a price
                    </Button>
                  )}
                  <Button
                    size="sm"
                    variant="secondary"
                    onClick={() => reprice(usage.model)}
                    aria-label={`Re-price ${usage.model}`}
                  >
                    Re-price
                  </Button>
                </span>
              </li>
            ))}
          </ul>
        </section>
      )}
      {models.length === 0 && (
        <Card>
          <p className="text-sm text-zinc-600 dark:text-zinc-400">No prices yet. Add one for each model you offer.</p>
        </Card>
      )}
      {models.map((model) => (
        <ModelCard
          key={model.model}
          model={model}
          unpricedTurns={unpricedUsage.find((usage) => usage.model === model.model)?.interactions ?? 0}
          onAdd={() => addPrice(model.model)}
        />
      ))}
      <AuditLog title="Recent price changes and re-pricing" actions={["price.create", "usage.reprice"]} />
      {priceDraft && (
        <PriceDialog
          // A new draft is a new form: its fields start from the draft's values.
          key={`${priceDraft.model ?? ""}-${priceDraft.effectiveFrom}`}
          open
          onOpenChange={(open) => !open && setPriceDraft(undefined)}
          draft={priceDraft}
          onCreated={setSuccess}
        />
      )}
      {repriceDraft && (
        <RepriceDialog
          open
          onOpenChange={(open) => !open && setRepriceDraft(undefined)}
          draft={repriceDraft}
          models={modelNames}
          onDone={(result) =>
            setSuccess(
              `Re-priced ${repriceScope(result)}: ${formatCountOf(result.changed, "turn")} changed, cost ${formatUsd(result.before.costUsd)} → ${formatUsd(result.after.costUsd)}, unpriced turns ${formatCount(result.before.unpriced)} → ${formatCount(result.after.unpriced)}.`,
            )
          }
        />
      )}
    </div>
  );
}

function ModelCard({ model, unpricedTurns, onAdd }: { model: ModelPrices; unpricedTurns: number; onAdd(): void }) {
  const headingId = `prices-${model.model.replace(/[^A-Za-z0-9_-]/g, "_")}`;
  return (
    <Card className="p-0">
      <section aria-labelledby={headingId} data-testid="model-prices" data-model={model.model}>
        <div className="flex flex-wrap items-center gap-3 px-6 pt-5">
          <h2 id={headingId} className="font-mono text-lg font-semibold tracking-tight">
            {model.model}
          </h2>
          {unpricedTurns > 0 && (
            <span className="rounded bg-amber-100 px-1.5 py-0.5 text-xs font-medium text-amber-900 dark:bg-amber-900/40 dark:text-amber-200">
              {formatCountOf(unpricedTurns, "unpriced turn")}
            </span>
          )}
          {!model.current && (
            <span className="rounded bg-zinc-100 px-1.5 py-0.5 text-xs font-medium text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300">
              no price in effect now
            </span>
          )}
          <Button
            size="sm"
            variant="secondary"
            className="ml-auto"
            onClick={onAdd}
            aria-label={`Add a price for ${model.model}`}
          >
            <Plus className="size-4" aria-hidden /> Add a price
          </Button>
        </div>
        <div className="overflow-x-auto p-2">
          <table className="w-full min-w-[60rem] table-fixed text-left text-sm">
            <caption className="sr-only">Prices of {model.model}, USD per million tokens, newest first</caption>
            <thead className="text-xs uppercase tracking-wide text-zinc-500 dark:text-zinc-400">
              <tr>
                <th scope="col" className="w-32 px-3 py-2 font-medium">
                  Effective from
                </th>
                <th scope="col" className="w-24 px-3 py-2 font-medium">
                  <span className="sr-only">State</span>
                </th>
                {RATE_FIELDS.map(([key, label]) => (
                  <th key={key} scope="col" className="w-24 px-3 py-2 text-right font-medium">
                    {label}
                  </th>
                ))}
                <th scope="col" className="px-3 py-2 font-medium">
                  Long context
                </th>
                <th scope="col" className="w-40 px-3 py-2 font-medium">
                  Added by
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
              {model.prices.map((row) => (
                <tr key={row.id} data-testid="price-row" data-state={row.state}>
                  <th scope="row" className="whitespace-nowrap px-3 py-2 font-normal tabular-nums">
                    <time dateTime={row.effectiveFrom.toISOString()}>{utcInstantLabel(row.effectiveFrom)}</time>
                  </th>
                  <td className="px-3 py-2">
                    <span className={cn("rounded-full px-2 py-0.5 text-xs font-medium", STATE_CLASSES[row.state])}>
                      {row.state}
                    </span>
                  </td>
                  {RATE_FIELDS.map(([key]) => (
                    <td key={key} className="px-3 py-2 text-right tabular-nums">
                      {formatRate(row.rates[key])}
                    </td>
                  ))}
                  <td className="px-3 py-2 text-xs">
                    {row.longContext ? (
                      <span>
                        above {formatTokens(row.longContext.threshold)} prompt tokens:{" "}
                        <span className="tabular-nums">
                          {LONG_CONTEXT_LABELS.map(
                            ([key, label]) => `${label} ${formatRate(row.longContext!.rates[key])}`,
                          ).join(" · ")}
                        </span>
                      </span>
                    ) : (
                      <span className="text-zinc-500 dark:text-zinc-400">none</span>
                    )}
                  </td>
                  <td className="px-3 py-2 text-xs">
                    <span>
                      {row.createdByName ? `@${row.createdByName}` : row.createdBy ? "a deleted account" : "seed"}
                    </span>
                    {row.note && <span className="block text-zinc-500 dark:text-zinc-400">{row.note}</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </Card>
  );
}
