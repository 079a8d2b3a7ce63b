"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { TRPCClientError } from "@trpc/client";
import { ArrowDownToLine, ArrowLeft, ArrowUpFromLine, GitCommitHorizontal, Settings } from "lucide-react";
import Link from "next/link";
import { useState, type FormEvent, type ReactNode } from "react";
import { useUnsaved } from "~/components/editor/ide-provider";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { DialogClose, DialogContent } from "~/components/ui/dialog";
import { TextAreaField } from "~/components/ui/field";
import { toast } from "~/components/ui/toast";
import { cn } from "~/lib/cn";
import { defaultCommitMessage, shortCommit } from "~/lib/git/display";
import { timeAgo } from "~/lib/format";
import type { RouterOutputs } from "~/server/api/root";
import { useTRPC } from "~/trpc/react";
import { pullHref } from "./links";

type GitStatus = RouterOutputs["git"]["status"];
type Change = GitStatus["changes"][number];

const CHANGE_LABELS: Record<Change["change"], string> = { add: "Added", modify: "Modified", delete: "Deleted" };
const CHANGE_TONES: Record<Change["change"], string> = {
  add: "bg-emerald-100 text-emerald-800 dark:bg-emerald-900/50 dark:text-emerald-200",
  modify: "bg-brand-100 text-brand-700 dark:bg-brand-700/30 dark:text-brand-100",
  delete: "bg-red-100 text-red-800 dark:bg-red-900/50 dark:text-red-200",
};

const WIDTH = "w-[min(40rem,calc(100vw-2rem))] max-h-[calc(100dvh-2rem)] overflow-y-auto";

function Detail({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs font-medium uppercase tracking-wide text-zinc-500 dark:text-zinc-400">{term}</dt>
      <dd className="mt-0.5 text-sm text-zinc-900 dark:text-zinc-100">{children}</dd>
    </div>
  );
}

function ChangeList({ changes }: { changes: readonly Change[] }) {
  return (
    <ul
      data-testid="git-changes"
      aria-label="Changed files"
      className="max-h-56 divide-y divide-zinc-100 overflow-y-auto rounded-lg border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800"
    >
      {changes.map((entry) => (
        <li
          key={entry.path}
          data-testid="git-change"
          data-path={entry.path}
          data-change={entry.change}
          className="flex items-center gap-2 px-3 py-1.5"
        >
          <span className="min-w-0 flex-1 truncate font-mono text-xs" title={entry.path}>
            {entry.path}
          </span>
          <span
            className={cn(
              "shrink-0 rounded px-1.5 py-0.5 text-[11px] font-medium leading-none",
              CHANGE_TONES[entry.change],
            )}
          >
            {CHANGE_LABELS[entry.change]}
          </span>
        </li>
      ))}
    </ul>
  );
}

/**
 * The Git panel of the IDE (lazy; inside the toolbar's dialog): the project's remote, branch, last sync and synced
 * commit, the files changed since, and the way to push them (with a message) or to pull the remote's commits.
 */
