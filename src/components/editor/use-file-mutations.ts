"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useCallback, useMemo, useRef, type RefObject } from "react";
import { CSRF_HEADER, readCsrfToken } from "~/lib/csrf";
import type { RouterInputs, RouterOutputs } from "~/server/api/root";
import { useTRPC } from "~/trpc/react";
import { bufferSaved, dirtyPaths } from "./buffer-state";
import { conflictOf } from "./conflict";
import type { IdeAction, IdeState } from "./ide-state";
import { disposeEditorModel, readBuffer, renameEditorModel } from "./monaco/lazy";

type CreateInput = Omit<RouterInputs["file"]["create"], "projectId">;
/** The upload route answers what file.importZip answers (both call the importZip service). */
export type ImportResult = RouterOutputs["file"]["importZip"];

/** A version to restore at `path`, and the live file the user saw there (none: a deleted file). */
export interface RestoreRequest {
  path: string;
  fileId: string;
  version: number;
  base?: { fileId: string; version: number };
}

/**
 * Sends the archive file itself as the request body (the browser streams it from disk: no copy, no base64) to the
 * import route, with XMLHttpRequest rather than fetch because only XHR reports upload progress. The server
 * imports all or nothing, so a failure leaves the project as it was.
 */
export function postImport(
  projectId: string,
  archive: File,
  onProgress: (percent: number) => void,
  onUploaded: () => void,
): Promise<ImportResult> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `/api/projects/${encodeURIComponent(projectId)}/import`);
    xhr.setRequestHeader("content-type", "application/zip");
    const token = readCsrfToken();
    if (token) xhr.setRequestHeader(CSRF_HEADER, token);
    xhr.upload.onprogress = (event) =>
      event.lengthComputable && onProgress(Math.round((event.loaded / event.total) * 100));
    xhr.upload.onload = onUploaded;
    xhr.onerror = () => reject(new Error("The upload failed. Check your connection and try again."));
    xhr.onload = () => {
      try {
        const body = JSON.parse(xhr.responseText) as ImportResult & { error?: string };
        if (xhr.status >= 200 && xhr.status < 300) resolve(body);
        else reject(new Error(body.error ?? `The import failed (HTTP ${xhr.status}).`));
      } catch {
        reject(new Error(`The import failed (HTTP ${xhr.status}).`));
      }
    };
    xhr.send(archive);
  });
}

/**
 * Every change to the project's files goes through here: save, create, move, delete, restore, import. Each one
 * tells the open tabs and their buffers, and brings the query cache (file list, histories, activity) up to date.
 * Called once, by IdeProvider, whose actions context hands the result to the components.
 */
