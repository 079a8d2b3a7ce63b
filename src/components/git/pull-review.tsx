"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { CheckCircle2 } from "lucide-react";
import { useRouter } from "next/navigation";
import type { ReactNode } from "react";
import { MergeReview, type MergeWording } from "~/components/merge/merge-review";
import { toast } from "~/components/ui/toast";
import { shortCommit } from "~/lib/git/display";
import type { TPreferences } from "~/lib/schemas/account";
import type { RouterOutputs } from "~/server/api/root";
import { useTRPC } from "~/trpc/react";

type PullPreview = RouterOutputs["git"]["pullPreview"];

function wording(preview: PullPreview): MergeWording {
  const remote = shortCommit(preview.remoteCommit);
  const base = preview.baseCommit ? shortCommit(preview.baseCommit) : null;
  const changed = preview.files.length;
  const on = ` ${preview.branch}`;
  return {
    title: preview.fastForward ? `Pull${on}: fast-forward to ${remote}` : `Pull${on}: merge ${remote} into your files`,
    summary: preview.fastForward
      ? `${changed} ${changed === 1 ? "file changes" : "files change"}; you changed nothing since the last sync, so the remote's files are taken as they are. Nothing is written until you apply.`
      : undefined,
    theirs: "The remote",
    theirsPossessive: "the remote's",
    theirsShort: "remote's",
    action: "pull",
    theirsChangeLabel: `Remote's change (${remote})`,
    baseLabel: base ? `Last synced commit (${base})` : "Last synced commit",
    baseMissingLabel: "Not in the last synced commit",
    theirsLabel: `Remote ${remote}`,
    theirsDeletedLabel: `Deleted in ${remote}`,
    nothingToMerge: "Your files already have everything the remote changed. Nothing is written until you apply.",
    noFiles: `No file changes. Applying records ${remote} as the synced commit.`,
    applyLabel: "Apply pull",
    aside: (
      <p className="border-t border-zinc-200 p-3 text-xs text-zinc-600 dark:border-zinc-800 dark:text-zinc-400">
        {preview.fastForward
          ? `Fast-forward from ${base ?? "the last sync"} to ${remote}.`
          : `Three-way merge: the base is the last synced commit${base ? ` (${base})` : ""}, "yours" the project's files now, "theirs" the remote's ${remote}.`}
      </p>
    ),
  };
}

function UpToDate({ preview, back }: { preview: PullPreview; back: ReactNode }) {
  return (
    <div className="mx-auto max-w-2xl space-y-4 px-4 py-10" data-testid="pull-up-to-date">
      <div className="flex items-start gap-3">
        <CheckCircle2 className="mt-1 size-5 shrink-0 text-emerald-600 dark:text-emerald-400" aria-hidden />
        <div>
          <h1 className="text-lg font-semibold tracking-tight">Up to date</h1>
          <p className="text-sm text-zinc-600 dark:text-zinc-400">
            The project is synced with the remote&apos;s newest commit on {preview.branch} (
            <span className="font-mono">{shortCommit(preview.remoteCommit)}</span>): there is nothing to pull.
          </p>
        </div>
      </div>
      {back}
    </div>
  );
}

/** The review of a pull from the project's Git remote: up to date, a fast-forward, or a three-way merge to resolve. */
export function PullReview({ projectId, preferences }: { projectId: string; preferences: TPreferences }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const preview = useQuery({
    ...trpc.git.pullPreview.queryOptions({ projectId }),
    // What the user reviews is what the apply is checked against: it never changes under them.
    staleTime: Infinity,
    gcTime: 0,
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
    retry: false,
  });
  const apply = useMutation(trpc.git.pullApply.mutationOptions());
  return (
    <MergeReview
      projectId={projectId}
      preferences={preferences}
      query={preview}
      loadingText="Fetching the remote's commits and merging them into your files…"
      testIdPrefix="pull"
      wording={wording}
      intro={(data, back) => (data.upToDate ? <UpToDate preview={data} back={back} /> : null)}
      onApply={async (reviewed, decisions) => {
        const result = await apply.mutateAsync({ projectId, remoteCommit: reviewed.remoteCommit, ...decisions });
        // Files, the Git status and the project's header all changed.
        await queryClient.invalidateQueries();
        toast(`Pulled ${shortCommit(result.commit)}: ${result.written} written, ${result.deleted} deleted.`);
        router.push(`/projects/${projectId}`);
      }}
    />
  );
}
