"use client";
import { TableHead } from "~/components/ui/table-head";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { AlertTriangle, BarChart3, Download } from "lucide-react";
import Link from "next/link";
import { useState, type FormEvent } from "react";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Card, CardHeader } from "~/components/ui/card";
import { inputClasses } from "~/components/ui/field";
import {
  dayLabel,
  formatBytes,
  formatCount,
  formatDuration,
  formatPercent,
  formatTokens,
  formatUsd,
} from "~/lib/charts/format";
import { defaultRange, seriesColor, stackByModel, type Granularity } from "~/lib/charts/series";
import { cn } from "~/lib/cn";
import { MAX_RANGE_DAYS, ZSetBudgetDefaultsInput, daysInRange } from "~/lib/schemas/usage";
import type { RouterOutputs } from "~/server/api/root";
import { useTRPC } from "~/trpc/react";
import { CostWithUnpriced, StatCard } from "./stat-card";
import { StackedUsageChart } from "./usage-chart";

type Dashboard = RouterOutputs["usage"]["dashboard"];
type Figures = Pick<Dashboard["totals"], "turns" | "failures" | "tokens" | "costUsd" | "unpricedTurns">;

const PRESETS = [7, 30, 90, 365] as const;

export function AdminUsageDashboard({ initial }: { initial: { from: string; to: string; granularity: Granularity } }) {
  const trpc = useTRPC();
  const [range, setRange] = useState(initial);
  const [draft, setDraft] = useState({ from: initial.from, to: initial.to });
  const [rangeError, setRangeError] = useState<string>();
  const dashboard = useQuery({
    ...trpc.usage.dashboard.queryOptions({ ...range, top: 10 }),
    placeholderData: keepPreviousData,
  });

  function apply(next: { from: string; to: string }) {
    if (!next.from || !next.to) return setRangeError("Choose both dates.");
    if (next.from > next.to) return setRangeError("The start date must not be after the end date.");
    if (daysInRange(next.from, next.to) > MAX_RANGE_DAYS) {
      return setRangeError(`Choose a range of at most ${MAX_RANGE_DAYS} days.`);
    }
    setRangeError(undefined);
    setDraft(next);
    setRange({ ...range, ...next });
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    apply(draft);
  }

  const data = dashboard.data;
  const csv = `/api/admin/usage/export?from=${range.from}&to=${range.to}`;
  return (
    <div className="space-y-6">
      <form onSubmit={submit} className="flex flex-wrap items-end gap-3" aria-label="Date range">
        <DateInput label="From" name="from" value={draft.from} onChange={(from) => setDraft({ ...draft, from })} />
        <DateInput label="To" name="to" value={draft.to} onChange={(to) => setDraft({ ...draft, to })} />
        <Button type="submit" variant="secondary">
          Show
        </Button>
        <div className="flex gap-1" role="group" aria-label="Quick ranges">
          {PRESETS.map((days) => (
            <Button key={days} type="button" variant="ghost" size="sm" onClick={() => apply(defaultRange(days))}>
              {days === 365 ? "1 year" : `${days} days`}
            </Button>
          ))}
        </div>
        <div
          className="ml-auto inline-flex rounded-md border border-zinc-300 p-0.5 dark:border-zinc-700"
          role="radiogroup"
          aria-label="Group by"
        >
          {(["day", "week"] as const).map((granularity) => (
            <button
              key={granularity}
              type="button"
              role="radio"
              aria-checked={range.granularity === granularity}
              onClick={() => setRange({ ...range, granularity })}
              className={cn(
                "rounded px-3 py-1 text-sm font-medium focus-visible:outline-2 focus-visible:outline-brand-500",
                range.granularity === granularity
                  ? "bg-zinc-900 text-white dark:bg-zinc-100 dark:text-zinc-900"
                  : "text-zinc-600 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800",
              )}
            >
              By {granularity}
            </button>
          ))}
        </div>
        <Button asChild variant="secondary">
          <a href={csv} download>
            <Download className="size-4" aria-hidden /> CSV
          </a>
        </Button>
      </form>
      {rangeError && <Alert tone="error">{rangeError}</Alert>}
      {dashboard.isError && <Alert tone="error">The usage could not be loaded: {dashboard.error.message}</Alert>}
      {data && <DashboardBody data={data} granularity={range.granularity} />}
      <BudgetDefaults />
    </div>
  );
}

