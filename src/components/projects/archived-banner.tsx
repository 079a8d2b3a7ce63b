"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Archive } from "lucide-react";
import Link from "next/link";
import { Button } from "~/components/ui/button";
import { useTRPC } from "~/trpc/react";

/** Whether the project is archived (read-only), from the project header the IDE page already loaded. */
export function useProjectArchived(projectId: string): boolean {
  const trpc = useTRPC();
  const { data } = useQuery(trpc.project.get.queryOptions({ projectId }));
  return Boolean(data?.archivedAt);
}

/** Under the IDE's header while the project is archived: it is read-only until unarchived. */
export function ArchivedBanner({ projectId }: { projectId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const archived = useProjectArchived(projectId);
  const unarchive = useMutation(
    trpc.project.unarchive.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.project.pathKey() }),
    }),
  );
  if (!archived) return null;
  return (
    <section
      aria-label="Archived"
      data-testid="archived-banner"
      className="flex shrink-0 flex-wrap items-center gap-x-3 gap-y-1 border-b border-amber-200 bg-amber-50 px-3 py-1.5 text-sm text-amber-900 dark:border-amber-900 dark:bg-amber-950/40 dark:text-amber-100"
    >
      <Archive className="size-4 shrink-0" aria-hidden />
      <p className="min-w-0">
        <strong>Archived.</strong> This project is read-only: files cannot be changed and Claude cannot work on it.
      </p>
      <div className="ml-auto flex items-center gap-2">
        {unarchive.isError && <span className="text-red-700 dark:text-red-300">{unarchive.error.message}</span>}
        <Button
          size="sm"
          variant="secondary"
          pending={unarchive.isPending}
          onClick={() => unarchive.mutate({ projectId })}
        >
          Unarchive
        </Button>
        <Link href={`/projects/${projectId}/settings`} className="font-medium underline">
          Settings
        </Link>
      </div>
    </section>
  );
}
