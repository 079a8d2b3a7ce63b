"use client";

import { useCallback, useSyncExternalStore } from "react";
import { isSameOrInside } from "~/lib/paths";

/**
 * Which open buffers hold unsaved edits. Monaco owns the text; this store only follows each model's version id
 * (`getAlternativeVersionId`, which undo brings back) against the one the server has. React reads it through
 * useSyncExternalStore, so a keystroke re-renders nothing unless it flips a file between saved and unsaved.
 * Kept apart from Monaco's module so the first load of the page never pulls the editor in.
 */

interface Versions {
  /** The model's version id now. */
  current: number;
  /** The version id whose text the server holds. */
  saved: number;
}

const buffers = new Map<string, Map<string, Versions>>();
const snapshots = new Map<string, ReadonlySet<string>>();
const EMPTY: ReadonlySet<string> = new Set();
const storeListeners = new Set<() => void>();
const editListeners = new Set<(projectId: string, path: string) => void>();

function project(projectId: string): Map<string, Versions> {
  let entries = buffers.get(projectId);
  if (!entries) buffers.set(projectId, (entries = new Map()));
  return entries;
}

/** Recomputes the project's dirty set; a new Set (and a render) only when its members changed. */
function publish(projectId: string) {
  const dirty = [...(buffers.get(projectId) ?? [])].filter(([, v]) => v.current !== v.saved).map(([path]) => path);
  const previous = snapshots.get(projectId) ?? EMPTY;
  if (dirty.length === previous.size && dirty.every((path) => previous.has(path))) return;
  snapshots.set(projectId, dirty.length > 0 ? new Set(dirty) : EMPTY);
  for (const listener of storeListeners) listener();
}

/** A buffer whose text is what the server holds: created from it, or replaced by it (load, take theirs, restore). */
export function bufferLoaded(projectId: string, path: string, versionId: number) {
  project(projectId).set(path, { current: versionId, saved: versionId });
  publish(projectId);
}

/** The user changed the buffer (typing, undo, paste). */
export function bufferEdited(projectId: string, path: string, versionId: number) {
  const versions = project(projectId).get(path);
  if (!versions) return;
  versions.current = versionId;
  publish(projectId);
  for (const listener of editListeners) listener(projectId, path);
}

/** The server now holds the text the buffer had at `versionId`; typing done since then stays unsaved. */
export function bufferSaved(projectId: string, path: string, versionId: number) {
  const versions = project(projectId).get(path);
  if (!versions) return;
  versions.saved = versionId;
  publish(projectId);
}

/**
 * A renamed file's buffer moved to a new model (at `versionId`, with a fresh undo history): unsaved edits stay
 * unsaved, and no undo can make them saved again.
 */
export function bufferMoved(projectId: string, from: string, to: string, versionId: number) {
  const entries = project(projectId);
  const versions = entries.get(from);
  entries.delete(from);
  if (versions) entries.set(to, { current: versionId, saved: versions.current === versions.saved ? versionId : NaN });
  publish(projectId);
}

/** Forgets the buffers at `path` (or under it, a folder); without a path, every buffer of the project. */
export function bufferClosed(projectId: string, path?: string) {
  const entries = project(projectId);
  for (const key of [...entries.keys()]) if (path === undefined || isSameOrInside(key, path)) entries.delete(key);
  publish(projectId);
}

/** The paths with unsaved edits, read outside rendering (a save, a guard before leaving). */
export function dirtyPaths(projectId: string): ReadonlySet<string> {
  return snapshots.get(projectId) ?? EMPTY;
}

/** Calls `listener` on every edit of any buffer (autosave after a pause); answers the unsubscribe function. */
export function onBufferEdit(listener: (projectId: string, path: string) => void): () => void {
  editListeners.add(listener);
  return () => editListeners.delete(listener);
}

function subscribe(listener: () => void) {
  storeListeners.add(listener);
  return () => storeListeners.delete(listener);
}

/** The paths with unsaved edits; re-renders only when that set changes. */
export function useDirtyPaths(projectId: string): ReadonlySet<string> {
  const snapshot = useCallback(() => dirtyPaths(projectId), [projectId]);
  return useSyncExternalStore(subscribe, snapshot, () => EMPTY);
}
