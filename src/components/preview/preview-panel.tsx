"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ExternalLink, Play, RotateCw, Square, X } from "lucide-react";
import { useEffect, useRef, useState } from "react";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { useTRPC } from "~/trpc/react";
import { PrepareSteps } from "./prepare-steps";

const STATUS_LABEL: Record<string, string> = {
  creating: "Starting…",
  running: "Running",
  stopped: "Stopped",
  error: "Failed",
};

/**
 * The live preview beside the editor: the project's files served on a port of their own (a separate origin),
 * framed with `allow-scripts allow-forms` only: never `allow-same-origin` with scripts, which would let the page
 * lift its own sandbox.
 */
export function PreviewPanel({
  projectId,
  savedVersions,
  onClose,
}: {
  projectId: string;
  /** Changes whenever one of the IDE's saves lands: with "Reload on save" on, the frame reloads (debounced). */
  savedVersions: string;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string>();
  const [frameKey, setFrameKey] = useState(0);
  const [reloadOnSave, setReloadOnSave] = useState(true);
  // One reload for a burst of saves (save all, autosave while typing): 300 ms after the last one.
  const lastSaves = useRef(savedVersions);
  useEffect(() => {
    if (lastSaves.current === savedVersions) return;
    lastSaves.current = savedVersions;
    if (!reloadOnSave) return;
    const timer = setTimeout(() => setFrameKey((key) => key + 1), 300);
    return () => clearTimeout(timer);
  }, [savedVersions, reloadOnSave]);
  const preview = useQuery({
    ...trpc.project.preview.queryOptions({ projectId }),
    // Starting is quick (the host opens a listener), installing and bundling are followed step by step; a
    // running preview's health changes once a minute at most.
    refetchInterval: (query) => {
      const data = query.state.data;
      return data?.status === "creating" || (data?.status === "running" && preparing(data)) ? 1_000 : 30_000;
    },
  });
  const onSuccess = (data: NonNullable<typeof preview.data>) => {
    setError(undefined);
    queryClient.setQueryData(trpc.project.preview.queryKey({ projectId }), data);
    void queryClient.invalidateQueries({ queryKey: trpc.project.get.queryKey({ projectId }) });
  };
  const onError = (failure: unknown) => setError(failure instanceof Error ? failure.message : String(failure));
  const start = useMutation(trpc.project.start.mutationOptions({ onSuccess, onError }));
  const stop = useMutation(trpc.project.stop.mutationOptions({ onSuccess, onError }));
  const data = preview.data;
  const status = data?.status ?? "stopped";
  const up = status === "running" || status === "creating";
  // Until its dependencies are installed, the page could not load its modules: the steps show instead.
  const waiting =
    data?.site.kind === "needs-bundling" && (data.prepare === null || data.prepare.phase === "installing");
  const showFrame = status === "running" && data?.serviceUrl && !waiting;

  return (
    <div className="flex h-full flex-col border-l border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-950">
      <div className="flex items-center gap-1 border-b border-zinc-200 px-2 py-1 dark:border-zinc-800">
        <h2 className="text-sm font-semibold">Preview</h2>
        <span className="ml-1 text-xs text-zinc-500" data-testid="preview-status" aria-live="polite">
          {STATUS_LABEL[status] ?? status}
          {status === "running" && data?.healthStatus === "unhealthy" ? " · not answering" : ""}
          {data?.port ? ` · port ${data.port}` : ""}
        </span>
        <div className="ml-auto flex items-center gap-1">
          {up ? (
            <Button variant="ghost" size="sm" pending={stop.isPending} onClick={() => stop.mutate({ projectId })}>
              <Square className="size-3.5" aria-hidden /> Stop
            </Button>
          ) : (
            <Button
              variant="secondary"
              size="sm"
              pending={start.isPending}
              onClick={() => start.mutate({ projectId })}
              disabled={data?.site.kind === "needs-server" || data?.site.kind === "empty"}
            >
              <Play className="size-3.5" aria-hidden /> Start
            </Button>
          )}
          <Button
            variant="ghost"
            size="sm"
            disabled={status !== "running"}
            onClick={() => setFrameKey((key) => key + 1)}
            title="Reload the preview (shows your saved edits)"
          >
            <RotateCw className="size-3.5" aria-hidden /> Reload
          </Button>
          <label className="flex items-center gap-1 px-1 text-xs text-zinc-600 dark:text-zinc-400">
            <input type="checkbox" checked={reloadOnSave} onChange={(event) => setReloadOnSave(event.target.checked)} />
            Reload on save
          </label>
          {status === "running" && data?.serviceUrl && (
            <Button asChild variant="ghost" size="sm">
              <a href={data.serviceUrl} target="_blank" rel="noreferrer noopener" title="Open the preview in a new tab">
                <ExternalLink className="size-3.5" aria-hidden />
                <span className="sr-only">Open in a new tab</span>
              </a>
            </Button>
          )}
          <Button variant="ghost" size="sm" onClick={onClose} title="Close the preview pane">
            <X className="size-3.5" aria-hidden />
            <span className="sr-only">Close the preview pane</span>
          </Button>
        </div>
      </div>
      <div className="flex min-h-0 flex-1 flex-col gap-2">
        {(error || preview.error) && (
          <Alert tone="error" className="m-2">
            {error ?? `The preview's state could not be loaded: ${preview.error?.message}`}
          </Alert>
        )}
        {status === "error" && (
          <Alert tone="error" className="m-2">
            The preview stopped with an error{data?.error ? `: ${data.error}` : "."} Start it again to use another port.
          </Alert>
        )}
        {data?.site.message && (
          <Alert tone="info" className="m-2">
            {data.site.message}
          </Alert>
        )}
        {status === "running" && data?.prepare && <PrepareSteps prepare={data.prepare} />}
        {status === "running" && waiting && !data.prepare && (
          <p className="m-4 text-sm text-zinc-500">Preparing the preview…</p>
        )}
        {showFrame ? (
          <iframe
            key={frameKey}
            src={data.serviceUrl!}
            // The page's load bundled its modules again: the outcome (errors, or ready) is read at once.
            onLoad={() => void preview.refetch()}
            title="Project preview"
            data-testid="preview-frame"
            sandbox="allow-scripts allow-forms"
            referrerPolicy="no-referrer"
            className="min-h-0 w-full flex-1 border-0 bg-white"
          />
        ) : (
          !data?.site.message &&
          status === "stopped" && (
            <p className="m-4 text-sm text-zinc-500">
              Start the preview to see index.html and its files served on a port of their own. Edits show when you
              reload.
            </p>
          )
        )}
        {status === "creating" && <p className="m-4 text-sm text-zinc-500">Opening a port for the preview…</p>}
      </div>
    </div>
  );
}

/** Whether the host is still installing or bundling (or has not said yet) for a preview that bundles its entry. */
function preparing(data: { site: { kind: string }; prepare: { phase: string } | null }): boolean {
  if (data.site.kind !== "needs-bundling") return false;
  return data.prepare === null || data.prepare.phase === "installing" || data.prepare.phase === "bundling";
}
