"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import { useTRPC } from "~/trpc/react";

/**
 * Refreshes what a change to one template can show anywhere: its page (aggregates, histogram, versions, the
 * viewer's rating), its reviews, its files, and the gallery lists. One place, so every mutation on the page
 * refreshes the same things.
 */
export function useRefreshTemplate(templateId: string) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return useCallback(
    () =>
      Promise.all([
        queryClient.invalidateQueries(trpc.template.byId.queryFilter({ templateId })),
        queryClient.invalidateQueries(trpc.template.reviews.pathFilter()),
        queryClient.invalidateQueries(trpc.template.files.pathFilter()),
        queryClient.invalidateQueries(trpc.template.list.pathFilter()),
        queryClient.invalidateQueries(trpc.template.listPublic.pathFilter()),
      ]),
    [queryClient, trpc, templateId],
  );
}

/** The sign-in page, coming back to `path` afterwards. */
export function signInHref(path: string): string {
  return `/sign-in?callbackUrl=${encodeURIComponent(path)}`;
}