function DashboardBody({ data, granularity }: { data: Dashboard; granularity: Granularity }) {
  const { totals } = data;
  const chartRange = { from: data.range.from, to: data.range.to, granularity };
  const cost = stackByModel(data.series, chartRange, "cost");
  const tokens = stackByModel(data.series, chartRange, "tokens");
  // One colour per model on every chart, in the order of the by-model table (largest cost first).
  const modelOrder = data.byModel.map((row) => row.model);
  const colorOf = (model: string) => seriesColor(Math.max(0, modelOrder.indexOf(model)));
  const periodLabel = (period: string) => (granularity === "week" ? `Week of ${dayLabel(period)}` : dayLabel(period));
  return (
    <div className="space-y-6" aria-live="polite">
      <p className="text-sm text-zinc-600 dark:text-zinc-400" data-testid="usage-range">
        {dayLabel(data.range.from, true)} – {dayLabel(data.range.to, true)} (UTC)
      </p>
      {totals.unpricedTurns > 0 && (
        <div
          role="status"
          className="flex gap-3 rounded-lg border border-amber-300 bg-amber-50 p-4 text-sm text-amber-900 dark:border-amber-700/60 dark:bg-amber-950/40 dark:text-amber-100"
        >
          <AlertTriangle className="mt-0.5 size-4 shrink-0" aria-hidden />
          <p>
            <strong>{formatCount(totals.unpricedTurns)} unpriced turns</strong> ({formatTokens(totals.unpricedTokens)}{" "}
            tokens) used models without a price: they are not in the cost below. Models:{" "}
            {data.byModel
              .filter((model) => model.unpricedTurns > 0)
              .map((model) => model.model)
              .join(", ")}
            .{" "}
            <Link href="/admin/prices" className="font-medium underline underline-offset-2">
              Add a price, then re-price the range
            </Link>
            .
          </p>
        </div>
      )}
      <dl className="grid grid-cols-2 gap-3 md:grid-cols-4" data-testid="usage-headline">
        <StatCard
          label="Cost"
          value={formatUsd(totals.costUsd)}
          detail={
            totals.unpricedTurns > 0 ? `+ ${formatCount(totals.unpricedTurns)} unpriced turns` : "all turns priced"
          }
          tone={totals.unpricedTurns > 0 ? "warning" : "default"}
        />
        <StatCard
          label="Turns"
          value={formatCount(totals.turns)}
          detail={`${formatPercent(totals.errorRate)} failed · ${totals.activeUsers} users`}
        />
        <StatCard
          label="Tokens"
          value={formatTokens(totals.tokens.total)}
          detail={`${formatTokens(totals.tokens.input)} in · ${formatTokens(totals.tokens.output)} out`}
        />
        <StatCard
          label="Cache hit rate"
          value={formatPercent(totals.cacheHitRate)}
          detail={`${formatTokens(totals.tokens.cacheRead)} read · ${formatTokens(totals.tokens.cacheWrite5m + totals.tokens.cacheWrite1h)} written`}
        />
        <StatCard
          label="Latency p50"
          value={formatDuration(totals.latency.p50Ms)}
          detail={`p95 ${formatDuration(totals.latency.p95Ms)}`}
        />
        <StatCard label="Users" value={formatCount(data.install.users)} detail={`${data.install.activeUsers} active`} />
        <StatCard
          label="Projects"
          value={formatCount(data.install.projects)}
          detail={`${formatCount(data.install.files)} files`}
        />
        <StatCard label="Storage" value={formatBytes(data.install.storageBytes)} detail="all project files" />
      </dl>

      {totals.turns === 0 ? (
        <Card>
          <div className="flex flex-col items-center py-8 text-center">
            <BarChart3 className="size-8 text-zinc-400" aria-hidden />
            <p className="mt-3 font-medium">No assistant turns in this range</p>
            <p className="mt-1 max-w-md text-sm text-zinc-600 dark:text-zinc-400">
              Usage appears here as soon as someone asks Claude in a project. Try a longer range, or check that
              ANTHROPIC_API_KEY is set.
            </p>
          </div>
        </Card>
      ) : (
        <>
          <Card>
            <div className="grid gap-8 lg:grid-cols-2">
              <StackedUsageChart
                title={`Cost by model, per ${granularity}`}
                metric="cost"
                models={cost.models}
                points={cost.points}
                periodLabel={periodLabel}
                colorOf={colorOf}
              />
              <StackedUsageChart
                title={`Tokens by model, per ${granularity}`}
                metric="tokens"
                models={tokens.models}
                points={tokens.points}
                periodLabel={periodLabel}
                colorOf={colorOf}
              />
            </div>
          </Card>
          <TokenKinds tokens={totals.tokens} />
          <FiguresTable
            title="By model"
            rows={data.byModel.map((row) => ({ key: row.model, label: row.model, figures: row }))}
          />
          <FiguresTable
            title="By interaction type"
            rows={data.byType.map((row) => ({ key: row.interactionType, label: row.interactionType, figures: row }))}
          />
          <div className="grid gap-6 lg:grid-cols-2">
            <FiguresTable
              title="Top users"
              rows={data.topUsers.map((row) => ({
                key: row.userId,
                label: row.username ? `@${row.username}` : "Deleted user",
                figures: row,
              }))}
            />
            <FiguresTable
              title="Top projects"
              rows={data.topProjects.map((row) => ({
                key: row.projectId,
                label: row.name ? `${row.name}${row.owner ? ` (@${row.owner})` : ""}` : "Deleted project",
                figures: row,
              }))}
            />
          </div>
        </>
      )}
    </div>
  );
}

