"use client";

import dynamic from "next/dynamic";

function PanelSkeleton({ error }: { error?: Error | null }) {
  if (error) {
    return (
      <div role="alert" className="p-4 text-sm text-red-700 dark:text-red-400">
        The assistant panel failed to load. Reload the page to try again.
      </div>
    );
  }
  return (
    <div role="status" aria-label="Loading the assistant" className="flex h-full flex-col gap-3 p-4">
      <div className="h-4 w-1/3 animate-pulse rounded bg-zinc-200 dark:bg-zinc-800" />
      <div className="h-16 animate-pulse rounded bg-zinc-100 dark:bg-zinc-900" />
      <div className="h-16 animate-pulse rounded bg-zinc-100 dark:bg-zinc-900" />
    </div>
  );
}

/** The assistant panel, fetched the first time it opens: the IDE's first load does not carry it. */
export const LazyAssistantPanel = dynamic(() => import("./assistant-panel"), { ssr: false, loading: PanelSkeleton });