export default function GitPanel({ projectId }: { projectId: string }) {
  const trpc = useTRPC();
  // Read afresh each time the panel opens: saves since it was last open changed what there is to push.
  const status = useQuery({
    ...trpc.git.status.queryOptions({ projectId }),
    staleTime: 0,
    refetchOnMount: "always",
    refetchOnWindowFocus: true,
  });
  const [pushing, setPushing] = useState(false);

  if (status.isPending || (!status.isFetchedAfterMount && status.isFetching)) {
    return (
      <DialogContent title="Git" className={WIDTH}>
        <p role="status" className="mt-4 text-sm text-zinc-600 dark:text-zinc-400">
          Reading the project&apos;s Git status…
        </p>
      </DialogContent>
    );
  }
  if (status.isError) {
    return (
      <DialogContent title="Git" className={WIDTH}>
        <div className="mt-4 space-y-3">
          <Alert tone="error">{status.error.message}</Alert>
          <Button variant="secondary" size="sm" onClick={() => void status.refetch()}>
            Try again
          </Button>
        </div>
      </DialogContent>
    );
  }
  const data = status.data;
  if (!data.url) {
    return (
      <DialogContent
        title="Git"
        description="Push this project's files to a Git repository, and pull changes made there."
        className={WIDTH}
      >
        <div className="mt-4 space-y-4" data-testid="git-no-remote">
          <Alert tone="info">
            This project has no Git repository yet. Set its repository URL and branch in the project&apos;s settings; a
            project created from Git has them already.
          </Alert>
          <div className="flex justify-end gap-2">
            <DialogClose asChild>
              <Button variant="secondary">Close</Button>
            </DialogClose>
            <Button asChild>
              <Link href={`/projects/${projectId}/settings#repository`}>
                <Settings className="size-4" aria-hidden /> Open settings
              </Link>
            </Button>
          </div>
        </div>
      </DialogContent>
    );
  }
  return pushing ? (
    <PushForm projectId={projectId} status={data} onDone={() => setPushing(false)} />
  ) : (
    <Overview projectId={projectId} status={data} onPush={() => setPushing(true)} />
  );
}

function Overview({ projectId, status, onPush }: { projectId: string; status: GitStatus; onPush(): void }) {
  const busy = status.operation !== null && status.operation.status === "running";
  return (
    <DialogContent
      title="Git"
      description="What changed since the last sync with the repository, and the way to push or pull."
      className={WIDTH}
    >
      <div className="mt-4 space-y-4" data-testid="git-panel">
        <dl className="grid gap-3 sm:grid-cols-2">
          <div className="sm:col-span-2">
            <Detail term="Remote">
              <span className="break-all font-mono text-xs" data-testid="git-remote">
                {status.url}
              </span>
            </Detail>
          </div>
          <Detail term="Branch">
            <span className="font-mono text-xs" data-testid="git-branch">
              {status.branch ?? "the default branch"}
            </span>
          </Detail>
          <Detail term="Last sync">
            {status.lastSyncAt ? (
              <time dateTime={status.lastSyncAt.toISOString()} title={status.lastSyncAt.toLocaleString()}>
                {timeAgo(status.lastSyncAt)}
              </time>
            ) : (
              "Never"
            )}
          </Detail>
          <Detail term="Synced commit">
            {status.syncedCommit ? (
              <span className="inline-flex items-center gap-1 font-mono text-xs" title={status.syncedCommit}>
                <GitCommitHorizontal className="size-3.5 text-zinc-500" aria-hidden />
                <span data-testid="git-synced-commit">{shortCommit(status.syncedCommit)}</span>
              </span>
            ) : (
              "None yet"
            )}
          </Detail>
          <Detail term="Credentials">
            {status.hasCredentials ? "A token, stored encrypted" : "None (a public repository)"}
          </Detail>
        </dl>

        <section aria-labelledby="git-changes-heading" className="space-y-2">
          <h3 id="git-changes-heading" className="text-sm font-medium">
            {status.changes.length === 0
              ? "No changes since the last sync"
              : `${status.changes.length} ${status.changes.length === 1 ? "file" : "files"} changed since the last sync`}
          </h3>
          {status.changes.length > 0 ? (
            <ChangeList changes={status.changes} />
          ) : (
            <p className="text-sm text-zinc-600 dark:text-zinc-400">
              {status.syncedCommit
                ? "The project's files are those of the synced commit. Pull to bring in newer commits."
                : "Nothing was synced yet: pushing sends every file."}
            </p>
          )}
        </section>

        {busy && (
          <Alert tone="info">
            A {status.operation!.kind} of this project is running ({status.operation!.phase}). Push and pull wait for
            it.
          </Alert>
        )}

        <div className="flex flex-wrap justify-end gap-2">
          <DialogClose asChild>
            <Button variant="secondary">Close</Button>
          </DialogClose>
          <Button asChild variant="secondary">
            <Link href={pullHref(projectId)} data-testid="git-pull">
              <ArrowDownToLine className="size-4" aria-hidden /> Pull…
            </Link>
          </Button>
          <Button onClick={onPush} disabled={busy} data-testid="git-push-open">
            <ArrowUpFromLine className="size-4" aria-hidden /> Push…
          </Button>
        </div>
      </div>
    </DialogContent>
  );
}

