"use client";

import { useQuery } from "@tanstack/react-query";
import type { EditorPreferences } from "~/components/editor/monaco/lazy";
import { Alert } from "~/components/ui/alert";
import { Card, CardHeader } from "~/components/ui/card";
import { StackedUsageChart } from "~/components/usage/usage-chart";
import { StatCard } from "~/components/usage/stat-card";
import { UsageCard } from "~/components/usage/usage-card";
import { formatBytes, formatCount, formatPercent } from "~/lib/charts/format";
import { storageUse } from "~/lib/charts/files-by-type";
import { stackByModel } from "~/lib/charts/series";
import { useTRPC } from "~/trpc/react";
import { ActivityTimeline } from "./activity-timeline";
import { FilesByTypeChart } from "./files-by-type-chart";
import { HealthBadge } from "./health-badge";
import { IntegrationsCard } from "./integrations-card";
import { ResourcesTable } from "./resources-table";

function when(at: Date | null): string {
  return at ? at.toLocaleString() : "—";
}

/** A project's dashboard: counters, files by type, infrastructure, activity, AI usage and integrations. */
export function ProjectDashboard({ projectId, preferences }: { projectId: string; preferences: EditorPreferences }) {
  const trpc = useTRPC();
  const dashboard = useQuery(trpc.project.dashboard.queryOptions({ projectId }));
  const usage = useQuery(trpc.usage.mine.queryOptions({ projectId, months: 12 }));
  if (dashboard.isError)
    return <Alert tone="error">The dashboard could not be loaded: {dashboard.error.message}</Alert>;
  if (!dashboard.data) return <p className="text-sm text-zinc-500">Loading…</p>;
  const { project, counters, filesByType, resources, activityTypes, activityUsers, usageByDay } = dashboard.data;
  const storage = storageUse(counters.sizeBytes, counters.storageLimitBytes);
  const daily = stackByModel(usageByDay.rows, { from: usageByDay.from, to: usageByDay.to, granularity: "day" }, "cost");
  const drift = counters.storedFiles !== counters.files || counters.storedSizeBytes !== counters.sizeBytes;
  return (
    <div className="space-y-6">
      <dl className="grid gap-4 sm:grid-cols-2 lg:grid-cols-5" data-testid="dashboard-counters">
        <StatCard label="Files" value={<span data-testid="counter-files">{formatCount(counters.files)}</span>} />
        <StatCard label="Size" value={<span data-testid="counter-size">{formatBytes(counters.sizeBytes)}</span>} />
        <StatCard label="Lines" value={<span data-testid="counter-lines">{formatCount(counters.lines)}</span>} />
        <StatCard
          label="Versions"
          value={<span data-testid="counter-versions">{formatCount(counters.versions)}</span>}
          detail="Every saved change keeps the previous content."
        />
        <StatCard
          label="Storage"
          tone={storage.tone === "ok" ? "default" : "warning"}
          value={storage.ratio === null ? "No limit" : formatPercent(storage.ratio)}
          detail={
            storage.limitBytes === null
              ? `${formatBytes(storage.usedBytes)} used`
              : `${formatBytes(storage.usedBytes)} of ${formatBytes(storage.limitBytes)}${storage.tone === "over" ? ": over the limit, saves that add bytes are refused" : ""}`
          }
        />
      </dl>
      {drift && (
        <Alert tone="warning">
          The stored counters ({formatCount(counters.storedFiles)} files, {formatBytes(counters.storedSizeBytes)})
          differ from the files themselves; the nightly reconciliation repairs them.
        </Alert>
      )}
      <div className="grid gap-6 lg:grid-cols-2">
        <Card>
          <CardHeader title="Project" />
          <dl className="grid grid-cols-[auto_1fr] gap-x-6 gap-y-2 text-sm">
            <dt className="text-zinc-500 dark:text-zinc-400">Status</dt>
            <dd>
              <HealthBadge health={project.status} />
              {project.archivedAt && (
                <span className="ml-2 text-xs text-zinc-500">archived {when(project.archivedAt)}</span>
              )}
            </dd>
            <dt className="text-zinc-500 dark:text-zinc-400">Health</dt>
            <dd>
              <HealthBadge health={project.healthStatus} />
            </dd>
            <dt className="text-zinc-500 dark:text-zinc-400">Created</dt>
            <dd suppressHydrationWarning>{when(project.createdAt)}</dd>
            <dt className="text-zinc-500 dark:text-zinc-400">Last activity</dt>
            <dd suppressHydrationWarning data-testid="last-activity">
              {when(project.lastActivityAt)}
            </dd>
            {project.serviceUrl && (
              <>
                <dt className="text-zinc-500 dark:text-zinc-400">Preview</dt>
                <dd className="break-all">{project.serviceUrl}</dd>
              </>
            )}
          </dl>
        </Card>
        <Card>
          <CardHeader title="Files by type" description="By the stored file type of each live file." />
          <FilesByTypeChart rows={filesByType} />
        </Card>
      </div>
      <Card>
        <CardHeader
          title="Infrastructure"
          description="What this project runs on, as last checked: health checks and metrics as the rows hold them."
        />
        <ResourcesTable projectId={projectId} resources={resources} />
      </Card>
      <Card>
        <CardHeader
          title="Activity"
          description="Who changed what, newest first. Times in your time zone; date filters in UTC."
        />
        <ActivityTimeline projectId={projectId} types={activityTypes} users={activityUsers} preferences={preferences} />
      </Card>
      <div className="grid gap-6 lg:grid-cols-2">
        <Card>
          <CardHeader title="AI cost by day" description={`The last 30 days (UTC), by model.`} />
          {usageByDay.rows.length === 0 ? (
            <p className="text-sm text-zinc-600 dark:text-zinc-400">
              No assistant turns in the last 30 days. Ask Claude in the editor; what it costs shows up here.
            </p>
          ) : (
            <StackedUsageChart title="Cost per day" metric="cost" models={daily.models} points={daily.points} />
          )}
        </Card>
        {usage.isError ? (
          <Alert tone="error">Usage could not be loaded: {usage.error.message}</Alert>
        ) : (
          <UsageCard
            title="AI usage by month"
            description="Turns, tokens and cost of this project, the last 12 months."
            months={usage.data?.byMonth ?? []}
          />
        )}
      </div>
      <IntegrationsCard projectId={projectId} />
    </div>
  );
}
