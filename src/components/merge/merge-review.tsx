"use client";

import type { UseQueryResult } from "@tanstack/react-query";
import { TRPCClientError } from "@trpc/client";
import { ArrowLeft, CheckCircle2, FileWarning, GitMerge, RotateCcw } from "lucide-react";
import Link from "next/link";
import { useState, type ReactNode } from "react";
import { LazyDiffView } from "~/components/editor/monaco/lazy";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { ConfirmDialog } from "~/components/ui/confirm-dialog";
import { cn } from "~/lib/cn";
import { languageForPath } from "~/lib/file-types";
import type { TPreferences } from "~/lib/schemas/account";
import {
  isShown,
  pathsWithMarkers,
  resultDeleted,
  resultText,
  reviewDecisions,
  unresolvedPaths,
  type Resolution,
  type Resolutions,
  type ReviewDecisions,
  type ReviewFile,
  type ReviewPreview,
} from "./resolutions";

/**
 * The words of one kind of merge (a template upgrade, a Git pull): the page is the same, only who "they" are and
 * what applying is called differ.
 */
export interface MergeWording {
  title: ReactNode;
  /** The summary under the title, when the counts of clean changes and conflicts are not the best words. */
  summary?: string;
  /** The other side as a sentence's subject: "Template 1.1.0", "The remote". */
  theirs: string;
  /** Its possessive, lower case: "the template's", "the remote's"; and shorter, for buttons: "template's". */
  theirsPossessive: string;
  theirsShort: string;
  /** The act, lower case: "upgrade", "pull". */
  action: string;
  /** The button of the other side's change view: "Template's change (1.1.0)". */
  theirsChangeLabel: string;
  /** The sides of that view: the common base (present or not) and the other side (present or deleted). */
  baseLabel: string;
  baseMissingLabel: string;
  theirsLabel: string;
  theirsDeletedLabel: string;
  /** The summary when no file changes. */
  nothingToMerge: string;
  /** The file list when no file changes. */
  noFiles: string;
  applyLabel: string;
  /** Under the file list (a changelog, the commits). */
  aside?: ReactNode;
}

const CHANGE_LABELS: Record<ReviewFile["change"], string> = { add: "Added", modify: "Modified", delete: "Deleted" };

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

function statusOf(file: ReviewFile, resolution: Resolution | undefined) {
  if (file.status === "clean") return { tone: "clean" as const, label: "Clean" };
  return resolution
    ? { tone: "resolved" as const, label: "Resolved" }
    : { tone: "conflict" as const, label: "Conflict" };
}

/** What the merge does to a file, in words. */
function describe(file: ReviewFile, words: MergeWording): string {
  const { theirs } = words;
  if (file.status === "clean") {
    if (file.change === "add") return `${theirs} adds this file.`;
    if (file.change === "delete") return `${theirs} deletes this file, and you had not changed it.`;
    return file.ours === null && file.isBinary
      ? `${theirs} changed this file, and you had not.`
      : `${theirs} changed this file; your own edits, if any, are kept.`;
  }
  if (file.clash !== null) {
    return `${theirs} adds this file, but your “${file.clash}” is in the way (a file cannot also be a folder). Keep yours to leave ${words.theirsPossessive} file out, or move yours away and review the ${words.action} again.`;
  }
  if (file.change === "add") return `${theirs} adds this file, but you already have a different one here.`;
  if (file.change === "delete") return `${theirs} deletes this file, but you changed it.`;
  if (file.fileId === null) return `${theirs} changed this file, but you deleted it.`;
  if (!isShown(file)) return `${theirs} and you both changed this file.`;
  return `${theirs} and you both changed the same lines. Edit the right side until it reads as you want it (remove the conflict markers), or take one side whole.`;
}

/** A query's error as the review shows it (a tRPC error has a code). */
type ReviewQueryError = { message: string; data?: { code?: string } | null };

/**
 * The review of a three-way merge into the project's files (a template upgrade, a Git pull): every changed file,
 * its merge in Monaco's diff editor, then the apply. The preview comes from `query` and never changes under the
 * user; `intro` may show a page of its own instead (e.g. nothing to pull); `onApply` sends the decisions and
 * leaves the page, or throws (a CONFLICT offers to reload the preview).
 */
