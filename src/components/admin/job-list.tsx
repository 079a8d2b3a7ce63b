"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Play } from "lucide-react";
import { useState } from "react";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Card } from "~/components/ui/card";
import { utcInstantLabel } from "~/lib/charts/format";
import { cn } from "~/lib/cn";
import { timeAgo } from "~/lib/format";
import type { RouterOutputs } from "~/server/api/root";
import { useTRPC } from "~/trpc/react";

type Job = RouterOutputs["admin"]["jobs"]["list"][number];
type Run = Job["recentRuns"][number];

const STATUS_CLASSES: Record<Run["status"], string> = {
  succeeded: "bg-emerald-100 text-emerald-800 dark:bg-emerald-900/40 dark:text-emerald-200",
  running: "bg-brand-50 text-brand-700 dark:bg-brand-700/25 dark:text-brand-100",
  failed: "bg-red-100 text-red-800 dark:bg-red-900/40 dark:text-red-200",
};

function duration(ms: number | null): string {
  if (ms === null) return "–";
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** The admin's list of background jobs: schedule, next run, the latest runs, and "Run now". */
export function JobList() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  // A run takes seconds; while one runs or waits, the list follows it.
  const jobs = useQuery({
    ...trpc.admin.jobs.list.queryOptions(),
    refetchInterval: (query) =>
      query.state.data?.some((job) => job.waiting > 0 || job.lastRun?.status === "running") ? 2_000 : 30_000,
  });
  const [notice, setNotice] = useState<string>();
  const run = useMutation(
    trpc.admin.jobs.run.mutationOptions({
      onSuccess: ({ queued }, { name }) => {
        setNotice(
          queued ? `${name} is queued; an instance runs it within seconds.` : `${name} is already waiting to run.`,
        );
        void queryClient.invalidateQueries(trpc.admin.jobs.list.queryFilter());
      },
      onError: (error) => setNotice(error.message),
    }),
  );

  if (jobs.isError) return <Alert tone="error">The jobs could not be loaded: {jobs.error.message}</Alert>;
  if (!jobs.data) return null;
  return (
    <div className="space-y-4">
      {notice && <Alert tone={run.isError ? "error" : "success"}>{notice}</Alert>}
      {jobs.data.map((job) => (
        <JobCard
          key={job.name}
          job={job}
          running={run.isPending && run.variables?.name === job.name}
          onRun={() => {
            setNotice(undefined);
            run.mutate({ name: job.name });
          }}
        />
      ))}
    </div>
  );
}

function JobCard({ job, running, onRun }: { job: Job; running: boolean; onRun(): void }) {
  const headingId = `job-${job.name.replace(/\W/g, "-")}`;
  const last = job.lastRun;
  return (
    <Card>
      <div role="group" aria-labelledby={headingId} className="space-y-4">
        <div className="flex flex-wrap items-start gap-3">
          <div className="min-w-0 flex-1">
            <h2 id={headingId} className="font-semibold tracking-tight">
              {job.title} <span className="ml-1 font-mono text-xs font-normal text-zinc-500">{job.name}</span>
            </h2>
            <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">{job.description}</p>
          </div>
          <Button size="sm" variant="secondary" onClick={onRun} disabled={running}>
            <Play className="size-4" aria-hidden /> Run now
          </Button>
        </div>
        <dl className="grid grid-cols-2 gap-x-6 gap-y-2 text-sm sm:grid-cols-4">
          <div>
            <dt className="text-zinc-500">Schedule</dt>
            <dd className="font-mono">{job.cron}</dd>
          </div>
          <div>
            <dt className="text-zinc-500">Next run</dt>
            <dd>{utcInstantLabel(job.nextRunAt)}</dd>
          </div>
          <div>
            <dt className="text-zinc-500">Last run</dt>
            <dd>
              {last ? (
                <>
                  <StatusBadge status={last.status} /> {timeAgo(last.startedAt)}
                </>
              ) : (
                "never"
              )}
            </dd>
          </div>
          <div>
            <dt className="text-zinc-500">Waiting</dt>
            <dd>{job.waiting > 0 ? "a run is queued" : "–"}</dd>
          </div>
        </dl>
        {job.recentRuns.length > 0 && (
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm">
              <thead className="text-xs text-zinc-500">
                <tr>
                  <th className="py-1 pr-4 font-medium">Started</th>
                  <th className="py-1 pr-4 font-medium">Result</th>
                  <th className="py-1 pr-4 font-medium">Duration</th>
                  <th className="py-1 pr-4 font-medium">Trigger</th>
                  <th className="py-1 pr-4 font-medium">Instance</th>
                  <th className="py-1 font-medium">Details</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
                {job.recentRuns.map((entry) => (
                  <tr key={entry.id} className="align-top">
                    <td className="py-1.5 pr-4 whitespace-nowrap">{utcInstantLabel(entry.startedAt)}</td>
                    <td className="py-1.5 pr-4">
                      <StatusBadge status={entry.status} />
                    </td>
                    <td className="py-1.5 pr-4 whitespace-nowrap">{duration(entry.durationMs)}</td>
                    <td className="py-1.5 pr-4 whitespace-nowrap">
                      {entry.trigger === "manual" ? `by @${entry.requestedBy ?? "a deleted user"}` : "schedule"}
                    </td>
                    <td className="py-1.5 pr-4 font-mono text-xs whitespace-nowrap">{entry.instance}</td>
                    <td
                      className={cn(
                        "py-1.5 font-mono text-xs break-all",
                        entry.error ? "text-red-700 dark:text-red-300" : "text-zinc-600 dark:text-zinc-400",
                      )}
                    >
                      {entry.error ?? entry.result ?? ""}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </div>
    </Card>
  );
}

function StatusBadge({ status }: { status: Run["status"] }) {
  return <span className={cn("rounded px-1.5 py-0.5 text-xs font-medium", STATUS_CLASSES[status])}>{status}</span>;
}