function TokenKinds({ tokens }: { tokens: Dashboard["totals"]["tokens"] }) {
  const kinds = [
    ["Input (uncached)", tokens.input],
    ["Output", tokens.output],
    ["Cache read", tokens.cacheRead],
    ["Cache write, 5 min", tokens.cacheWrite5m],
    ["Cache write, 1 h", tokens.cacheWrite1h],
  ] as const;
  return (
    <Card>
      <CardHeader
        title="Tokens by kind"
        description="Cache tokens come on top of input tokens, as the API reports them."
      />
      <ul className="space-y-2">
        {kinds.map(([label, value]) => {
          const share = tokens.total === 0 ? 0 : value / tokens.total;
          return (
            <li key={label} className="grid grid-cols-[10rem_1fr_5rem] items-center gap-3 text-sm">
              <span>{label}</span>
              <span className="h-2 rounded-full bg-zinc-100 dark:bg-zinc-800" aria-hidden>
                <span
                  className="block h-2 rounded-full bg-brand-500"
                  style={{ width: `${(share * 100).toFixed(1)}%` }}
                />
              </span>
              <span className="text-right tabular-nums">
                {formatTokens(value)} <span className="sr-only">({formatPercent(share)})</span>
              </span>
            </li>
          );
        })}
      </ul>
    </Card>
  );
}

