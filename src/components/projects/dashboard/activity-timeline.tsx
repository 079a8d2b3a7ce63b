"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { Bot, Cog, Download, User, Webhook } from "lucide-react";
import { useState } from "react";
import type { EditorPreferences } from "~/components/editor/monaco/lazy";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { inputClasses } from "~/components/ui/field";
import { activityTypeLabel, fileVersionPair } from "~/lib/activity-diff";
import { ACTIVITY_SOURCES, type TActivityFilter } from "~/lib/schemas/activity";
import { useTRPC } from "~/trpc/react";
import { FileEditDiff, StateDiff } from "./activity-diff";

const SOURCE_ICONS = { user: User, claude: Bot, system: Cog, webhook: Webhook } as const;
const SOURCE_LABELS = { user: "People", claude: "Claude", system: "System", webhook: "Webhooks" } as const;

/** The export's URL for the same filters as the timeline (the route reads them from its query string). */
export function activityExportUrl(projectId: string, filter: TActivityFilter): string {
  const query = new URLSearchParams();
  if (filter.types?.length) query.set("types", filter.types.join(","));
  if (filter.source) query.set("source", filter.source);
  if (filter.userId) query.set("userId", filter.userId);
  if (filter.from) query.set("from", filter.from);
  if (filter.to) query.set("to", filter.to);
  const text = query.toString();
  return `/api/projects/${projectId}/activity/export${text ? `?${text}` : ""}`;
}

/**
 * The project's activity, newest first, with filters (type, source, person, UTC days), each entry's before/after
 * on request (a file edit as a diff of its versions), "Load more" by keyset, and a CSV export of the same filters.
 */
