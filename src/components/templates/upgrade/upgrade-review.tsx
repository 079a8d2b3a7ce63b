"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { TRPCClientError } from "@trpc/client";
import { ArrowLeft, CheckCircle2, FileWarning, GitMerge, RotateCcw } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type ReactNode } from "react";
import { LazyDiffView } from "~/components/editor/monaco/lazy";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { ConfirmDialog } from "~/components/ui/confirm-dialog";
import { cn } from "~/lib/cn";
import { languageForPath } from "~/lib/file-types";
import type { TPreferences } from "~/lib/schemas/account";
import { useTRPC } from "~/trpc/react";
import {
  applyInput,
  isShown,
  pathsWithMarkers,
  resultDeleted,
  resultText,
  unresolvedPaths,
  type Resolution,
  type Resolutions,
  type UpgradeFile,
  type UpgradePreview,
} from "./resolutions";

const CHANGE_LABELS: Record<UpgradeFile["change"], string> = { add: "Added", modify: "Modified", delete: "Deleted" };

function Badge({
  tone,
  children,
  testId,
}: {
  tone: "clean" | "conflict" | "resolved" | "neutral";
  children: string;
  testId?: string;
}) {
  return (
    <span
      data-testid={testId}
      className={cn(
        "inline-flex shrink-0 items-center rounded px-1.5 py-0.5 text-[11px] font-medium leading-none",
        tone === "clean" && "bg-emerald-100 text-emerald-800 dark:bg-emerald-900/50 dark:text-emerald-200",
        tone === "conflict" && "bg-amber-100 text-amber-900 dark:bg-amber-900/50 dark:text-amber-100",
        tone === "resolved" && "bg-brand-100 text-brand-700 dark:bg-brand-700/30 dark:text-brand-100",
        tone === "neutral" && "bg-zinc-100 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300",
      )}
    >
      {children}
    </span>
  );
}

function statusOf(file: UpgradeFile, resolution: Resolution | undefined) {
  if (file.status === "clean") return { tone: "clean" as const, label: "Clean" };
  return resolution
    ? { tone: "resolved" as const, label: "Resolved" }
    : { tone: "conflict" as const, label: "Conflict" };
}

/** What the upgrade does to a file, in words. */
function describe(file: UpgradeFile, version: string): string {
  if (file.status === "clean") {
    if (file.change === "add") return `Template ${version} adds this file.`;
    if (file.change === "delete") return `Template ${version} deletes this file, and you had not changed it.`;
    return file.ours === null && file.isBinary
      ? `Template ${version} changed this file, and you had not.`
      : `Template ${version} changed this file; your own edits, if any, are kept.`;
  }
  if (file.clash !== null) {
    return `Template ${version} adds this file, but your “${file.clash}” is in the way (a file cannot also be a folder). Keep yours to leave the template's file out, or move yours away and review the upgrade again.`;
  }
  if (file.change === "add") return `Template ${version} adds this file, but you already have a different one here.`;
  if (file.change === "delete") return `Template ${version} deletes this file, but you changed it.`;
  if (file.fileId === null) return `Template ${version} changed this file, but you deleted it.`;
  if (!isShown(file)) return `Template ${version} and you both changed this file.`;
  return `Template ${version} and you both changed the same lines. Edit the right side until it reads as you want it (remove the conflict markers), or take one side whole.`;
}

/** The review of a template upgrade: every changed file, its merge in Monaco's diff editor, then the apply. */
export function UpgradeReview({ projectId, preferences }: { projectId: string; preferences: TPreferences }) {
  const trpc = useTRPC();
  const preview = useQuery({
    ...trpc.template.upgradePreview.queryOptions({ projectId }),
    // The preview is what the user reviews and what the apply is checked against: it never changes under them.
    staleTime: Infinity,
    gcTime: 0,
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
    retry: false,
  });
  const back = (
    <Button asChild variant="secondary" size="sm">
      <Link href={`/projects/${projectId}`} data-testid="upgrade-back">
        <ArrowLeft className="size-4" aria-hidden /> Back to the project
      </Link>
    </Button>
  );

  if (preview.isPending) {
    return (
      <div role="status" aria-live="polite" className="p-8 text-sm text-zinc-600 dark:text-zinc-400">
        Merging the template&apos;s changes into your files…
      </div>
    );
  }
  if (preview.isError) {
    return (
      <div className="mx-auto max-w-2xl space-y-4 px-4 py-10" data-testid="upgrade-unavailable">
        <Alert tone={preview.error.data?.code === "BAD_REQUEST" ? "info" : "error"}>{preview.error.message}</Alert>
        <div className="flex gap-2">
          {back}
          {preview.error.data?.code !== "BAD_REQUEST" && (
            <Button variant="secondary" size="sm" onClick={() => void preview.refetch()}>
              Try again
            </Button>
          )}
        </div>
      </div>
    );
  }
  return (
    <Review
      // A reloaded preview starts over: decisions made on the old one may not fit the new one.
      key={preview.dataUpdatedAt}
      projectId={projectId}
      preview={preview.data}
      preferences={preferences}
      back={back}
      onReload={() => void preview.refetch()}
      reloading={preview.isFetching}
    />
  );
}

