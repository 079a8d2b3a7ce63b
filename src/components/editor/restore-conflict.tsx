"use client";

import { useQuery } from "@tanstack/react-query";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Dialog, DialogClose, DialogContent } from "~/components/ui/dialog";
import { languageForPath } from "~/lib/file-types";
import { timeAgo } from "~/lib/format";
import { useTRPC } from "~/trpc/react";
import type { TConflictFile } from "~/lib/schemas/file-conflict";
import type { RestoreRequest } from "./use-file-mutations";
import { useIdeActions } from "./ide-provider";
import { LazyDiffView } from "./monaco/lazy";

/**
 * A restore was refused: the live file at the path is not the one the user saw (it changed, or a file was created
 * there since). Nothing was overwritten; the user compares the current file with the version to restore and may
 * overwrite it on purpose, which restores the version as a new version of the current file.
 */
export function RestoreConflictDialog({
  request,
  current,
  message,
  pending,
  onOverwrite,
  onClose,
}: {
  request: RestoreRequest;
  current: TConflictFile;
  message: string;
  pending: boolean;
  onOverwrite(): void;
  onClose(): void;
}) {
  const trpc = useTRPC();
  const { projectId, preferences } = useIdeActions();
  const restoring = useQuery(
    trpc.file.read.queryOptions({ projectId, path: request.path, version: request.version, fileId: request.fileId }),
  );
  const who = current.updatedBy?.name ?? (current.sourceType === "claude" ? "Claude" : "someone else");
  return (
    <Dialog open onOpenChange={(open) => !open && onClose()}>
      <DialogContent
        role="alertdialog"
        title={`Overwrite ${request.path}?`}
        description={message}
        className="flex h-[min(40rem,calc(100vh-2rem))] w-[min(64rem,calc(100vw-2rem))] flex-col"
      >
        <div
          className="mt-4 min-h-0 flex-1 overflow-hidden rounded border border-zinc-200 dark:border-zinc-800"
          data-testid="restore-conflict"
        >
          {restoring.data ? (
            <LazyDiffView
              original={current.content}
              modified={restoring.data.content}
              language={languageForPath(request.path)}
              path={request.path}
              originalLabel={`Current: version ${current.version} by ${who}, ${timeAgo(current.updatedAt)}`}
              modifiedLabel={`Version ${request.version} to restore`}
              preferences={preferences}
            />
          ) : restoring.isError ? (
            <div className="p-4">
              <Alert tone="error">{restoring.error.message}</Alert>
            </div>
          ) : (
            <p className="p-4 text-sm text-zinc-500">Loading versions…</p>
          )}
        </div>
        <div className="mt-4 flex justify-end gap-2">
          <DialogClose asChild>
            <Button variant="secondary">Cancel</Button>
          </DialogClose>
          <Button variant="danger" pending={pending} onClick={onOverwrite}>
            Overwrite with version {request.version}
          </Button>
        </div>
      </DialogContent>
    </Dialog>
  );
}
