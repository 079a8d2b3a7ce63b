import { Card } from "~/components/ui/card";
import { formatBytes } from "~/lib/bytes";
import type { TemplateDetail } from "./template-page";
import { RelativeDate } from "./template-page";

/** Every published version, newest first, each with its changelog as the author wrote it (text, line breaks kept). */
export function TemplateVersions({ versions, current }: { versions: TemplateDetail["versions"]; current: string }) {
  return (
    <Card>
      <section aria-labelledby="versions-heading" className="space-y-4">
        <h2 id="versions-heading" className="text-lg font-semibold tracking-tight">
          Versions
        </h2>
        {versions.length === 0 ? (
          <p className="text-sm text-zinc-600 dark:text-zinc-400">No versions have been published yet.</p>
        ) : (
          <ol className="space-y-4" data-testid="versions">
            {versions.map((version) => (
              <li
                key={version.id}
                className="border-l-2 border-zinc-200 pl-4 dark:border-zinc-800"
                data-testid="version"
                aria-label={`Version ${version.version}`}
              >
                <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
                  <h3 className="font-mono text-sm font-semibold">{version.version}</h3>
                  {version.version === current && (
                    <span className="rounded-full bg-brand-50 px-2 py-0.5 text-xs font-medium text-brand-700 dark:bg-brand-700/20 dark:text-brand-100">
                      Current
                    </span>
                  )}
                  <span className="text-xs text-zinc-500 dark:text-zinc-400">
                    <RelativeDate date={new Date(version.createdAt)} /> · {version.fileCount.toLocaleString("en-US")}{" "}
                    {version.fileCount === 1 ? "file" : "files"} · {formatBytes(version.totalSizeBytes)}
                  </span>
                </div>
                <p className="mt-1 text-sm break-words whitespace-pre-wrap text-zinc-700 dark:text-zinc-300">
                  {version.changelog}
                </p>
              </li>
            ))}
          </ol>
        )}
      </section>
    </Card>
  );
}
