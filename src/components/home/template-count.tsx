"use client";

import { useQuery } from "@tanstack/react-query";
import { LayoutTemplate } from "lucide-react";
import { useTRPC } from "~/trpc/react";

/** The number of public templates; prefetched on the server, so it renders without a loading state. */
export function TemplateCount() {
  const trpc = useTRPC();
  const { data, isError } = useQuery(trpc.template.countPublic.queryOptions());
  return (
    <div className="flex items-center gap-4 rounded-xl border border-zinc-200 bg-zinc-50 p-5 dark:border-zinc-800 dark:bg-zinc-900">
      <span className="inline-flex size-11 items-center justify-center rounded-lg bg-brand-100 text-brand-700 dark:bg-brand-700/30 dark:text-brand-100">
        <LayoutTemplate className="size-5" aria-hidden />
      </span>
      <div>
        <p className="text-3xl font-semibold tabular-nums" data-testid="public-template-count" aria-live="polite">
          {isError ? "–" : (data ?? "…")}
        </p>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          {isError ? "Templates could not be loaded. Refresh to try again." : "public templates to start from"}
        </p>
      </div>
    </div>
  );
}
