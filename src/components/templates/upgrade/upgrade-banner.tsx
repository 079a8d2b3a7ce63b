"use client";

import { useQuery } from "@tanstack/react-query";
import { ArrowUpCircle, X } from "lucide-react";
import Link from "next/link";
import { useState } from "react";
import { Button } from "~/components/ui/button";
import { timeAgo } from "~/lib/format";
import { useTRPC } from "~/trpc/react";

/**
 * Under the IDE's header when the project's template has a newer version: what is new (every version above the
 * project's, in a disclosure) and the way to the upgrade's review page. Nothing changes until the user applies
 * the upgrade there. "Not now" hides it for this visit only.
 */
export function TemplateUpgradeBanner({ projectId }: { projectId: string }) {
  const trpc = useTRPC();
  const { data: status } = useQuery({
    ...trpc.template.upgradeStatus.queryOptions({ projectId }),
    // A banner, not a live view: once a visit is enough.
    staleTime: 5 * 60_000,
    refetchOnWindowFocus: false,
  });
  const [dismissed, setDismissed] = useState<string | null>(null);
  if (!status || dismissed === status.toVersionId) return null;
  return (
    <section
      aria-label="Template upgrade"
      data-testid="template-upgrade-banner"
      className="shrink-0 border-b border-brand-100 bg-brand-50 px-3 py-1.5 text-sm text-brand-700 dark:border-brand-700/40 dark:bg-brand-700/15 dark:text-brand-100"
    >
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1">
        <ArrowUpCircle className="size-4 shrink-0" aria-hidden />
        <p data-testid="template-upgrade-message" className="min-w-0">
          Template <strong>{status.templateName}</strong> {status.toVersion} is available (you have {status.fromVersion}
          ).
        </p>
        <details data-testid="template-upgrade-changelog" className="group min-w-0">
          <summary className="cursor-pointer rounded-sm underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-brand-500">
            What&apos;s new
          </summary>
          <ol className="mt-1 max-h-48 space-y-2 overflow-auto pr-2 pb-1">
            {status.changelog.map((entry) => (
              <li key={entry.version}>
                <p className="font-medium">
                  {entry.version}{" "}
                  <span className="font-normal text-brand-700/70 dark:text-brand-100/70">
                    · {timeAgo(entry.createdAt)}
                  </span>
                </p>
                {/* Written by the template's author: shown as text, never as HTML. */}
                <p className="whitespace-pre-wrap text-zinc-700 dark:text-zinc-300">{entry.changelog}</p>
              </li>
            ))}
          </ol>
          {status.changelogOmitted > 0 && (
            <p className="pb-1">
              And {status.changelogOmitted.toLocaleString("en-US")} earlier{" "}
              {status.changelogOmitted === 1 ? "version" : "versions"}.
            </p>
          )}
        </details>
        <div className="ml-auto flex items-center gap-1">
          <Button asChild size="sm">
            <Link href={`/projects/${projectId}/upgrade`} data-testid="template-upgrade-review">
              Review upgrade
            </Link>
          </Button>
          <Button
            variant="ghost"
            size="sm"
            onClick={() => setDismissed(status.toVersionId)}
            aria-label="Hide the upgrade notice for now"
            title="Not now"
          >
            <X className="size-4" aria-hidden />
          </Button>
        </div>
      </div>
    </section>
  );
}
