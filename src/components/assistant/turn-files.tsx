"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { TRPCClientError } from "@trpc/client";
import { ChevronDown, ChevronRight, ExternalLink, Undo2 } from "lucide-react";
import { useState } from "react";
import { useIdeActions } from "~/components/editor/ide-provider";
import { LazyDiffView } from "~/components/editor/monaco/lazy";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { ConfirmDialog } from "~/components/ui/confirm-dialog";
import { Dialog, DialogClose, DialogContent } from "~/components/ui/dialog";
import { changeSummary } from "~/lib/assistant-format";
import { cn } from "~/lib/cn";
import { languageForPath } from "~/lib/file-types";
import { timeAgo } from "~/lib/format";
import { useTRPC } from "~/trpc/react";
import type { Turn } from "./types";

type Action = Turn["changedFiles"][number]["action"];
type PendingStatus = Turn["pending"][number]["status"];
interface FileRow {
  path: string;
  action: Action;
  /** Set while the change waits for review (or was reviewed). */
  review?: PendingStatus;
}

const ACTION_LABEL: Record<Action, string> = { created: "new", modified: "edited", deleted: "deleted" };
const ACTION_CLASS: Record<Action, string> = {
  created: "text-emerald-700 dark:text-emerald-400",
  modified: "text-amber-700 dark:text-amber-400",
  deleted: "text-red-700 dark:text-red-400",
};
const REVIEW_LABEL: Record<PendingStatus, string> = {
  pending: "waiting for review",
  accepted: "accepted",
  rejected: "rejected",
  conflict: "changed since Claude read it",
};

/** The files a refused undo names (CONFLICT with `paths`), or null when the error is something else. */
export function undoConflictPaths(error: unknown): string[] | null {
  if (!(error instanceof TRPCClientError)) return null;
  const data = error.data as { code?: string; app?: { paths?: unknown } | null; paths?: unknown } | undefined;
  if (data?.code !== "CONFLICT") return null;
  const paths = data.app?.paths ?? data.paths;
  return Array.isArray(paths) ? paths.filter((path): path is string => typeof path === "string") : [];
}

/** The files of a turn: what it changed, or proposes to (pending review), in one list by path. */
function fileRows(turn: Turn): FileRow[] {
  const rows = new Map<string, FileRow>();
  for (const file of turn.changedFiles) rows.set(file.path, { path: file.path, action: file.action });
  for (const change of turn.pending) {
    const row = rows.get(change.path);
    rows.set(change.path, {
      path: change.path,
      action: row?.action ?? (change.action === "delete" ? "deleted" : "modified"),
      review: change.status,
    });
  }
  return [...rows.values()].sort((a, b) => a.path.localeCompare(b.path));
}

/** One file's change in the turn: Monaco's diff of before and after (fetched, and Monaco loaded, when opened). */
function TurnDiff({ interactionId, path }: { interactionId: string; path: string }) {
  const trpc = useTRPC();
  const { projectId, preferences } = useIdeActions();
  const diff = useQuery(trpc.assistant.turnDiff.queryOptions({ projectId, interactionId, path }));
  if (diff.isError) return <Alert tone="error">The diff could not be loaded: {diff.error.message}</Alert>;
  if (!diff.data) return <p className="px-2 py-1 text-xs text-zinc-500">Loading the diff…</p>;
  if (diff.data.isBinary) return <p className="px-2 py-1 text-xs text-zinc-500">A binary file: no diff to show.</p>;
  const { before, after } = diff.data;
  // As tall as the inline diff can get (every line of both sides, plus the labels), at most 18 rem.
  const lines = (before ?? "").split("\n").length + (after ?? "").split("\n").length;
  const height = `min(18rem, ${lines * 1.25 + 3}rem)`;
  return (
    <div
      className="overflow-hidden rounded border border-zinc-200 dark:border-zinc-800"
      style={{ height }}
      data-testid="turn-diff"
    >
      <LazyDiffView
        original={before ?? ""}
        modified={after ?? ""}
        language={languageForPath(path)}
        path={path}
        originalLabel={before === null ? "Did not exist" : "Before the turn"}
        modifiedLabel={after === null ? "Deleted by Claude" : "Claude's version"}
        preferences={preferences}
        sideBySide={false}
        compact
      />
    </div>
  );
}

