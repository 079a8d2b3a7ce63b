"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { Bot, Cog, User, Webhook } from "lucide-react";
import { Button } from "~/components/ui/button";
import { timeAgo } from "~/lib/format";
import { useTRPC } from "~/trpc/react";
import { useIdeActions } from "./ide-provider";

const SOURCE_ICONS = { user: User, claude: Bot, system: Cog, webhook: Webhook } as const;

/** What happened in this project, newest first, and who (or what) did it. */
export function ActivityPanel() {
  const trpc = useTRPC();
  const { projectId } = useIdeActions();
  const activity = useInfiniteQuery(
    trpc.activity.list.infiniteQueryOptions(
      { projectId, limit: 50 },
      { getNextPageParam: (page) => page.nextCursor ?? undefined },
    ),
  );
  const items = activity.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <div className="h-full overflow-auto">
      {activity.isLoading && <p className="p-3 text-sm text-zinc-500">Loading…</p>}
      {!activity.isLoading && items.length === 0 && (
        <p className="p-3 text-sm text-zinc-500">Nothing has happened here yet.</p>
      )}
      <ol className="py-1">
        {items.map((entry) => {
          const Icon = SOURCE_ICONS[entry.sourceType as keyof typeof SOURCE_ICONS] ?? Cog;
          return (
            <li key={`${entry.id}`} className="flex gap-2 px-3 py-1.5 text-sm">
              <Icon className="mt-0.5 size-4 shrink-0 text-zinc-400" aria-label={entry.sourceType} />
              <div className="min-w-0">
                <p className="break-words">{entry.description}</p>
                <p className="text-xs text-zinc-500" suppressHydrationWarning>
                  {entry.actor?.name ?? (entry.sourceType === "claude" ? "Claude" : entry.sourceType)} ·{" "}
                  {timeAgo(new Date(entry.createdAt))}
                </p>
              </div>
            </li>
          );
        })}
      </ol>
      {activity.hasNextPage && (
        <div className="p-3">
          <Button
            size="sm"
            variant="secondary"
            pending={activity.isFetchingNextPage}
            onClick={() => void activity.fetchNextPage()}
          >
            Show older
          </Button>
        </div>
      )}
    </div>
  );
}
