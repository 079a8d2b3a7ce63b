"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { FolderGit2, GitBranch } from "lucide-react";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useState } from "react";
import { Button } from "~/components/ui/button";
import { inputClasses } from "~/components/ui/field";
import { formatBytes } from "~/lib/bytes";
import { cn } from "~/lib/cn";
import { timeAgo } from "~/lib/format";
import { projectFilters } from "~/lib/project-filters";
import { PROJECT_SORTS, PROJECT_STATUSES } from "~/lib/schemas/project";
import { useTRPC } from "~/trpc/react";

const STATUS_CLASSES: Record<string, string> = {
  running: "bg-emerald-100 text-emerald-800 dark:bg-emerald-900/40 dark:text-emerald-200",
  error: "bg-red-100 text-red-800 dark:bg-red-900/40 dark:text-red-200",
  stopped: "bg-zinc-200 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300",
  archived: "bg-amber-100 text-amber-900 dark:bg-amber-900/40 dark:text-amber-100",
};
const SORT_LABELS: Record<(typeof PROJECT_SORTS)[number], string> = {
  activity: "Last activity",
  name: "Name",
  size: "Size",
  created: "Created",
};

/** The signed-in user's projects: searched, sorted and filtered through the URL, a page at a time. */
export function ProjectList() {
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const filters = projectFilters(params);
  const [search, setSearch] = useState(filters.search ?? "");
  const query = useInfiniteQuery(
    trpc.project.list.infiniteQueryOptions(filters, { getNextPageParam: (page) => page.nextCursor ?? undefined }),
  );

  function setParam(name: string, value: string | null) {
    const next = new URLSearchParams(params.toString());
    if (value) next.set(name, value);
    else next.delete(name);
    router.replace(`${pathname}${next.size ? `?${next}` : ""}`, { scroll: false });
  }

  // Typing searches after a pause, not on every key.
  useEffect(() => {
    if (search === (filters.search ?? "")) return;
    const timer = setTimeout(() => setParam("q", search.trim() || null), 250);
    return () => clearTimeout(timer);
  });

  const projects = query.data?.pages.flatMap((page) => page.items) ?? [];
  const filtered = Boolean(filters.search || filters.status);
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center gap-3" role="search">
        <input
          type="search"
          aria-label="Search projects"
          placeholder="Search name or description"
          value={search}
          onChange={(event) => setSearch(event.target.value)}
          className={cn(inputClasses, "w-64")}
        />
        <select
          aria-label="Sort by"
          value={filters.sort}
          onChange={(event) => setParam("sort", event.target.value === "activity" ? null : event.target.value)}
          className={cn(inputClasses, "w-40")}
        >
          {PROJECT_SORTS.map((sort) => (
            <option key={sort} value={sort}>
              {SORT_LABELS[sort]}
            </option>
          ))}
        </select>
        <select
          aria-label="Status"
          value={filters.status ?? ""}
          onChange={(event) => setParam("status", event.target.value || null)}
          className={cn(inputClasses, "w-36")}
        >
          <option value="">Any status</option>
          {PROJECT_STATUSES.map((status) => (
            <option key={status} value={status}>
              {status}
            </option>
          ))}
        </select>
        <label className="flex items-center gap-2 text-sm">
          <input
            type="checkbox"
            checked={filters.includeArchived ?? false}
            onChange={(event) => setParam("archived", event.target.checked ? "1" : null)}
            className="size-4 accent-brand-600"
          />
          Show archived
        </label>
      </div>
      {query.isError && <p className="text-sm text-red-600">{query.error.message}</p>}
      {query.isSuccess && projects.length === 0 ? (
        <div className="flex flex-col items-center rounded-xl border border-dashed border-zinc-300 p-12 text-center dark:border-zinc-700">
          <FolderGit2 className="size-8 text-zinc-400" aria-hidden />
          {filtered ? (
            <>
              <p className="mt-3 font-medium">No projects match</p>
              <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">Try other words, or another status.</p>
            </>
          ) : (
            <>
              <p className="mt-3 font-medium">No projects yet</p>
              <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
                Create one from a template, or start blank.
              </p>
            </>
          )}
        </div>
      ) : (
        <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3" data-testid="project-list">
          {projects.map((project) => (
            <li key={project.id} className="relative">
              <Link
                href={`/projects/${project.id}`}
                className="block h-full rounded-xl border border-zinc-200 p-5 transition-colors hover:border-brand-400 hover:bg-zinc-50 dark:border-zinc-800 dark:hover:bg-zinc-900"
              >
                <div className="flex items-start justify-between gap-2">
                  <h2 className="font-medium">{project.name}</h2>
                  <span
                    className={cn(
                      "shrink-0 rounded-full px-2 py-0.5 text-xs font-medium",
                      STATUS_CLASSES[project.status] ?? STATUS_CLASSES.stopped,
                    )}
                  >
                    {project.status}
                  </span>
                </div>
                {project.description && (
                  <p className="mt-1 line-clamp-2 text-sm text-zinc-600 dark:text-zinc-400">{project.description}</p>
                )}
                <p className="mt-3 pr-20 text-xs text-zinc-500" suppressHydrationWarning>
                  {project.totalFiles} files · {formatBytes(project.totalSizeBytes)} · health{" "}
                  {project.healthStatus ?? "unknown"}
                  {project.lastActivityAt && ` · active ${timeAgo(new Date(project.lastActivityAt))}`}
                </p>
                {project.unpushedChanges !== null && (
                  <p
                    className={cn(
                      "mt-2 inline-flex items-center gap-1 rounded-full px-2 py-0.5 text-xs",
                      project.unpushedChanges > 0
                        ? "bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-200"
                        : "bg-zinc-100 text-zinc-600 dark:bg-zinc-800 dark:text-zinc-300",
                    )}
                    data-testid="unpushed-changes"
                  >
                    <GitBranch aria-hidden className="size-3" />
                    {project.unpushedChanges === 0
                      ? "In sync with Git"
                      : `${project.unpushedChanges} ${project.unpushedChanges === 1 ? "change" : "changes"} not pushed`}
                  </p>
                )}
              </Link>
              <Link
                href={`/projects/${project.id}/dashboard`}
                aria-label={`Dashboard of ${project.name}`}
                className="absolute right-5 bottom-5 text-xs text-brand-700 hover:underline dark:text-brand-100"
              >
                Dashboard
              </Link>
            </li>
          ))}
        </ul>
      )}
      {query.hasNextPage && (
        <Button variant="secondary" pending={query.isFetchingNextPage} onClick={() => void query.fetchNextPage()}>
          Show more
        </Button>
      )}
    </div>
  );
}