/** A refused undo: the files changed since by someone else, and the choice to overwrite them on purpose. */
function UndoConflictDialog({
  paths,
  pending,
  onOverwrite,
  onClose,
}: {
  paths: string[];
  pending: boolean;
  onOverwrite(): void;
  onClose(): void;
}) {
  return (
    <Dialog open onOpenChange={(open) => !open && onClose()}>
      <DialogContent
        role="alertdialog"
        title="These files changed after Claude's turn"
        description="Nothing was undone. Undoing the turn anyway puts these files back as they were before it, over the later changes (which stay in each file's history)."
        className="w-[min(32rem,calc(100vw-2rem))]"
      >
        <ul className="mt-4 max-h-48 overflow-auto font-mono text-sm" data-testid="undo-conflict-paths">
          {paths.map((path) => (
            <li key={path}>{path}</li>
          ))}
        </ul>
        <div className="mt-6 flex justify-end gap-2">
          <DialogClose asChild>
            <Button variant="secondary">Keep the later changes</Button>
          </DialogClose>
          <Button variant="danger" pending={pending} onClick={onOverwrite}>
            Overwrite anyway
          </Button>
        </div>
      </DialogContent>
    </Dialog>
  );
}

/**
 * What a turn did to the files: each one with its diff and a way to open it; the review of changes waiting for
 * one (accept all, per file, reject); and undoing the whole turn, which never overwrites later work silently.
 */
