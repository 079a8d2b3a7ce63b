import Link from "next/link";
import { formatBytes, formatCount } from "~/lib/charts/format";
import type { RouterOutputs } from "~/server/api/root";
import { HealthBadge } from "./health-badge";

type Resource = RouterOutputs["project"]["dashboard"]["resources"][number];

function when(at: Date | null): string {
  return at ? at.toLocaleString() : "never";
}

/**
 * The project's rows of `infrastructure_resources` exactly as stored: a metric the row does not hold is shown as
 * "—", never estimated. Without rows (no preview started yet), an empty state says where they come from and how
 * to make them.
 */
export function ResourcesTable({ projectId, resources }: { projectId: string; resources: readonly Resource[] }) {
  if (resources.length === 0) {
    return (
      <p className="text-sm text-zinc-600 dark:text-zinc-400" data-testid="resources-empty">
        No infrastructure yet. Start the preview to create its service and storage volume (
        <Link href={`/projects/${projectId}`} className="text-brand-700 underline dark:text-brand-100">
          open the editor
        </Link>{" "}
        and press <strong>Preview</strong>); their status, health checks and metrics show up here.
      </p>
    );
  }
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm" data-testid="resources-table">
        <caption className="sr-only">Infrastructure resources</caption>
        <thead className="text-xs uppercase tracking-wide text-zinc-500 dark:text-zinc-400">
          <tr>
            {["Resource", "Status", "Health", "CPU", "Memory", "Disk", "Network in / out", "Last health check"].map(
              (column, index) => (
                <th key={column} scope="col" className={`py-2 pr-3 font-medium ${index >= 3 ? "text-right" : ""}`}>
                  {column}
                </th>
              ),
            )}
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
          {resources.map((resource) => (
            <tr key={resource.id}>
              <th scope="row" className="py-2 pr-3 font-normal">
                <span className="font-medium">{resource.resourceName}</span>
                <span className="ml-2 text-xs text-zinc-500 dark:text-zinc-400">{resource.resourceType}</span>
              </th>
              <td className="py-2 pr-3">{resource.status}</td>
              <td className="py-2 pr-3">
                <HealthBadge health={resource.healthStatus} />
              </td>
              <td className="py-2 pr-3 text-right tabular-nums">
                {resource.cpuUsagePercent === null ? "—" : `${resource.cpuUsagePercent.toFixed(1)} %`}
              </td>
              <td className="py-2 pr-3 text-right tabular-nums">
                {resource.memoryUsageMb === null ? "—" : `${formatCount(resource.memoryUsageMb)} MB`}
              </td>
              <td className="py-2 pr-3 text-right tabular-nums">
                {resource.diskUsageMb === null ? "—" : `${formatCount(resource.diskUsageMb)} MB`}
              </td>
              <td className="py-2 pr-3 text-right tabular-nums">
                {resource.networkInBytes === null ? "—" : formatBytes(resource.networkInBytes)} /{" "}
                {resource.networkOutBytes === null ? "—" : formatBytes(resource.networkOutBytes)}
              </td>
              <td className="py-2 text-right text-xs text-zinc-600 dark:text-zinc-400">
                {when(resource.lastHealthCheck)}
                {resource.lastMetricsAt && <div>metrics {when(resource.lastMetricsAt)}</div>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
