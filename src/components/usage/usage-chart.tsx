"use client";

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { dayLabel, formatCount, formatTokens, formatUsd } from "~/lib/charts/format";
import { seriesColor, type Metric, type StackedPoint } from "~/lib/charts/series";

const FORMAT: Record<Metric, (value: number) => string> = {
  cost: (value) => formatUsd(value),
  tokens: (value) => formatTokens(value),
  turns: (value) => formatCount(value),
};

/**
 * A stacked bar chart of one metric per period and model, with its numbers as a table for screen readers and for
 * anyone who opens "Show as table" (the chart itself is described by its label).
 */
export function StackedUsageChart({
  title,
  metric,
  models,
  points,
  periodLabel = (period: string) => dayLabel(period),
  colorOf = (_model: string, index: number) => seriesColor(index),
}: {
  title: string;
  metric: Metric;
  models: string[];
  points: StackedPoint[];
  periodLabel?: (period: string) => string;
  /** The colour of a model's series (the same model keeps its colour across charts). */
  colorOf?: (model: string, index: number) => string;
}) {
  const format = FORMAT[metric];
  return (
    <figure className="space-y-2">
      <figcaption className="text-sm font-medium text-zinc-800 dark:text-zinc-200">{title}</figcaption>
      <div
        role="img"
        aria-label={`${title}: ${models.length} model${models.length === 1 ? "" : "s"} over ${points.length} periods. The same numbers are in the table below.`}
        className="h-64 w-full text-xs"
      >
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={points} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" className="stroke-zinc-200 dark:stroke-zinc-800" vertical={false} />
            <XAxis
              dataKey="period"
              tickFormatter={periodLabel}
              tick={{ fill: "currentColor" }}
              className="text-zinc-500"
              minTickGap={16}
            />
            <YAxis tickFormatter={format} tick={{ fill: "currentColor" }} className="text-zinc-500" width={64} />
            <Tooltip
              formatter={(value) => format(Number(value))}
              labelFormatter={(label) => periodLabel(String(label))}
              contentStyle={{ borderRadius: 8, fontSize: 12 }}
              cursor={{ fillOpacity: 0.08 }}
            />
            <Legend wrapperStyle={{ fontSize: 12 }} />
            {models.map((model, index) => (
              <Bar
                key={model}
                dataKey={model}
                stackId="models"
                fill={colorOf(model, index)}
                isAnimationActive={false}
              />
            ))}
          </BarChart>
        </ResponsiveContainer>
      </div>
      <details className="text-sm">
        <summary className="cursor-pointer text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100">
          Show as table
        </summary>
        <div className="mt-2 max-h-64 overflow-auto rounded-md border border-zinc-200 dark:border-zinc-800">
          <table className="w-full text-left text-xs">
            <caption className="sr-only">{title}</caption>
            <thead className="bg-zinc-50 dark:bg-zinc-900">
              <tr>
                <th scope="col" className="px-3 py-2 font-medium">
                  Period
                </th>
                {models.map((model) => (
                  <th key={model} scope="col" className="px-3 py-2 text-right font-medium">
                    {model}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
              {points.map((point) => (
                <tr key={point.period}>
                  <th scope="row" className="px-3 py-1.5 font-normal">
                    {periodLabel(point.period)}
                  </th>
                  {models.map((model) => (
                    <td key={model} className="px-3 py-1.5 text-right tabular-nums">
                      {format(Number(point[model] ?? 0))}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
