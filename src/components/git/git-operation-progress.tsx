"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { X } from "lucide-react";
import { useEffect, useRef } from "react";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { cn } from "~/lib/cn";
import { operationProgress } from "~/lib/git/display";
import type { RouterOutputs } from "~/server/api/root";
import { useTRPC } from "~/trpc/react";

export type GitOperation = RouterOutputs["git"]["operation"];

/** How often a running operation is read again. */
const POLL_MS = 500;

/**
 * Follows a Git operation (an import) until it ends: a progress bar with the library's phase and counts, read
 * every half second, and a Cancel button. `onFinished` is called once, with the operation as it ended.
 */
export function GitOperationProgress({
  operationId,
  label,
  onFinished,
}: {
  operationId: string;
  label: string;
  onFinished(operation: GitOperation): void;
}) {
  const trpc = useTRPC();
  const operation = useQuery({
    ...trpc.git.operation.queryOptions({ operationId }),
    refetchInterval: (query) => (query.state.data && query.state.data.status !== "running" ? false : POLL_MS),
    refetchIntervalInBackground: true,
    staleTime: 0,
  });
  const cancel = useMutation(trpc.git.cancel.mutationOptions());
  const finished = useRef(false);
  const data = operation.data;

  useEffect(() => {
    if (!data || data.status === "running" || finished.current) return;
    finished.current = true;
    onFinished(data);
  }, [data, onFinished]);

  const { percent, text } = data ? operationProgress(data) : { percent: null, text: "Starting…" };
  const running = !data || data.status === "running";
  return (
    <div className="space-y-3" data-testid="git-progress">
      <div
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent ?? undefined}
        aria-valuetext={text}
        className="h-2 overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-800"
      >
        <div
          className={cn(
            "h-full rounded-full transition-all",
            data?.status === "failed" || data?.status === "cancelled" ? "bg-red-500" : "bg-brand-600",
            percent === null && "w-1/3 animate-pulse",
          )}
          style={percent === null ? undefined : { width: `${percent}%` }}
        />
      </div>
      <div className="flex items-center gap-3">
        <p
          className="min-w-0 flex-1 text-sm text-zinc-600 dark:text-zinc-400"
          aria-live="polite"
          data-testid="git-phase"
        >
          {text}
        </p>
        {running && (
          <Button
            type="button"
            variant="secondary"
            size="sm"
            pending={cancel.isPending}
            disabled={cancel.isSuccess}
            onClick={() => cancel.mutate({ operationId })}
            data-testid="git-cancel"
          >
            <X className="size-4" aria-hidden /> {cancel.isSuccess ? "Cancelling…" : "Cancel"}
          </Button>
        )}
      </div>
      {cancel.isError && <Alert tone="error">{cancel.error.message}</Alert>}
      {operation.isError && (
        <Alert tone="error">The progress could not be read: {operation.error.message} It is tried again.</Alert>
      )}
    </div>
  );
}