function Review({
  projectId,
  preview,
  preferences,
  back,
  onReload,
  reloading,
}: {
  projectId: string;
  preview: UpgradePreview;
  preferences: TPreferences;
  back: ReactNode;
  onReload(): void;
  reloading: boolean;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const [resolutions, setResolutions] = useState<Resolutions>({});
  const [selected, setSelected] = useState<string | null>(
    () => (preview.files.find((file) => file.status === "conflict") ?? preview.files[0])?.path ?? null,
  );
  const [applyError, setApplyError] = useState<{ message: string; stale: boolean } | null>(null);
  const [confirmMarkers, setConfirmMarkers] = useState(false);
  const apply = useMutation(trpc.template.upgradeApply.mutationOptions());

  const unresolved = unresolvedPaths(preview, resolutions);
  const withMarkers = pathsWithMarkers(preview, resolutions);
  const file = preview.files.find((candidate) => candidate.path === selected) ?? null;
  const resolve = (path: string, resolution: Resolution | null) =>
    setResolutions((current) => {
      const next = { ...current };
      if (resolution) next[path] = resolution;
      else delete next[path];
      return next;
    });

  async function applyUpgrade() {
    setApplyError(null);
    try {
      await apply.mutateAsync(applyInput(projectId, preview, resolutions));
      // Files, the banner and the project's header all changed.
      await queryClient.invalidateQueries();
      router.push(`/projects/${projectId}`);
    } catch (error) {
      const stale = error instanceof TRPCClientError && error.data?.code === "CONFLICT";
      setApplyError({ message: (error as Error).message, stale });
    }
  }

  return (
    <div className="flex h-[calc(100dvh-3.5rem)] flex-col" data-testid="upgrade-page">
      <header className="flex shrink-0 flex-wrap items-center gap-3 border-b border-zinc-200 px-4 py-3 dark:border-zinc-800">
        <GitMerge className="size-5 text-brand-600 dark:text-brand-400" aria-hidden />
        <div className="min-w-0">
          <h1 className="text-lg font-semibold tracking-tight">
            Upgrade from template {preview.templateName} {preview.fromVersion} to {preview.toVersion}
          </h1>
          <p data-testid="upgrade-summary" className="text-sm text-zinc-600 dark:text-zinc-400">
            {preview.files.length === 0
              ? "Your files already have everything this version changes."
              : `${preview.cleanCount} ${preview.cleanCount === 1 ? "change applies" : "changes apply"} cleanly, ${preview.conflictCount} ${preview.conflictCount === 1 ? "conflict" : "conflicts"} to resolve. Nothing is written until you apply.`}
          </p>
        </div>
        <div className="ml-auto">{back}</div>
      </header>

      <div className="flex min-h-0 flex-1 overflow-hidden">
        <nav
          aria-label="Changed files"
          className="w-72 shrink-0 overflow-auto border-r border-zinc-200 dark:border-zinc-800"
        >
          {preview.files.length === 0 ? (
            <p className="p-4 text-sm text-zinc-600 dark:text-zinc-400">
              No file changes. Applying records that the project is at {preview.toVersion}.
            </p>
          ) : (
            <ul data-testid="upgrade-file-list" className="py-1">
              {preview.files.map((entry) => {
                const status = statusOf(entry, resolutions[entry.path]);
                return (
                  <li key={entry.path}>
                    <button
                      type="button"
                      data-testid="upgrade-file"
                      data-path={entry.path}
                      data-status={status.label.toLowerCase()}
                      aria-current={entry.path === selected ? "true" : undefined}
                      aria-label={`${entry.path}: ${CHANGE_LABELS[entry.change].toLowerCase()}, ${status.label.toLowerCase()}`}
                      onClick={() => setSelected(entry.path)}
                      className={cn(
                        "flex w-full items-center gap-2 px-3 py-1.5 text-left text-sm focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-brand-500",
                        entry.path === selected
                          ? "bg-brand-50 text-brand-700 dark:bg-brand-700/20 dark:text-brand-100"
                          : "hover:bg-zinc-100 dark:hover:bg-zinc-800",
                      )}
                    >
                      <span className="min-w-0 flex-1 truncate font-mono text-xs" title={entry.path}>
                        {entry.path}
                      </span>
                      <Badge tone="neutral">{CHANGE_LABELS[entry.change]}</Badge>
                      <Badge tone={status.tone} testId="upgrade-file-status">
                        {status.label}
                      </Badge>
                    </button>
                  </li>
                );
              })}
            </ul>
          )}
          <details className="border-t border-zinc-200 p-3 text-sm dark:border-zinc-800">
            <summary className="cursor-pointer text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100">
              What&apos;s new
            </summary>
            <ol className="mt-2 space-y-2">
              {preview.changelog.map((entry) => (
                <li key={entry.version}>
                  <p className="font-medium">{entry.version}</p>
                  <p className="whitespace-pre-wrap text-zinc-700 dark:text-zinc-300">{entry.changelog}</p>
                </li>
              ))}
            </ol>
            {preview.changelogOmitted > 0 && (
              <p className="mt-2 text-zinc-600 dark:text-zinc-400">
                And {preview.changelogOmitted.toLocaleString("en-US")} earlier{" "}
                {preview.changelogOmitted === 1 ? "version" : "versions"}.
              </p>
            )}
          </details>
        </nav>

        <section aria-label="File change" className="flex min-w-0 flex-1 flex-col" data-testid="upgrade-file-detail">
          {file ? (
            <FileDetail
              key={file.path}
              file={file}
              version={preview.toVersion}
              resolution={resolutions[file.path]}
              onResolve={(resolution) => resolve(file.path, resolution)}
              preferences={preferences}
            />
          ) : (
            <p className="p-6 text-sm text-zinc-600 dark:text-zinc-400">Choose a file on the left to see its change.</p>
          )}
        </section>
      </div>

      <footer className="flex shrink-0 flex-wrap items-center gap-3 border-t border-zinc-200 bg-zinc-50 px-4 py-2 dark:border-zinc-800 dark:bg-zinc-900">
        {applyError ? (
          <div
            data-testid="upgrade-error"
            role="alert"
            className="flex min-w-0 flex-1 flex-wrap items-center gap-2 text-sm text-red-700 dark:text-red-300"
          >
            <span className="min-w-0">
              {applyError.stale ? "Nothing was written. " : ""}
              {applyError.message}
            </span>
            {applyError.stale && (
              <Button size="sm" variant="secondary" onClick={onReload} pending={reloading} data-testid="upgrade-reload">
                <RotateCcw className="size-4" aria-hidden /> Reload the preview
              </Button>
            )}
          </div>
        ) : unresolved.length > 0 ? (
          <p data-testid="upgrade-apply-blocked" className="min-w-0 flex-1 text-sm text-amber-800 dark:text-amber-200">
            Resolve {unresolved.length === 1 ? "the conflict" : `${unresolved.length} conflicts`} to apply:{" "}
            {unresolved.map((path, index) => (
              <span key={path}>
                {index > 0 && ", "}
                <button type="button" className="font-mono text-xs underline" onClick={() => setSelected(path)}>
                  {path}
                </button>
              </span>
            ))}
          </p>
        ) : (
          <p className="min-w-0 flex-1 text-sm text-zinc-600 dark:text-zinc-400">
            {withMarkers.length > 0
              ? `Conflict markers are still in ${withMarkers.join(", ")}.`
              : "Ready: the changes are written in one step, as new versions you can restore from history."}
          </p>
        )}
        <Button
          data-testid="upgrade-apply"
          disabled={unresolved.length > 0}
          pending={apply.isPending}
          onClick={() => (withMarkers.length > 0 ? setConfirmMarkers(true) : void applyUpgrade())}
        >
          <CheckCircle2 className="size-4" aria-hidden /> Apply upgrade
        </Button>
      </footer>
      <ConfirmDialog
        open={confirmMarkers}
        onOpenChange={setConfirmMarkers}
        tone="primary"
        title="Apply with conflict markers?"
        description={`${withMarkers.join(", ")} still ${withMarkers.length === 1 ? "has" : "have"} lines like <<<<<<< or >>>>>>>. They are written as they are.`}
        confirmLabel="Apply anyway"
        onConfirm={() => void applyUpgrade()}
      />
    </div>
  );
}

function FileDetail({
  file,
  version,
  resolution,
  onResolve,
  preferences,
}: {
  file: UpgradeFile;
  version: string;
  resolution: Resolution | undefined;
  onResolve(resolution: Resolution | null): void;
  preferences: TPreferences;
}) {
  const [view, setView] = useState<"result" | "template">("result");
  const conflict = file.status === "conflict";
  const deleted = resultDeleted(file, resolution);
  const taken = resolution?.kind === "take" ? resolution.side : null;
  const theirsLabel = file.change === "delete" ? "Delete it (template's)" : "Use template's";
  const oursLabel = file.fileId === null ? "Keep it deleted (mine)" : "Keep mine";

  return (
    <>
      <div className="flex shrink-0 flex-wrap items-center gap-2 border-b border-zinc-200 px-4 py-2 dark:border-zinc-800">
        <h2 className="min-w-0 truncate font-mono text-sm font-medium" title={file.path}>
          {file.path}
        </h2>
        <p className="w-full text-sm text-zinc-600 dark:text-zinc-400" data-testid="upgrade-file-description">
          {describe(file, version)}
          {deleted ? " After the upgrade the file is deleted." : ""}
        </p>
        {isShown(file) && (
          <div
            role="group"
            aria-label="Show"
            className="flex rounded-md border border-zinc-200 text-xs dark:border-zinc-800"
          >
            {(
              [
                ["result", "Your file → result"],
                ["template", `Template's change (${version})`],
              ] as const
            ).map(([id, label]) => (
              <button
                key={id}
                type="button"
                aria-pressed={view === id}
                onClick={() => setView(id)}
                className={cn(
                  "px-2 py-1",
                  view === id
                    ? "bg-brand-50 text-brand-700 dark:bg-brand-700/20 dark:text-brand-100"
                    : "text-zinc-600 hover:bg-zinc-100 dark:text-zinc-400 dark:hover:bg-zinc-800",
                )}
              >
                {label}
              </button>
            ))}
          </div>
        )}
        {conflict && (
          <div className="ml-auto flex flex-wrap gap-2">
            <Button
              size="sm"
              variant={taken === "theirs" ? "primary" : "secondary"}
              aria-pressed={taken === "theirs"}
              data-testid="upgrade-use-theirs"
              onClick={() => onResolve({ kind: "take", side: "theirs" })}
            >
              {theirsLabel}
            </Button>
            <Button
              size="sm"
              variant={taken === "ours" ? "primary" : "secondary"}
              aria-pressed={taken === "ours"}
              data-testid="upgrade-keep-mine"
              onClick={() => onResolve({ kind: "take", side: "ours" })}
            >
              {oursLabel}
            </Button>
            {isShown(file) && (
              <Button
                size="sm"
                variant="ghost"
                disabled={!resolution}
                data-testid="upgrade-reset"
                onClick={() => onResolve(null)}
                title="Start again from the proposal with conflict markers"
              >
                <RotateCcw className="size-4" aria-hidden /> Start over
              </Button>
            )}
          </div>
        )}
      </div>
      <div className="min-h-0 flex-1">
        {!isShown(file) ? (
          <div className="flex items-start gap-3 p-6 text-sm text-zinc-700 dark:text-zinc-300">
            <FileWarning className="mt-0.5 size-5 shrink-0 text-zinc-500" aria-hidden />
            <p>
              {file.isBinary ? "This is a binary file" : "This file is too large to compare here"}
              {conflict ? ", so it cannot be merged line by line: take the template's version or keep yours." : "."}
              {conflict && taken ? ` Chosen: ${taken === "theirs" ? "the template's" : "yours"}.` : ""}
            </p>
          </div>
        ) : view === "template" ? (
          <LazyDiffView
            key="template"
            original={file.base ?? ""}
            modified={file.theirs ?? ""}
            language={languageForPath(file.path)}
            path={file.path}
            originalLabel={file.base === null ? "Not in your version of the template" : "Your version of the template"}
            modifiedLabel={file.theirs === null ? `Deleted in ${version}` : `Template ${version}`}
            preferences={preferences}
          />
        ) : (
          <LazyDiffView
            key="result"
            original={file.ours ?? ""}
            modified={deleted ? "" : resultText(file, resolution)}
            language={languageForPath(file.path)}
            path={file.path}
            originalLabel={file.ours === null ? "Yours: no file here" : "Yours now"}
            modifiedLabel={
              deleted
                ? "After the upgrade: deleted"
                : conflict
                  ? "After the upgrade (edit here to resolve)"
                  : "After the upgrade"
            }
            editableModified={conflict && !deleted}
            onModifiedChange={(content) => onResolve({ kind: "content", content })}
            preferences={preferences}
          />
        )}
      </div>
    </>
  );
}
