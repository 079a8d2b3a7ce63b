"use client";

import { useQuery } from "@tanstack/react-query";
import { ArrowRight, LayoutTemplate } from "lucide-react";
import Link from "next/link";
import { useTRPC } from "~/trpc/react";

/**
 * The number of public templates, linking to the gallery; prefetched on the server, so it renders without a
 * loading state.
 */
export function TemplateCount() {
  const trpc = useTRPC();
  const { data, isError } = useQuery(trpc.template.countPublic.queryOptions());
  return (
    <Link
      href="/templates"
      className="group flex items-center gap-4 rounded-xl border border-zinc-200 bg-zinc-50 p-5 transition-colors hover:border-brand-400 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-brand-500/50 dark:border-zinc-800 dark:bg-zinc-900"
    >
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
        <p className="mt-1 inline-flex items-center gap-1 text-sm font-medium text-brand-700 group-hover:underline dark:text-brand-300">
          Browse the gallery <ArrowRight className="size-4" aria-hidden />
        </p>
      </div>
    </Link>
  );
}