function PushForm({ projectId, status, onDone }: { projectId: string; status: GitStatus; onDone(): void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const unsaved = useUnsaved();
  const push = useMutation(trpc.git.push.mutationOptions());
  const [message, setMessage] = useState(() => defaultCommitMessage(status.changes));
  // The remote's branch moved on since the last sync (the server names its new tip); other conflicts (an
  // operation already running, a branch gone) are told in the server's words.
  const remoteMoved =
    push.error instanceof TRPCClientError &&
    push.error.data?.code === "CONFLICT" &&
    typeof (push.error.data as { app?: { remoteCommit?: unknown } | null }).app?.remoteCommit === "string";

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    try {
      const result = await push.mutateAsync({ projectId, message: message.trim() || undefined });
      await queryClient.invalidateQueries({ queryKey: trpc.git.status.queryKey({ projectId }) });
      toast(
        `Pushed ${shortCommit(result.commit)} to ${result.branch}: ${result.files} ${result.files === 1 ? "file" : "files"} in the commit.`,
      );
      onDone();
    } catch {
      // Shown below the message (push.error).
    }
  }

  return (
    <DialogContent
      title="Push to Git"
      description={
        <>
          One commit on <span className="font-mono">{status.branch ?? "the default branch"}</span> of{" "}
          <span className="break-all font-mono">{status.url}</span>, with you as its author.
        </>
      }
      className={WIDTH}
    >
      <form onSubmit={(event) => void submit(event)} className="mt-4 space-y-4" data-testid="git-push-form">
        {status.changes.length > 0 ? (
          <ChangeList changes={status.changes} />
        ) : (
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            No file changed since the last sync: the commit would hold the same files.
          </p>
        )}
        {unsaved.size > 0 && (
          <Alert tone="warning">
            {unsaved.size === 1 ? "1 file has" : `${unsaved.size} files have`} unsaved changes in the editor. Only saved
            files are pushed: save first to include them.
          </Alert>
        )}
        <TextAreaField
          label="Commit message"
          name="message"
          value={message}
          onChange={(event) => setMessage(event.target.value)}
          maxLength={10_000}
          spellCheck
          className="min-h-28 font-mono text-xs"
          hint="The first line is the summary. Left empty, the message lists the changed files."
        />
        {remoteMoved ? (
          <div data-testid="git-push-conflict">
            <Alert tone="warning">
              <p className="font-medium">The remote has new commits — pull first.</p>
              <p className="mt-1">
                Someone pushed to {status.branch ?? "the branch"} since your last sync. Pull their commits (you review
                the merge before anything is written), then push again.
              </p>
              <Button asChild size="sm" className="mt-2">
                <Link href={pullHref(projectId)} data-testid="git-push-conflict-pull">
                  <ArrowDownToLine className="size-4" aria-hidden /> Pull
                </Link>
              </Button>
            </Alert>
          </div>
        ) : (
          push.isError && <Alert tone="error">{push.error.message} Nothing was pushed.</Alert>
        )}
        <div className="flex flex-wrap justify-end gap-2">
          <Button type="button" variant="secondary" onClick={onDone} disabled={push.isPending}>
            <ArrowLeft className="size-4" aria-hidden /> Back
          </Button>
          <Button
            type="submit"
            variant={remoteMoved ? "secondary" : "primary"}
            pending={push.isPending}
            data-testid="git-push"
          >
            <ArrowUpFromLine className="size-4" aria-hidden /> Push
          </Button>
        </div>
      </form>
    </DialogContent>
  );
}
