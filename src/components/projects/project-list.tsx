"use client";

import { useSuspenseQuery } from "@tanstack/react-query";
import { FolderGit2 } from "lucide-react";
import Link from "next/link";
import { formatBytes } from "~/lib/bytes";
import { cn } from "~/lib/cn";
import { timeAgo } from "~/lib/format";
import { useTRPC } from "~/trpc/react";

const STATUS_CLASSES: Record<string, string> = {
  running: "bg-emerald-100 text-emerald-800 dark:bg-emerald-900/40 dark:text-emerald-200",
  error: "bg-red-100 text-red-800 dark:bg-red-900/40 dark:text-red-200",
  stopped: "bg-zinc-200 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300",
};

/** The signed-in user's projects, most recently active first. */
export function ProjectList() {
  const trpc = useTRPC();
  const { data: projects } = useSuspenseQuery(trpc.project.list.queryOptions());
  if (projects.length === 0) {
    return (
      <div className="flex flex-col items-center rounded-xl border border-dashed border-zinc-300 p-12 text-center dark:border-zinc-700">
        <FolderGit2 className="size-8 text-zinc-400" aria-hidden />
        <p className="mt-3 font-medium">No projects yet</p>
        <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">Create one from a template, or start blank.</p>
      </div>
    );
  }
  return (
    <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
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
            <p className="mt-3 text-xs text-zinc-500" suppressHydrationWarning>
              {project.totalFiles} files · {formatBytes(project.totalSizeBytes)}
              {project.lastActivityAt && ` · active ${timeAgo(new Date(project.lastActivityAt))}`}
            </p>
          </Link>
          <Link
            href={`/projects/${project.id}/dashboard`}
            aria-label={`Dashboard of ${project.name}`}
            className="absolute right-4 bottom-4 text-xs text-brand-700 hover:underline dark:text-brand-100"
          >
            Dashboard
          </Link>
        </li>
      ))}
    </ul>
  );
}