export function TurnFiles({ turn, onFilesChanged }: { turn: Turn; onFilesChanged(): Promise<void> }) {
  const trpc = useTRPC();
  const { projectId, openFile } = useIdeActions();
  const [open, setOpen] = useState<string | null>(null);
  const [confirmUndo, setConfirmUndo] = useState(false);
  const [undoConflict, setUndoConflict] = useState<string[] | null>(null);
  const [reviewConflicts, setReviewConflicts] = useState<string[]>([]);
  const review = useMutation(trpc.assistant.review.mutationOptions());
  const undo = useMutation(trpc.assistant.undoTurn.mutationOptions());
  const rows = fileRows(turn);
  const waiting = rows.some((row) => row.review === "pending" || row.review === "conflict");
  const canUndo =
    turn.status === "succeeded" &&
    !turn.undoneAt &&
    turn.changedFiles.length > 0 &&
    turn.reviewState !== "pending" &&
    turn.reviewState !== "rejected";

  async function decide(decision: "accept" | "reject", paths?: string[]) {
    setReviewConflicts([]);
    const result = await review.mutateAsync({ projectId, interactionId: turn.interactionId, decision, paths });
    setReviewConflicts(result.conflicts);
    await onFilesChanged();
  }

  async function undoTurn(overwrite: boolean) {
    try {
      await undo.mutateAsync({ projectId, interactionId: turn.interactionId, overwrite });
      setUndoConflict(null);
      await onFilesChanged();
    } catch (error) {
      const paths = undoConflictPaths(error);
      if (paths && !overwrite) {
        undo.reset();
        setUndoConflict(paths);
      }
    }
  }

  const summary = waiting
    ? `proposes changes to ${rows.length} file${rows.length === 1 ? "" : "s"}`
    : changeSummary(turn.changedFiles);
  return (
    <section
      aria-label="Files this turn changed"
      className="rounded-md border border-zinc-200 dark:border-zinc-800"
      data-testid="turn-files"
    >
      <div className="flex items-center gap-2 border-b border-zinc-200 px-2 py-1.5 dark:border-zinc-800">
        <p className="min-w-0 flex-1 text-xs font-medium text-zinc-700 dark:text-zinc-300" data-testid="turn-summary">
          Claude {summary}
          {turn.undoneAt && (
            <span className="ml-1 font-normal text-zinc-500" data-testid="turn-undone">
              · undone {timeAgo(new Date(turn.undoneAt))}
            </span>
          )}
        </p>
        {canUndo && (
          <Button size="sm" variant="ghost" className="h-7 px-2 text-xs" onClick={() => setConfirmUndo(true)}>
            <Undo2 className="size-3.5" aria-hidden /> Undo turn
          </Button>
        )}
      </div>
      {waiting && (
        <div className="flex flex-wrap items-center gap-2 border-b border-zinc-200 px-2 py-1.5 dark:border-zinc-800">
          <span className="flex-1 text-xs text-zinc-600 dark:text-zinc-400">Nothing is written until you accept.</span>
          <Button
            size="sm"
            className="h-7 px-2 text-xs"
            pending={review.isPending}
            onClick={() => void decide("accept").catch(() => {})}
          >
            Accept all
          </Button>
          <Button
            size="sm"
            variant="secondary"
            className="h-7 px-2 text-xs"
            disabled={review.isPending}
            onClick={() => void decide("reject").catch(() => {})}
          >
            Reject all
          </Button>
        </div>
      )}
      {review.isError && (
        <Alert tone="error" className="m-2">
          {review.error.message}
        </Alert>
      )}
      {reviewConflicts.length > 0 && (
        <Alert tone="warning" className="m-2">
          {reviewConflicts.join(", ")} changed since Claude read {reviewConflicts.length === 1 ? "it" : "them"}: nothing
          was overwritten. Compare with the diff, then reject Claude&apos;s change or make it by hand.
        </Alert>
      )}
      {undo.isError && (
        <Alert tone="error" className="m-2">
          Undo failed: {undo.error.message}
        </Alert>
      )}
      <ul>
        {rows.map((row) => {
          const expanded = open === row.path;
          return (
            <li
              key={row.path}
              className="border-b border-zinc-100 last:border-0 dark:border-zinc-900"
              data-testid="turn-file"
              data-path={row.path}
            >
              <div className="flex items-center gap-1 px-1 py-1 text-xs">
                <button
                  type="button"
                  aria-expanded={expanded}
                  onClick={() => setOpen(expanded ? null : row.path)}
                  className="flex min-w-0 flex-1 items-center gap-1 rounded px-1 py-0.5 text-left hover:bg-zinc-100 dark:hover:bg-zinc-800"
                  title={`${expanded ? "Hide" : "Show"} the diff of ${row.path}`}
                >
                  {expanded ? (
                    <ChevronDown className="size-3.5 shrink-0" aria-hidden />
                  ) : (
                    <ChevronRight className="size-3.5 shrink-0" aria-hidden />
                  )}
                  <span className={cn("shrink-0 font-medium", ACTION_CLASS[row.action])}>
                    {ACTION_LABEL[row.action]}
                  </span>
                  <span className="min-w-0 truncate font-mono">{row.path}</span>
                </button>
                {row.review && row.review !== "pending" && (
                  <span
                    className={cn(
                      "shrink-0 text-zinc-500",
                      row.review === "conflict" && "text-amber-700 dark:text-amber-400",
                    )}
                  >
                    {REVIEW_LABEL[row.review]}
                  </span>
                )}
                {(row.review === "pending" || row.review === "conflict") && (
                  <>
                    <Button
                      size="sm"
                      variant="ghost"
                      className="h-6 px-1.5 text-xs"
                      disabled={review.isPending}
                      aria-label={`Accept the change to ${row.path}`}
                      onClick={() => void decide("accept", [row.path]).catch(() => {})}
                    >
                      Accept
                    </Button>
                    <Button
                      size="sm"
                      variant="ghost"
                      className="h-6 px-1.5 text-xs"
                      disabled={review.isPending}
                      aria-label={`Reject the change to ${row.path}`}
                      onClick={() => void decide("reject", [row.path]).catch(() => {})}
                    >
                      Reject
                    </Button>
                  </>
                )}
                {row.action !== "deleted" && !row.review && (
                  <Button
                    size="sm"
                    variant="ghost"
                    className="h-6 px-1.5"
                    aria-label={`Open ${row.path}`}
                    title={`Open ${row.path}`}
                    onClick={() => openFile(row.path)}
                  >
                    <ExternalLink className="size-3.5" aria-hidden />
                  </Button>
                )}
              </div>
              {expanded && (
                <div className="px-2 pb-2">
                  <TurnDiff interactionId={turn.interactionId} path={row.path} />
                </div>
              )}
            </li>
          );
        })}
      </ul>
      {confirmUndo && (
        <ConfirmDialog
          open
          onOpenChange={(next) => !next && setConfirmUndo(false)}
          title="Undo this turn?"
          description="Every file it changed goes back to how it was before the turn, as a new version: files it created are removed, files it deleted come back. If someone changed one of them since, nothing is undone until you choose."
          confirmLabel="Undo turn"
          tone="primary"
          onConfirm={() => void undoTurn(false)}
        />
      )}
      {undoConflict && (
        <UndoConflictDialog
          paths={undoConflict}
          pending={undo.isPending}
          onClose={() => setUndoConflict(null)}
          onOverwrite={() => void undoTurn(true)}
        />
      )}
    </section>
  );
}
