"use client";

import { AlertTriangle } from "lucide-react";
import { useState } from "react";
import { Button } from "~/components/ui/button";
import { timeAgo } from "~/lib/format";
import { languageForPath } from "~/lib/file-types";
import type { OpenFile } from "./ide-state";
import { useIdeActions } from "./ide-provider";
import { LazyDiffView, readBuffer } from "./monaco/lazy";

/**
 * Someone (another tab, another person, Claude) saved this file after it was opened here, or deleted it (and
 * perhaps created another file at its path). Nothing was overwritten: the user sees their version against the
 * current one and keeps theirs, takes the other, or merges by hand on the right-hand side, which stays editable.
 */
export function ConflictView({ file }: { file: OpenFile & { conflict: NonNullable<OpenFile["conflict"]> } }) {
  const { projectId, preferences, dispatch, resolveConflict } = useIdeActions();
  // The user's version is the buffer the refused save sent, still in its Monaco model.
  const [mine] = useState(() => readBuffer(projectId, file.path)?.text ?? file.content);
  const [merged, setMerged] = useState(mine);
  const [error, setError] = useState<string>();
  const [pending, setPending] = useState<string | null>(null);
  const theirs = file.conflict.current;
  const deleted = theirs === null;
  const recreated = !deleted && theirs.fileId !== file.fileId;
  const who = theirs?.updatedBy?.name ?? (theirs?.sourceType === "claude" ? "Claude" : "someone else");

  /** Saves `content` on top of the newer version (or recreates the deleted file with it). */
  async function keep(content: string) {
    setError(undefined);
    setPending(content);
    try {
      await resolveConflict(file.path, content);
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setPending(null);
    }
  }

  return (
    <div className="flex h-full flex-col" data-testid="conflict-view">
      <div
        role="alert"
        className="flex flex-wrap items-center gap-3 border-b border-amber-300 bg-amber-50 px-4 py-2 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950/40 dark:text-amber-100"
      >
        <AlertTriangle className="size-4 shrink-0" aria-hidden />
        <p className="min-w-0 flex-1">
          {!theirs ? (
            <>This file was deleted since you opened it. Your version is safe below.</>
          ) : recreated ? (
            <>
              This file was deleted and created again since you opened it: <strong>{who}</strong> saved the new one{" "}
              {timeAgo(theirs.updatedAt)} (version {theirs.version}). Nothing was overwritten: compare, then choose.
            </>
          ) : (
            <>
              <strong>{who}</strong> saved this file {timeAgo(theirs.updatedAt)} (version {theirs.version}), after you
              opened it. Nothing was overwritten: compare, then choose.
            </>
          )}
        </p>
        <div className="flex gap-2">
          {!deleted && (
            <Button size="sm" variant="secondary" onClick={() => dispatch({ type: "takeTheirs", path: file.path })}>
              Take theirs
            </Button>
          )}
          <Button
            size="sm"
            variant="secondary"
            pending={pending !== null && pending === mine}
            onClick={() => void keep(mine)}
          >
            {deleted ? "Recreate with my version" : "Keep mine"}
          </Button>
          {!deleted && (
            <Button
              size="sm"
              pending={pending !== null && pending !== mine}
              disabled={merged === mine}
              onClick={() => void keep(merged)}
            >
              Save merged version
            </Button>
          )}
        </div>
      </div>
      {error && (
        <p className="border-b border-red-200 bg-red-50 px-4 py-1 text-sm text-red-700 dark:border-red-900 dark:bg-red-950/40 dark:text-red-200">
          {error}
        </p>
      )}
      <div className="min-h-0 flex-1">
        <LazyDiffView
          original={theirs?.content ?? ""}
          modified={mine}
          language={languageForPath(file.path)}
          path={file.path}
          originalLabel={theirs ? `Theirs: version ${theirs.version} by ${who}` : "Deleted"}
          modifiedLabel="Yours (edit here to merge by hand)"
          editableModified
          onModifiedChange={setMerged}
          preferences={preferences}
        />
      </div>
    </div>
  );
}