export function useFileMutations(
  projectId: string,
  stateRef: RefObject<IdeState>,
  dispatch: (action: IdeAction) => void,
) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  // mutateAsync is the observer's own bound method: stable across renders, so the callbacks below are too.
  const { mutateAsync: saveFile } = useMutation(trpc.file.save.mutationOptions());
  const { mutateAsync: createFile } = useMutation(trpc.file.create.mutationOptions());
  const { mutateAsync: moveFile } = useMutation(trpc.file.move.mutationOptions());
  const { mutateAsync: deleteFile } = useMutation(trpc.file.delete.mutationOptions());
  const { mutateAsync: restoreFile } = useMutation(trpc.file.restore.mutationOptions());
  // Saves in flight, known synchronously: two quick Ctrl+S must not send the same base version twice.
  const inFlight = useRef(new Set<string>());

  const readFile = useCallback(
    (path: string) => queryClient.fetchQuery({ ...trpc.file.read.queryOptions({ projectId, path }), staleTime: 0 }),
    [projectId, queryClient, trpc],
  );

  /** Reloads the file list and every open, unedited file (after a move, delete, import or restore). */
  const refresh = useCallback(async () => {
    await queryClient.invalidateQueries({ queryKey: trpc.file.pathKey() });
    await queryClient.invalidateQueries({ queryKey: trpc.activity.list.queryKey() });
    // Open tabs without edits follow the server (a move, an import, a restore, a file created again at their path);
    // edited ones keep their buffer and meet any newer version or other file as a conflict when saved.
    const dirty = dirtyPaths(projectId);
    const clean = Object.values(stateRef.current.files).filter(
      (file) => file.status === "ready" && !dirty.has(file.path) && !file.conflict,
    );
    await Promise.all(
      clean.map(async (file) => {
        const data = await readFile(file.path).catch(() => null); // deleted meanwhile: the tab stays until closed
        if (data && (data.id !== file.fileId || data.version !== file.baseVersion)) {
          dispatch({ type: "replace", path: file.path, fileId: data.id, content: data.content, version: data.version });
        }
      }),
    );
  }, [dispatch, projectId, queryClient, readFile, stateRef, trpc]);

  /** Saves a buffer with the version it was based on: a stale save becomes a conflict to resolve, never an overwrite. */
  const save = useCallback(
    async (path: string) => {
      const file = stateRef.current.files[path];
      if (!file || file.status !== "ready" || file.isBinary || file.conflict || inFlight.current.has(path)) return;
      const buffer = readBuffer(projectId, path);
      if (!buffer || !dirtyPaths(projectId).has(path)) return;
      inFlight.current.add(path);
      dispatch({ type: "saving", path });
      try {
        const result = await saveFile({
          projectId,
          path,
          content: buffer.text,
          fileId: file.fileId,
          baseVersion: file.baseVersion,
        });
        bufferSaved(projectId, path, buffer.versionId);
        dispatch({ type: "saved", path, version: result.version, content: buffer.text });
        void queryClient.invalidateQueries({ queryKey: trpc.file.list.queryKey({ projectId }) });
        void queryClient.invalidateQueries({ queryKey: trpc.file.history.queryKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.activity.list.queryKey() });
      } catch (error) {
        const conflict = conflictOf(error);
        if (!conflict) {
          dispatch({ type: "saveFailed", path, error: error instanceof Error ? error.message : String(error) });
          throw error;
        }
        dispatch({ type: "conflict", path, conflict });
      } finally {
        inFlight.current.delete(path);
      }
    },
    [dispatch, projectId, queryClient, saveFile, stateRef, trpc],
  );

  const saveAll = useCallback(async () => {
    await Promise.all([...dirtyPaths(projectId)].map((path) => save(path)));
  }, [projectId, save]);

  /** Creates a file or folder (an upload is a file with content); the caller refreshes after a batch. */
  const create = useCallback(
    async (input: CreateInput) => {
      const result = await createFile({ ...input, projectId });
      await queryClient.invalidateQueries({ queryKey: trpc.file.list.queryKey({ projectId }) });
      // A file created at a deleted path takes it: the path is no longer a deleted file.
      await queryClient.invalidateQueries({ queryKey: trpc.file.listDeleted.queryKey({ projectId }) });
      return result;
    },
    [createFile, projectId, queryClient, trpc],
  );

  /** Renames or moves a file or folder; open tabs and their buffers (unsaved edits included) follow it. */
  const move = useCallback(
    async (from: string, to: string) => {
      if (from === to) return;
      await moveFile({ projectId, from, to });
      dispatch({ type: "renamed", from, to });
      renameEditorModel(projectId, from, to);
      await refresh();
    },
    [dispatch, moveFile, projectId, refresh],
  );

  /** Deletes a file or folder and closes its tabs (its history stays restorable). */
  const remove = useCallback(
    async (path: string) => {
      await deleteFile({ projectId, path });
      dispatch({ type: "removed", paths: [path] });
      disposeEditorModel(projectId, path);
      await refresh();
    },
    [deleteFile, dispatch, projectId, refresh],
  );

  /** Restores a version as a new one; throws a CONFLICT (see conflictOf) when the live file is not the one seen. */
  const restore = useCallback(
    async ({ path, fileId, version, base }: RestoreRequest) => {
      try {
        const result = await restoreFile({
          projectId,
          path,
          fileId,
          version,
          baseFileId: base?.fileId,
          baseVersion: base?.version,
        });
        if (stateRef.current.files[path] && !dirtyPaths(projectId).has(path)) {
          const fresh = await readFile(path);
          dispatch({ type: "replace", path, fileId: result.id, content: fresh.content, version: result.version });
        }
        await refresh();
        return result;
      } catch (error) {
        await queryClient.invalidateQueries({ queryKey: trpc.file.history.queryKey() });
        throw error;
      }
    },
    [dispatch, projectId, queryClient, readFile, refresh, restoreFile, stateRef, trpc],
  );

  /** Resolves a conflict with `content`: saved on top of their version, or recreating the file they deleted. */
  const resolveConflict = useCallback(
    async (path: string, content: string) => {
      const conflict = stateRef.current.files[path]?.conflict;
      if (!conflict) return;
      const result =
        conflict.kind === "deleted"
          ? await createFile({ projectId, path, kind: "file", content })
          : await saveFile({
              projectId,
              path,
              content,
              fileId: conflict.current.fileId,
              baseVersion: conflict.current.version,
            });
      dispatch({ type: "replace", path, fileId: result.id, content, version: result.version });
      await refresh();
    },
    [createFile, dispatch, projectId, refresh, saveFile, stateRef],
  );

  /** Uploads a zip to import (all or nothing), reporting upload progress, then reloads what it may have changed. */
  const importZip = useCallback(
    async (archive: File, onProgress: (percent: number) => void, onUploaded: () => void) => {
      const result = await postImport(projectId, archive, onProgress, onUploaded);
      await refresh();
      return result;
    },
    [projectId, refresh],
  );

  return useMemo(
    () => ({ readFile, refresh, save, saveAll, create, move, remove, restore, resolveConflict, importZip }),
    [readFile, refresh, save, saveAll, create, move, remove, restore, resolveConflict, importZip],
  );
}

export type FileMutations = ReturnType<typeof useFileMutations>;
