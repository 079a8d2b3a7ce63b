"use client";

import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import type { RouterOutputs } from "~/server/api/root";
import { useTRPC } from "~/trpc/react";

export type ProjectSettingsData = RouterOutputs["project"]["settings"];

/**
 * The settings of one project and the mutations that change them: each answers the new settings, which replace the
 * cached ones; the project's other queries (its header in the IDE, the list, its Git status) are refreshed too.
 */
export function useProjectSettings(projectId: string) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { data } = useSuspenseQuery(trpc.project.settings.queryOptions({ projectId }));
  const onSuccess = async (next: ProjectSettingsData) => {
    queryClient.setQueryData(trpc.project.settings.queryKey({ projectId }), next);
    await queryClient.invalidateQueries({
      predicate: (query) => {
        const [path] = query.queryKey as [string[] | undefined];
        // The Git status too: a new repository URL or branch forgets the last sync.
        return Array.isArray(path) && ((path[0] === "project" && path[1] !== "settings") || path[0] === "git");
      },
    });
  };
  return {
    settings: data,
    update: useMutation(trpc.project.update.mutationOptions({ onSuccess })),
    setEnvVar: useMutation(trpc.project.setEnvVar.mutationOptions({ onSuccess })),
    deleteEnvVar: useMutation(trpc.project.deleteEnvVar.mutationOptions({ onSuccess })),
    archive: useMutation(trpc.project.archive.mutationOptions({ onSuccess })),
    unarchive: useMutation(trpc.project.unarchive.mutationOptions({ onSuccess })),
    remove: useMutation(trpc.project.delete.mutationOptions()),
  };
}
