"use client";

import dynamic from "next/dynamic";
import { DialogContent } from "~/components/ui/dialog";

function PanelSkeleton({ error }: { error?: Error | null }) {
  return (
    <DialogContent title="Git" className="w-[min(40rem,calc(100vw-2rem))]">
      {error ? (
        <p role="alert" className="mt-4 text-sm text-red-700 dark:text-red-400">
          The Git panel failed to load. Reload the page to try again.
        </p>
      ) : (
        <div role="status" aria-label="Loading the Git panel" className="mt-4 space-y-3">
          <div className="h-4 w-2/3 animate-pulse rounded bg-zinc-200 dark:bg-zinc-800" />
          <div className="h-4 w-1/2 animate-pulse rounded bg-zinc-200 dark:bg-zinc-800" />
          <div className="h-20 animate-pulse rounded bg-zinc-100 dark:bg-zinc-900" />
        </div>
      )}
    </DialogContent>
  );
}

/** The Git panel (inside the toolbar's dialog), fetched the first time it opens: the IDE's first load does not carry it. */
export const LazyGitPanel = dynamic(() => import("./git-panel"), { ssr: false, loading: PanelSkeleton });