export function MergeReview<P extends ReviewPreview>({
  projectId,
  preferences,
  query,
  loadingText,
  testIdPrefix,
  wording,
  intro,
  onApply,
}: {
  projectId: string;
  preferences: TPreferences;
  query: UseQueryResult<P, ReviewQueryError>;
  loadingText: string;
  /** Prefix of the page's test ids: `${prefix}-page`, `${prefix}-file`, `${prefix}-apply`… */
  testIdPrefix: string;
  wording(preview: P): MergeWording;
  intro?(preview: P, back: ReactNode): ReactNode;
  onApply(preview: P, decisions: ReviewDecisions): Promise<void>;
}) {
  const back = (
    <Button asChild variant="secondary" size="sm">
      <Link href={`/projects/${projectId}`} data-testid={`${testIdPrefix}-back`}>
        <ArrowLeft className="size-4" aria-hidden /> Back to the project
      </Link>
    </Button>
  );

  if (query.isPending) {
    return (
      <div role="status" aria-live="polite" className="p-8 text-sm text-zinc-600 dark:text-zinc-400">
        {loadingText}
      </div>
    );
  }
  if (query.isError) {
    const expected = query.error.data?.code === "BAD_REQUEST";
    return (
      <div className="mx-auto max-w-2xl space-y-4 px-4 py-10" data-testid={`${testIdPrefix}-unavailable`}>
        <Alert tone={expected ? "info" : "error"}>{query.error.message}</Alert>
        <div className="flex gap-2">
          {back}
          {!expected && (
            <Button variant="secondary" size="sm" onClick={() => void query.refetch()}>
              Try again
            </Button>
          )}
        </div>
      </div>
    );
  }
  const preview = query.data;
  const shownInstead = intro?.(preview, back);
  if (shownInstead) return shownInstead;
  return (
    <Review
      // A reloaded preview starts over: decisions made on the old one may not fit the new one.
      key={query.dataUpdatedAt}
      preview={preview}
      words={wording(preview)}
      testIdPrefix={testIdPrefix}
      preferences={preferences}
      back={back}
      onApply={(decisions) => onApply(preview, decisions)}
      onReload={() => void query.refetch()}
      reloading={query.isFetching}
    />
  );
}

function Review({
  preview,
  words,
  testIdPrefix: id,
  preferences,
  back,
  onApply,
  onReload,
  reloading,
}: {
  preview: ReviewPreview;
  words: MergeWording;
  testIdPrefix: string;
  preferences: TPreferences;
  back: ReactNode;
  onApply(decisions: ReviewDecisions): Promise<void>;
  onReload(): void;
  reloading: boolean;
}) {
  const [resolutions, setResolutions] = useState<Resolutions>({});
  const [selected, setSelected] = useState<string | null>(
    () => (preview.files.find((file) => file.status === "conflict") ?? preview.files[0])?.path ?? null,
  );
  const [applyError, setApplyError] = useState<{ message: string; stale: boolean } | null>(null);
  const [confirmMarkers, setConfirmMarkers] = useState(false);
  const [applying, setApplying] = useState(false);

  const unresolved = unresolvedPaths(preview, resolutions);
  const withMarkers = pathsWithMarkers(preview, resolutions);
  const file = preview.files.find((candidate) => candidate.path === selected) ?? null;
  const cleanCount = preview.files.filter((entry) => entry.status === "clean").length;
  const conflictCount = preview.files.length - cleanCount;
  const resolve = (path: string, resolution: Resolution | null) =>
    setResolutions((current) => {
      const next = { ...current };
      if (resolution) next[path] = resolution;
      else delete next[path];
      return next;
    });

  async function apply() {
    setApplyError(null);
    setApplying(true);
    try {
      await onApply(reviewDecisions(preview, resolutions));
    } catch (error) {
      const stale = error instanceof TRPCClientError && error.data?.code === "CONFLICT";
      setApplyError({ message: (error as Error).message, stale });
    } finally {
      setApplying(false);
    }
  }

  return (
    <div className="flex h-[calc(100dvh-3.5rem)] flex-col" data-testid={`${id}-page`}>
      <header className="flex shrink-0 flex-wrap items-center gap-3 border-b border-zinc-200 px-4 py-3 dark:border-zinc-800">
        <GitMerge className="size-5 text-brand-600 dark:text-brand-400" aria-hidden />
        <div className="min-w-0">
          <h1 className="text-lg font-semibold tracking-tight">{words.title}</h1>
          <p data-testid={`${id}-summary`} className="text-sm text-zinc-600 dark:text-zinc-400">
            {words.summary ??
              (preview.files.length === 0
                ? words.nothingToMerge
                : `${cleanCount} ${cleanCount === 1 ? "change applies" : "changes apply"} cleanly, ${conflictCount} ${conflictCount === 1 ? "conflict" : "conflicts"} to resolve. Nothing is written until you apply.`)}
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
            <p className="p-4 text-sm text-zinc-600 dark:text-zinc-400">{words.noFiles}</p>
          ) : (
            <ul data-testid={`${id}-file-list`} className="py-1">
              {preview.files.map((entry) => {
                const status = statusOf(entry, resolutions[entry.path]);
                return (
                  <li key={entry.path}>
                    <button
                      type="button"
                      data-testid={`${id}-file`}
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
                      <Badge tone={status.tone} testId={`${id}-file-status`}>
                        {status.label}
                      </Badge>
                    </button>
                  </li>
                );
              })}
            </ul>
          )}
          {words.aside}
        </nav>

        <section aria-label="File change" className="flex min-w-0 flex-1 flex-col" data-testid={`${id}-file-detail`}>
          {file ? (
            <FileDetail
              key={file.path}
              file={file}
              words={words}
              testIdPrefix={id}
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
            data-testid={`${id}-error`}
            role="alert"
            className="flex min-w-0 flex-1 flex-wrap items-center gap-2 text-sm text-red-700 dark:text-red-300"
          >
            <span className="min-w-0">
              {applyError.stale ? "Nothing was written. " : ""}
              {applyError.message}
            </span>
            {applyError.stale && (
              <Button size="sm" variant="secondary" onClick={onReload} pending={reloading} data-testid={`${id}-reload`}>
                <RotateCcw className="size-4" aria-hidden /> Reload the preview
              </Button>
            )}
          </div>
        ) : unresolved.length > 0 ? (
          <p data-testid={`${id}-apply-blocked`} className="min-w-0 flex-1 text-sm text-amber-800 dark:text-amber-200">
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
          data-testid={`${id}-apply`}
          disabled={unresolved.length > 0}
          pending={applying}
          onClick={() => (withMarkers.length > 0 ? setConfirmMarkers(true) : void apply())}
        >
          <CheckCircle2 className="size-4" aria-hidden /> {words.applyLabel}
        </Button>
      </footer>
      <ConfirmDialog
        open={confirmMarkers}
        onOpenChange={setConfirmMarkers}
        tone="primary"
        title="Apply with conflict markers?"
        description={`${withMarkers.join(", ")} still ${withMarkers.length === 1 ? "has" : "have"} lines like <<<<<<< or >>>>>>>. They are written as they are.`}
        confirmLabel="Apply anyway"
        onConfirm={() => void apply()}
      />
    </div>
  );
}

