"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { MergeReview, type MergeWording } from "~/components/merge/merge-review";
import type { TPreferences } from "~/lib/schemas/account";
import type { RouterOutputs } from "~/server/api/root";
import { useTRPC } from "~/trpc/react";

type UpgradePreview = RouterOutputs["template"]["upgradePreview"];

function wording(preview: UpgradePreview): MergeWording {
  const version = preview.toVersion;
  return {
    title: `Upgrade from template ${preview.templateName} ${preview.fromVersion} to ${version}`,
    theirs: `Template ${version}`,
    theirsPossessive: "the template's",
    theirsShort: "template's",
    action: "upgrade",
    theirsChangeLabel: `Template's change (${version})`,
    baseLabel: "Your version of the template",
    baseMissingLabel: "Not in your version of the template",
    theirsLabel: `Template ${version}`,
    theirsDeletedLabel: `Deleted in ${version}`,
    nothingToMerge: "Your files already have everything this version changes.",
    noFiles: `No file changes. Applying records that the project is at ${version}.`,
    applyLabel: "Apply upgrade",
    aside: (
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
    ),
  };
}

/** The review of a template upgrade: every changed file, its merge in Monaco's diff editor, then the apply. */
export function UpgradeReview({ projectId, preferences }: { projectId: string; preferences: TPreferences }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const preview = useQuery({
    ...trpc.template.upgradePreview.queryOptions({ projectId }),
    // The preview is what the user reviews and what the apply is checked against: it never changes under them.
    staleTime: Infinity,
    gcTime: 0,
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
    retry: false,
  });
  const apply = useMutation(trpc.template.upgradeApply.mutationOptions());
  return (
    <MergeReview
      projectId={projectId}
      preferences={preferences}
      query={preview}
      loadingText="Merging the template's changes into your files…"
      testIdPrefix="upgrade"
      wording={wording}
      onApply={async (reviewed, decisions) => {
        await apply.mutateAsync({ projectId, toVersionId: reviewed.toVersionId, ...decisions });
        // Files, the banner and the project's header all changed.
        await queryClient.invalidateQueries();
        router.push(`/projects/${projectId}`);
      }}
    />
  );
}