function FiguresTable({ title, rows }: { title: string; rows: { key: string; label: string; figures: Figures }[] }) {
  return (
    <Card className="p-0">
      <h2 className="px-6 pt-5 text-lg font-semibold tracking-tight">{title}</h2>
      <div className="overflow-x-auto p-2">
        <table className="w-full text-left text-sm">
          <caption className="sr-only">{title}</caption>
          <TableHead columns={["Name", "Turns", "Failed", "Tokens", "Cost"]} cellClassName="px-3" />
          <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
            {rows.map(({ key, label, figures }) => (
              <tr key={key}>
                <th scope="row" className="max-w-44 truncate px-3 py-2 font-normal" title={label}>
                  {label}
                </th>
                <td className="px-3 py-2 text-right tabular-nums">{formatCount(figures.turns)}</td>
                <td className="px-3 py-2 text-right tabular-nums">
                  {formatPercent(figures.turns === 0 ? null : figures.failures / figures.turns)}
                </td>
                <td className="px-3 py-2 text-right tabular-nums">{formatTokens(figures.tokens.total)}</td>
                <td className="px-3 py-2 text-right tabular-nums">
                  {figures.unpricedTurns === figures.turns ? (
                    <span className="rounded bg-amber-100 px-1.5 py-0.5 text-xs font-medium text-amber-900 dark:bg-amber-900/40 dark:text-amber-200">
                      unpriced
                    </span>
                  ) : (
                    <CostWithUnpriced
                      costUsd={figures.costUsd}
                      unpricedTurns={figures.unpricedTurns}
                      format={formatUsd}
                    />
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {rows.length === 0 && (
          <p className="px-4 py-3 text-sm text-zinc-600 dark:text-zinc-400">Nothing in this range.</p>
        )}
      </div>
    </Card>
  );
}

/** The install's default monthly budgets (users' own overrides are set on the Users page). */
function BudgetDefaults() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const defaults = useQuery(trpc.admin.budgets.defaults.queryOptions());
  const save = useMutation(
    trpc.admin.budgets.setDefaults.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.admin.budgets.defaults.queryKey() }),
    }),
  );
  const [formError, setFormError] = useState<string>();
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const value = (name: string) => {
      const text = String(form.get(name) ?? "").trim();
      return text === "" ? Number.NaN : Number(text);
    };
    const parsed = ZSetBudgetDefaultsInput.safeParse({ normalUsd: value("normal"), premiumUsd: value("premium") });
    if (!parsed.success) return setFormError(parsed.error.issues[0]?.message ?? "Enter amounts in dollars.");
    setFormError(undefined);
    save.mutate(parsed.data);
  }
  return (
    <Card>
      <CardHeader
        title="AI budgets"
        description="Monthly spend per user (UTC calendar month). At 80 % the assistant warns; at 100 % it refuses new turns. Set a user's own budget on the Users page."
      />
      {defaults.data && (
        <form
          onSubmit={submit}
          className="flex flex-wrap items-end gap-3"
          key={`${defaults.data.normalUsd}-${defaults.data.premiumUsd}`}
        >
          <label className="space-y-1 text-sm">
            <span className="block font-medium">Default, USD a month</span>
            <input
              name="normal"
              inputMode="decimal"
              className={cn(inputClasses, "w-36")}
              defaultValue={defaults.data.normalUsd}
            />
          </label>
          <label className="space-y-1 text-sm">
            <span className="block font-medium">Premium users, USD a month</span>
            <input
              name="premium"
              inputMode="decimal"
              className={cn(inputClasses, "w-36")}
              defaultValue={defaults.data.premiumUsd}
            />
          </label>
          <Button type="submit" pending={save.isPending}>
            Save budgets
          </Button>
        </form>
      )}
      {(formError ?? save.error) && (
        <Alert tone="error" className="mt-3">
          {formError ?? save.error?.message}
        </Alert>
      )}
      {save.isSuccess && !formError && (
        <Alert tone="success" className="mt-3">
          Saved.
        </Alert>
      )}
    </Card>
  );
}

/** A labelled date input of the range form. */
function DateInput(props: { label: string; name: string; value: string; onChange: (value: string) => void }) {
  return (
    <label className="space-y-1 text-sm">
      <span className="block font-medium">{props.label}</span>
      <input
        type="date"
        name={props.name}
        className={cn(inputClasses, "w-auto")}
        value={props.value}
        onChange={(event) => props.onChange(event.target.value)}
      />
    </label>
  );
}