function FileDetail({
  file,
  words,
  testIdPrefix: id,
  resolution,
  onResolve,
  preferences,
}: {
  file: ReviewFile;
  words: MergeWording;
  testIdPrefix: string;
  resolution: Resolution | undefined;
  onResolve(resolution: Resolution | null): void;
  preferences: TPreferences;
}) {
  const [view, setView] = useState<"result" | "theirs">("result");
  const conflict = file.status === "conflict";
  const deleted = resultDeleted(file, resolution);
  const taken = resolution?.kind === "take" ? resolution.side : null;
  const theirsButton = file.change === "delete" ? `Delete it (${words.theirsShort})` : `Use ${words.theirsShort}`;
  const oursLabel = file.fileId === null ? "Keep it deleted (mine)" : "Keep mine";
  const after = `After the ${words.action}`;

  return (
    <>
      <div className="flex shrink-0 flex-wrap items-center gap-2 border-b border-zinc-200 px-4 py-2 dark:border-zinc-800">
        <h2 className="min-w-0 truncate font-mono text-sm font-medium" title={file.path}>
          {file.path}
        </h2>
        <p className="w-full text-sm text-zinc-600 dark:text-zinc-400" data-testid={`${id}-file-description`}>
          {describe(file, words)}
          {deleted ? ` ${after} the file is deleted.` : ""}
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
                ["theirs", words.theirsChangeLabel],
              ] as const
            ).map(([value, label]) => (
              <button
                key={value}
                type="button"
                aria-pressed={view === value}
                onClick={() => setView(value)}
                className={cn(
                  "px-2 py-1",
                  view === value
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
              data-testid={`${id}-use-theirs`}
              onClick={() => onResolve({ kind: "take", side: "theirs" })}
            >
              {theirsButton}
            </Button>
            <Button
              size="sm"
              variant={taken === "ours" ? "primary" : "secondary"}
              aria-pressed={taken === "ours"}
              data-testid={`${id}-keep-mine`}
              onClick={() => onResolve({ kind: "take", side: "ours" })}
            >
              {oursLabel}
            </Button>
            {isShown(file) && (
              <Button
                size="sm"
                variant="ghost"
                disabled={!resolution}
                data-testid={`${id}-reset`}
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
              {conflict
                ? `, so it cannot be merged line by line: take ${words.theirsPossessive} version or keep yours.`
                : "."}
              {conflict && taken ? ` Chosen: ${taken === "theirs" ? words.theirsPossessive : "yours"}.` : ""}
            </p>
          </div>
        ) : view === "theirs" ? (
          <LazyDiffView
            key="theirs"
            original={file.base ?? ""}
            modified={file.theirs ?? ""}
            language={languageForPath(file.path)}
            path={file.path}
            originalLabel={file.base === null ? words.baseMissingLabel : words.baseLabel}
            modifiedLabel={file.theirs === null ? words.theirsDeletedLabel : words.theirsLabel}
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
            modifiedLabel={deleted ? `${after}: deleted` : conflict ? `${after} (edit here to resolve)` : after}
            editableModified={conflict && !deleted}
            onModifiedChange={(content) => onResolve({ kind: "content", content })}
            preferences={preferences}
          />
        )}
      </div>
    </>
  );
}
