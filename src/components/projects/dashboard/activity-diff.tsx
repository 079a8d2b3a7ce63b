"use client";

import { useQuery } from "@tanstack/react-query";
import { Alert } from "~/components/ui/alert";
import { LazyDiffView, type EditorPreferences } from "~/components/editor/monaco/lazy";
import { stateChanges, type FileVersionPair } from "~/lib/activity-diff";
import { languageForPath } from "~/lib/file-types";
import { useTRPC } from "~/trpc/react";

/** A file edit as a diff of its two stored versions, read only when someone opens it (Monaco loads lazily). */
export function FileEditDiff({
  projectId,
  pair,
  preferences,
}: {
  projectId: string;
  pair: FileVersionPair;
  preferences: EditorPreferences;
}) {
  const trpc = useTRPC();
  const version = (v: number) => ({ projectId, path: pair.path, version: v, fileId: pair.fileId });
  const left = useQuery(trpc.file.read.queryOptions(version(pair.fromVersion)));
  const right = useQuery(trpc.file.read.queryOptions(version(pair.toVersion)));
  if (left.isError || right.isError) {
    return <Alert tone="error">The versions could not be loaded: {(left.error ?? right.error)?.message}</Alert>;
  }
  if (!left.data || !right.data) return <p className="text-xs text-zinc-500">Loading the versions…</p>;
  return (
    <div
      className="h-72 overflow-hidden rounded-md border border-zinc-200 dark:border-zinc-800"
      data-testid="file-diff"
    >
      <LazyDiffView
        original={left.data.content}
        modified={right.data.content}
        language={languageForPath(pair.path)}
        path={pair.path}
        originalLabel={`Version ${pair.fromVersion}`}
        modifiedLabel={`Version ${pair.toVersion}`}
        preferences={preferences}
        compact
      />
    </div>
  );
}

/** Before and after states as a compact table: changed keys marked, unchanged ones dimmed. */
export function StateDiff({
  before,
  after,
}: {
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}) {
  const changes = stateChanges(before, after);
  if (changes.length === 0)
    return <p className="text-xs text-zinc-500">This entry recorded no before or after state.</p>;
  return (
    <table className="w-full text-left font-mono text-xs" data-testid="state-diff">
      <caption className="sr-only">State before and after</caption>
      <thead className="font-sans text-zinc-500 dark:text-zinc-400">
        <tr>
          <th scope="col" className="py-1 pr-3 font-medium">
            Field
          </th>
          <th scope="col" className="py-1 pr-3 font-medium">
            Before
          </th>
          <th scope="col" className="py-1 font-medium">
            After
          </th>
        </tr>
      </thead>
      <tbody>
        {changes.map((change) => (
          <tr key={change.key} className={change.changed ? "" : "text-zinc-400 dark:text-zinc-500"}>
            <th scope="row" className="py-0.5 pr-3 align-top font-normal">
              {change.key}
              {change.changed && <span className="sr-only"> (changed)</span>}
            </th>
            <td
              className={`py-0.5 pr-3 align-top break-all ${change.changed && change.before !== null ? "bg-red-50 text-red-900 dark:bg-red-950/40 dark:text-red-200" : ""}`}
            >
              {change.before ?? "—"}
            </td>
            <td
              className={`py-0.5 align-top break-all ${change.changed && change.after !== null ? "bg-emerald-50 text-emerald-900 dark:bg-emerald-950/40 dark:text-emerald-200" : ""}`}
            >
              {change.after ?? "—"}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