export function ActivityTimeline({
  projectId,
  types,
  users,
  preferences,
}: {
  projectId: string;
  types: readonly { type: string; entries: number }[];
  users: readonly { id: string; name: string; username: string }[];
  preferences: EditorPreferences;
}) {
  const trpc = useTRPC();
  const [filter, setFilter] = useState<TActivityFilter>({});
  const [open, setOpen] = useState<string | null>(null);
  const badRange = Boolean(filter.from && filter.to && filter.from > filter.to);
  const activity = useInfiniteQuery(
    trpc.activity.list.infiniteQueryOptions(
      { projectId, limit: 25, ...filter },
      { getNextPageParam: (page) => page.nextCursor ?? undefined, enabled: !badRange },
    ),
  );
  const items = activity.data?.pages.flatMap((page) => page.items) ?? [];
  const update = (patch: Partial<TActivityFilter>) => {
    setOpen(null);
    setFilter((current) => {
      const next = { ...current, ...patch };
      for (const key of Object.keys(next) as (keyof TActivityFilter)[]) if (!next[key]) delete next[key];
      return next;
    });
  };
  const filtered = Object.keys(filter).length > 0;
  return (
    <div className="space-y-4">
      <form
        className="grid gap-3 sm:grid-cols-2 lg:grid-cols-5"
        aria-label="Filter activity"
        onSubmit={(event) => event.preventDefault()}
      >
        <label className="space-y-1 text-sm">
          <span className="font-medium">Type</span>
          <select
            className={inputClasses}
            value={filter.types?.[0] ?? ""}
            onChange={(event) => update({ types: event.target.value ? [event.target.value] : undefined })}
          >
            <option value="">All types</option>
            {types.map((type) => (
              <option key={type.type} value={type.type}>
                {activityTypeLabel(type.type)} ({type.entries})
              </option>
            ))}
          </select>
        </label>
        <label className="space-y-1 text-sm">
          <span className="font-medium">Source</span>
          <select
            className={inputClasses}
            value={filter.source ?? ""}
            onChange={(event) => update({ source: (event.target.value || undefined) as TActivityFilter["source"] })}
          >
            <option value="">All sources</option>
            {ACTIVITY_SOURCES.map((source) => (
              <option key={source} value={source}>
                {SOURCE_LABELS[source]}
              </option>
            ))}
          </select>
        </label>
        <label className="space-y-1 text-sm">
          <span className="font-medium">Person</span>
          <select
            className={inputClasses}
            value={filter.userId ?? ""}
            onChange={(event) => update({ userId: event.target.value || undefined })}
          >
            <option value="">Anyone</option>
            {users.map((user) => (
              <option key={user.id} value={user.id}>
                {user.name || user.username}
              </option>
            ))}
          </select>
        </label>
        <label className="space-y-1 text-sm">
          <span className="font-medium">From (UTC)</span>
          <input
            type="date"
            className={inputClasses}
            value={filter.from ?? ""}
            onChange={(event) => update({ from: event.target.value || undefined })}
          />
        </label>
        <label className="space-y-1 text-sm">
          <span className="font-medium">To (UTC)</span>
          <input
            type="date"
            className={inputClasses}
            value={filter.to ?? ""}
            aria-invalid={badRange || undefined}
            onChange={(event) => update({ to: event.target.value || undefined })}
          />
        </label>
      </form>
      <div className="flex flex-wrap items-center gap-2">
        {filtered && (
          <Button
            size="sm"
            variant="ghost"
            onClick={() =>
              update({ types: undefined, source: undefined, userId: undefined, from: undefined, to: undefined })
            }
          >
            Clear filters
          </Button>
        )}
        <Button asChild size="sm" variant="secondary">
          <a href={badRange ? undefined : activityExportUrl(projectId, filter)} download data-testid="activity-export">
            <Download className="size-4" aria-hidden /> Export CSV
          </a>
        </Button>
      </div>
      {badRange && <Alert tone="error">The start date must not be after the end date.</Alert>}
      {activity.isError && <Alert tone="error">The activity could not be loaded: {activity.error.message}</Alert>}
      {activity.isLoading && <p className="text-sm text-zinc-500">Loading…</p>}
      {!activity.isLoading && !badRange && items.length === 0 && (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          {filtered ? "No activity matches these filters." : "Nothing has happened in this project yet."}
        </p>
      )}
      <ol className="divide-y divide-zinc-200 dark:divide-zinc-800" aria-label="Activity" data-testid="activity-list">
        {items.map((entry) => {
          const Icon = SOURCE_ICONS[entry.sourceType as keyof typeof SOURCE_ICONS] ?? Cog;
          const pair = fileVersionPair(entry);
          const hasStates = entry.beforeState !== null || entry.afterState !== null;
          const isOpen = open === entry.id;
          return (
            <li
              key={entry.id}
              className="py-2.5 text-sm"
              data-testid="activity-entry"
              data-type={entry.activityType}
              data-source={entry.sourceType}
            >
              <div className="flex gap-3">
                <Icon className="mt-0.5 size-4 shrink-0 text-zinc-400" aria-label={entry.sourceType} />
                <div className="min-w-0 flex-1">
                  <p className="break-words">{entry.description}</p>
                  <p className="text-xs text-zinc-500 dark:text-zinc-400" suppressHydrationWarning>
                    {activityTypeLabel(entry.activityType)} ·{" "}
                    {entry.actor?.name ||
                      entry.actor?.username ||
                      (entry.sourceType === "claude" ? "Claude" : entry.sourceType)}{" "}
                    ·{" "}
                    <time dateTime={new Date(entry.createdAt).toISOString()}>
                      {new Date(entry.createdAt).toLocaleString()}
                    </time>
                  </p>
                </div>
                {(pair || hasStates) && (
                  <Button
                    size="sm"
                    variant="ghost"
                    aria-expanded={isOpen}
                    onClick={() => setOpen(isOpen ? null : entry.id)}
                  >
                    {isOpen ? "Hide changes" : pair ? "Show diff" : "Show changes"}
                  </Button>
                )}
              </div>
              {isOpen && (
                <div className="mt-2 space-y-2 pl-7">
                  {pair && <FileEditDiff projectId={projectId} pair={pair} preferences={preferences} />}
                  {hasStates && <StateDiff before={entry.beforeState} after={entry.afterState} />}
                </div>
              )}
            </li>
          );
        })}
      </ol>
      {activity.hasNextPage && (
        <Button
          size="sm"
          variant="secondary"
          pending={activity.isFetchingNextPage}
          onClick={() => void activity.fetchNextPage()}
        >
          Load more
        </Button>
      )}
    </div>
  );
}
