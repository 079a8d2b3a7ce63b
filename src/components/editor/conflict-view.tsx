"use client";

import { useMutation } from "@tanstack/react-query";
import { AlertTriangle } from "lucide-react";
import { useState } from "react";
import { Button } from "~/components/ui/button";
import { timeAgo } from "~/lib/format";
import { languageForPath } from "~/lib/file-types";
import { useTRPC } from "~/trpc/react";
import type { OpenFile } from "./ide-state";
import { useIde } from "./ide-provider";
import { LazyDiffView } from "./monaco/lazy";

/**
 * Someone (another tab, another person, Claude) saved this file after it was opened here, or deleted it (and
 * perhaps created another file at its path). Nothing was overwritten: the user sees their version against the
 * current one and keeps theirs, takes the other, or merges by hand on the right-hand side, which stays editable.
 */
export function ConflictView({ file }: { file: OpenFile & { conflict: NonNullable<OpenFile["conflict"]> } }) {
  const trpc = useTRPC();
  const { projectId, preferences, dispatch, refresh } = useIde();
  const [merged, setMerged] = useState(file.content);
  const [error, setError] = useState<string>();
  const save = useMutation(trpc.file.save.mutationOptions());
  const create = useMutation(trpc.file.create.mutationOptions());
  const deleted = file.conflict.sourceType === "deleted";
  const recreated = !deleted && file.conflict.fileId !== file.fileId;
  const who = file.conflict.updatedBy?.name ?? (file.conflict.sourceType === "claude" ? "Claude" : "someone else");

  /** Saves `content` on top of the newer version (or recreates the deleted file with it). */
  async function keep(content: string) {
    setError(undefined);
    try {
      const result = deleted
        ? await create.mutateAsync({ projectId, path: file.path, kind: "file", content })
        : await save.mutateAsync({ projectId, path: file.path, content, fileId: file.conflict.fileId, baseVersion: file.conflict.version });
      dispatch({ type: "replace", path: file.path, fileId: result.id, content, version: result.version });
      await refresh();
    } catch (failure) {
      setError((failure as Error).message);
    }
  }

  return (
    <div className="flex h-full flex-col" data-testid="conflict-view">
      <div role="alert" className="flex flex-wrap items-center gap-3 border-b border-amber-300 bg-amber-50 px-4 py-2 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950/40 dark:text-amber-100">
        <AlertTriangle className="size-4 shrink-0" aria-hidden />
        <p className="min-w-0 flex-1">
          {deleted ? (
            <>This file was deleted since you opened it. Your version is safe below.</>
          ) : recreated ? (
            <>
              This file was deleted and created again since you opened it: <strong>{who}</strong> saved the new one{" "}
              {timeAgo(file.conflict.updatedAt)} (version {file.conflict.version}). Nothing was overwritten: compare, then choose.
            </>
          ) : (
            <>
              <strong>{who}</strong> saved this file {timeAgo(file.conflict.updatedAt)} (version {file.conflict.version}), after you opened it.
              Nothing was overwritten: compare, then choose.
            </>
          )}
        </p>
        <div className="flex gap-2">
          {!deleted && (
            <Button size="sm" variant="secondary" onClick={() => dispatch({ type: "takeTheirs", path: file.path })}>
              Take theirs
            </Button>
          )}
          <Button size="sm" variant="secondary" pending={save.isPending && merged === file.content} onClick={() => void keep(file.content)}>
            {deleted ? "Recreate with my version" : "Keep mine"}
          </Button>
          {!deleted && (
            <Button size="sm" pending={save.isPending && merged !== file.content} disabled={merged === file.content} onClick={() => void keep(merged)}>
              Save merged version
            </Button>
          )}
        </div>
      </div>
      {error && <p className="border-b border-red-200 bg-red-50 px-4 py-1 text-sm text-red-700 dark:border-red-900 dark:bg-red-950/40 dark:text-red-200">{error}</p>}
      <div className="min-h-0 flex-1">
        <LazyDiffView
          original={file.conflict.content}
          modified={file.content}
          language={languageForPath(file.path)}
          path={file.path}
          originalLabel={deleted ? "Deleted" : `Theirs: version ${file.conflict.version} by ${who}`}
          modifiedLabel="Yours (edit here to merge by hand)"
          editableModified
          onModifiedChange={setMerged}
          preferences={preferences}
        />
      </div>
    </div>
  );
}
