"use client";

import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatBytes, formatCount, formatPercent } from "~/lib/charts/format";
import { filesByType, type FileTypeRow } from "~/lib/charts/files-by-type";
import { seriesColor } from "~/lib/charts/series";

/** Files by type as horizontal bars, with the same numbers as a table (the chart's text alternative). */
export function FilesByTypeChart({ rows }: { rows: readonly FileTypeRow[] }) {
  const bars = filesByType(rows, "files");
  if (bars.length === 0) {
    return <p className="text-sm text-zinc-600 dark:text-zinc-400">No files yet: create one in the editor.</p>;
  }
  return (
    <figure className="space-y-2">
      <div
        role="img"
        aria-label={`Files by type: ${bars.map((bar) => `${bar.fileType} ${bar.files}`).join(", ")}. The same numbers are in the table below.`}
        className="w-full text-xs"
        style={{ height: Math.max(120, bars.length * 32 + 24) }}
      >
        <ResponsiveContainer width="100%" height="100%" initialDimension={{ width: 480, height: 200 }}>
          <BarChart data={bars} layout="vertical" margin={{ top: 4, right: 16, bottom: 0, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" className="stroke-zinc-200 dark:stroke-zinc-800" horizontal={false} />
            <XAxis type="number" allowDecimals={false} tick={{ fill: "currentColor" }} className="text-zinc-500" />
            <YAxis
              type="category"
              dataKey="fileType"
              width={96}
              tick={{ fill: "currentColor" }}
              className="text-zinc-500"
            />
            <Tooltip
              formatter={(value) => formatCount(Number(value))}
              contentStyle={{ borderRadius: 8, fontSize: 12 }}
              cursor={{ fillOpacity: 0.08 }}
            />
            <Bar dataKey="files" name="Files" fill={seriesColor(0)} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </div>
      <details className="text-sm">
        <summary className="cursor-pointer text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100">
          Show as table
        </summary>
        <table className="mt-2 w-full text-left text-xs" data-testid="files-by-type-table">
          <caption className="sr-only">Files by type</caption>
          <thead className="text-zinc-500 dark:text-zinc-400">
            <tr>
              <th scope="col" className="py-1.5 font-medium">
                Type
              </th>
              <th scope="col" className="py-1.5 text-right font-medium">
                Files
              </th>
              <th scope="col" className="py-1.5 text-right font-medium">
                Share
              </th>
              <th scope="col" className="py-1.5 text-right font-medium">
                Lines
              </th>
              <th scope="col" className="py-1.5 text-right font-medium">
                Size
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
            {bars.map((bar) => (
              <tr key={bar.fileType}>
                <th scope="row" className="py-1.5 font-normal">
                  {bar.fileType}
                </th>
                <td className="py-1.5 text-right tabular-nums">{formatCount(bar.files)}</td>
                <td className="py-1.5 text-right tabular-nums">{formatPercent(bar.share)}</td>
                <td className="py-1.5 text-right tabular-nums">{formatCount(bar.lines)}</td>
                <td className="py-1.5 text-right tabular-nums">{formatBytes(bar.sizeBytes)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
