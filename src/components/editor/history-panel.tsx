"use client";

import * as Dialog from "@radix-ui/react-dialog";
import { useQuery } from "@tanstack/react-query";
import { Bot, GitCompare, History, MessageSquare, RotateCcw, User, X } from "lucide-react";
import { useState } from "react";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { ConfirmDialog } from "~/components/ui/confirm-dialog";
import { formatCostSum, formatUsd } from "~/lib/assistant-format";
import { formatBytes } from "~/lib/bytes";
import type { TConflictFile } from "~/lib/schemas/file-conflict";
import { languageForPath } from "~/lib/file-types";
import { timeAgo } from "~/lib/format";
import { cn } from "~/lib/cn";
import type { RouterOutputs } from "~/server/api/root";
import { useTRPC } from "~/trpc/react";
import { conflictOf } from "./conflict";
import { useIdeActions, useIdeState } from "./ide-provider";
import { LazyDiffView } from "./monaco/lazy";
import { RestoreConflictDialog } from "./restore-conflict";
import type { RestoreRequest } from "./use-file-mutations";

type Version = RouterOutputs["file"]["history"]["versions"][number];
const versionKey = (version: Version) => `${version.fileId}:${version.version}`;

/** Compares two versions side by side (older on the left). */
function CompareDialog({ path, pair, onClose }: { path: string; pair: [Version, Version]; onClose(): void }) {
  const trpc = useTRPC();
  const { projectId, preferences } = useIdeActions();
  const [older, newer] = [...pair].sort((a, b) => +new Date(a.createdAt) - +new Date(b.createdAt)) as [
    Version,
    Version,
  ];
  const left = useQuery(trpc.file.read.queryOptions({ projectId, path, version: older.version, fileId: older.fileId }));
  const right = useQuery(
    trpc.file.read.queryOptions({ projectId, path, version: newer.version, fileId: newer.fileId }),
  );
  return (
    <Dialog.Root open onOpenChange={(open) => !open && onClose()}>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-black/40" />
        <Dialog.Content className="fixed inset-6 z-50 flex flex-col rounded-xl border border-zinc-200 bg-white shadow-xl dark:border-zinc-800 dark:bg-zinc-900">
          <div className="flex items-center justify-between border-b border-zinc-200 px-4 py-2 dark:border-zinc-800">
            <Dialog.Title className="font-medium">
              {path}: version {older.version} → {newer.version}
            </Dialog.Title>
            <Dialog.Description className="sr-only">Differences between two versions of {path}</Dialog.Description>
            <Dialog.Close aria-label="Close" className="rounded p-1 hover:bg-zinc-100 dark:hover:bg-zinc-800">
              <X className="size-4" aria-hidden />
            </Dialog.Close>
          </div>
          <div className="min-h-0 flex-1">
            {left.data && right.data ? (
              <LazyDiffView
                original={left.data.content}
                modified={right.data.content}
                language={languageForPath(path)}
                path={path}
                originalLabel={`Version ${older.version} · ${new Date(older.createdAt).toLocaleString()}`}
                modifiedLabel={`Version ${newer.version} · ${new Date(newer.createdAt).toLocaleString()}`}
                preferences={preferences}
              />
            ) : left.isError || right.isError ? (
              <div className="p-4">
                <Alert tone="error">{(left.error ?? right.error)?.message}</Alert>
              </div>
            ) : (
              <p className="p-4 text-sm text-zinc-500">Loading versions…</p>
            )}
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}

/** The Claude turn that wrote a version: its prompt, model and cost, and a way to its conversation. */
function VersionTurn({
  turn,
  version,
  onOpen,
}: {
  turn: NonNullable<Version["turn"]>;
  version: number;
  onOpen(conversationId: string): void;
}) {
  const { conversationId } = turn;
  return (
    <div className="mt-0.5 text-xs text-zinc-600 dark:text-zinc-400" data-testid="version-turn">
      <p className="truncate italic" title={turn.prompt}>
        “{turn.prompt}”
      </p>
      <p className="flex items-center gap-1">
        <span className="shrink-0 font-medium" data-testid="version-turn-cost">
          {formatUsd(turn.costUsd)}
        </span>
        <span aria-hidden>·</span>
        <span className="min-w-0 truncate" title={turn.model}>
          {turn.model}
        </span>
        {conversationId && (
          <button
            type="button"
            className="ml-1 inline-flex shrink-0 items-center gap-0.5 text-brand-700 hover:underline dark:text-brand-300"
            onClick={() => onOpen(conversationId)}
            aria-label={`Open the conversation of version ${version}`}
          >
            <MessageSquare className="size-3" aria-hidden /> Conversation
          </button>
        )}
      </p>
    </div>
  );
}

/** The active file's timeline (who, user or Claude, when, size), compare any two, restore; and deleted files. */
export function HistoryPanel() {
  const trpc = useTRPC();
  const { projectId, restore, openFile, openAssistant } = useIdeActions();
  const { state } = useIdeState();
  const path = state.active;
  const [selected, setSelected] = useState<string[]>([]);
  const [comparing, setComparing] = useState<[Version, Version] | null>(null);
  const [restoring, setRestoring] = useState<Version | null>(null);
  const [error, setError] = useState<string>();
  const [refused, setRefused] = useState<{ request: RestoreRequest; current: TConflictFile; message: string } | null>(
    null,
  );
  const history = useQuery({
    ...trpc.file.history.queryOptions({ projectId, path: path ?? "_" }),
    enabled: Boolean(path),
  });
  const deleted = useQuery(trpc.file.listDeleted.queryOptions({ projectId }));
  const [pending, setPending] = useState(false);

  /** Restores; answers whether it did. A live file the user did not see is offered to overwrite, never overwritten. */
  async function restoreVersion(request: RestoreRequest): Promise<boolean> {
    setError(undefined);
    setPending(true);
    try {
      await restore(request);
      setRefused(null);
      return true;
    } catch (failure) {
      // A restore never meets a deleted file (it then creates one): a conflict offers the live file to compare.
      const conflict = conflictOf(failure);
      if (conflict?.current) setRefused({ request, current: conflict.current, message: (failure as Error).message });
      else setError((failure as Error).message);
      return false;
    } finally {
      setPending(false);
    }
  }

  const versions = history.data?.versions ?? [];
  const claudeCost = history.data?.claudeCost;
  const pair = selected
    .map((key) => versions.find((version) => versionKey(version) === key))
    .filter(Boolean) as Version[];

  /** The live file this history was opened on: the tab's file, at the newest of its versions listed here. */
  function seenFile(): RestoreRequest["base"] {
    const tab = path ? state.files[path] : undefined;
    if (!tab?.fileId) return undefined;
    const listed = versions.filter((version) => version.fileId === tab.fileId).map((version) => version.version);
    return { fileId: tab.fileId, version: Math.max(tab.baseVersion, ...listed) };
  }

  return (
    <div className="flex h-full flex-col overflow-auto">
      {error && (
        <div className="p-3">
          <Alert tone="error">{error}</Alert>
        </div>
      )}
      <section aria-labelledby="file-history" className="border-b border-zinc-200 dark:border-zinc-800">
        <div className="flex items-center justify-between px-3 py-2">
          <h3 id="file-history" className="truncate text-xs font-semibold uppercase tracking-wide text-zinc-500">
            {path ? `History of ${path}` : "History"}
          </h3>
          <Button
            size="sm"
            variant="secondary"
            disabled={pair.length !== 2}
            onClick={() => pair.length === 2 && setComparing([pair[0]!, pair[1]!])}
          >
            <GitCompare className="size-3.5" aria-hidden /> Compare
          </Button>
        </div>
        {!path ? (
          <p className="px-3 pb-3 text-sm text-zinc-500">Open a file to see its versions.</p>
        ) : history.isLoading ? (
          <p className="px-3 pb-3 text-sm text-zinc-500">Loading…</p>
        ) : (
          <>
            {claudeCost && claudeCost.pricedTurns + claudeCost.unpricedTurns > 0 && (
              <p className="px-3 pb-2 text-xs text-zinc-600 dark:text-zinc-400" data-testid="history-claude-cost">
                <Bot className="mr-1 inline size-3.5 align-[-2px]" aria-hidden />
                Claude&apos;s changes to this file cost{" "}
                <span className="font-medium text-zinc-900 dark:text-zinc-100">
                  {formatCostSum(claudeCost.costUsd, claudeCost.pricedTurns, claudeCost.unpricedTurns)}
                </span>{" "}
                ({claudeCost.pricedTurns + claudeCost.unpricedTurns} turn
                {claudeCost.pricedTurns + claudeCost.unpricedTurns === 1 ? "" : "s"})
              </p>
            )}
            <p className="px-3 pb-2 text-xs text-zinc-500">Tick two versions to compare them.</p>
            <ol className="pb-2" data-testid="history-list">
              {versions.map((version, index) => {
                const key = versionKey(version);
                const checked = selected.includes(key);
                const Icon = version.sourceType === "claude" ? Bot : version.sourceType === "user" ? User : History;
                return (
                  <li
                    key={key}
                    className={cn(
                      "flex items-center gap-2 px-3 py-1.5 text-sm",
                      checked && "bg-brand-50 dark:bg-brand-700/15",
                    )}
                  >
                    <input
                      type="checkbox"
                      aria-label={`Select version ${version.version}`}
                      checked={checked}
                      onChange={(event) =>
                        setSelected((current) =>
                          event.target.checked ? [...current.slice(-1), key] : current.filter((entry) => entry !== key),
                        )
                      }
                    />
                    <Icon className="size-4 shrink-0 text-zinc-400" aria-label={version.sourceType} />
                    <div className="min-w-0 flex-1">
                      <p className="truncate">
                        <span className="font-medium">v{version.version}</span> ·{" "}
                        {version.sourceType === "claude"
                          ? `Claude${version.author ? ` for ${version.author.name}` : ""}`
                          : (version.author?.name ?? version.sourceType)}
                        {index === 0 && (
                          <span className="ml-1 text-xs text-emerald-600 dark:text-emerald-400">current</span>
                        )}
                      </p>
                      <p className="text-xs text-zinc-500" suppressHydrationWarning>
                        {timeAgo(new Date(version.createdAt))} · {formatBytes(version.sizeBytes)}
                      </p>
                      {version.turn && (
                        <VersionTurn turn={version.turn} version={version.version} onOpen={openAssistant} />
                      )}
                    </div>
                    {index > 0 && (
                      <Button
                        size="sm"
                        variant="ghost"
                        aria-label={`Restore version ${version.version}`}
                        onClick={() => setRestoring(version)}
                      >
                        <RotateCcw className="size-3.5" aria-hidden /> Restore
                      </Button>
                    )}
                  </li>
                );
              })}
            </ol>
          </>
        )}
      </section>
      <section aria-labelledby="deleted-files">
        <h3 id="deleted-files" className="px-3 py-2 text-xs font-semibold uppercase tracking-wide text-zinc-500">
          Deleted files
        </h3>
        {deleted.data?.length === 0 && <p className="px-3 pb-3 text-sm text-zinc-500">Nothing deleted.</p>}
        <ul>
          {deleted.data?.map((file) => (
            <li key={file.fileId} className="flex items-center gap-2 px-3 py-1.5 text-sm">
              <span className="min-w-0 flex-1 truncate" title={file.path}>
                {file.path}
              </span>
              <Button
                size="sm"
                variant="ghost"
                aria-label={`Restore ${file.path}`}
                onClick={() =>
                  void restoreVersion({ path: file.path, fileId: file.fileId, version: file.lastVersion }).then(
                    (restored) => restored && openFile(file.path),
                  )
                }
              >
                <RotateCcw className="size-3.5" aria-hidden /> Restore
              </Button>
            </li>
          ))}
        </ul>
      </section>
      {comparing && path && <CompareDialog path={path} pair={comparing} onClose={() => setComparing(null)} />}
      {restoring && path && (
        <ConfirmDialog
          open
          onOpenChange={(open) => !open && setRestoring(null)}
          title={`Restore version ${restoring.version}?`}
          description="Its content becomes a new version of the file. Nothing in the history is lost: you can come back to the current content at any time."
          confirmLabel="Restore"
          tone="primary"
          onConfirm={() =>
            void restoreVersion({ path, fileId: restoring.fileId, version: restoring.version, base: seenFile() })
          }
        />
      )}
      {refused && (
        <RestoreConflictDialog
          request={refused.request}
          current={refused.current}
          message={refused.message}
          pending={pending}
          onClose={() => setRefused(null)}
          onOverwrite={() =>
            void restoreVersion({
              ...refused.request,
              base: { fileId: refused.current.fileId, version: refused.current.version },
            }).then((restored) => restored && openFile(refused.request.path))
          }
        />
      )}
    </div>
  );
}
