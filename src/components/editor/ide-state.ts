/**
 * The IDE's local state: which files are open and what the server last said about them. The buffers themselves
 * live in Monaco (buffer-state.ts says which are unsaved), so typing never changes this state.
 * Pure (a reducer), so the rules of saving and conflicts are easy to follow and to test.
 */

import type { TFileConflict } from "~/lib/schemas/file-conflict";

export interface OpenFile {
  path: string;
  status: "loading" | "ready" | "error";
  error?: string;
  isBinary: boolean;
  mimeType: string;
  /** The file the buffer was loaded from (a file deleted and created again at this path is another one). */
  fileId: string;
  /** Content as of `baseVersion` of that file on the server: what a buffer is built from (base64 when binary). */
  content: string;
  baseVersion: number;
  /** Bumped when the buffer is replaced from outside the editor (load, take theirs, restore), so Monaco reloads. */
  revision: number;
  saving: boolean;
  /** Why the last save failed (other than a conflict); cleared by the next attempt. */
  saveError?: string;
  /** Set when a save was refused because someone else saved first. */
  conflict?: TFileConflict;
}

export interface IdeState {
  tabs: string[];
  active: string | null;
  files: Record<string, OpenFile>;
  /** A line to show (search result, quick open with :line). */
  reveal?: { path: string; line: number; column?: number; nonce: number };
}

export type IdeAction =
  | { type: "open"; path: string; line?: number; column?: number }
  | { type: "restoreTabs"; tabs: string[]; active: string | null }
  | { type: "close"; path: string }
  | { type: "activate"; path: string }
  | {
      type: "loaded";
      path: string;
      fileId: string;
      content: string;
      version: number;
      isBinary: boolean;
      mimeType: string;
    }
  | { type: "loadFailed"; path: string; error: string }
  | { type: "saving"; path: string }
  | { type: "saved"; path: string; version: number; content: string }
  | { type: "saveFailed"; path: string; error: string }
  | { type: "conflict"; path: string; conflict: TFileConflict }
  | { type: "takeTheirs"; path: string }
  | { type: "replace"; path: string; fileId: string; content: string; version: number }
  | { type: "renamed"; from: string; to: string }
  | { type: "removed"; paths: string[] };

export const initialIdeState: IdeState = { tabs: [], active: null, files: {} };

function emptyFile(path: string): OpenFile {
  return {
    path,
    status: "loading",
    isBinary: false,
    mimeType: "text/plain",
    fileId: "",
    content: "",
    baseVersion: 0,
    revision: 0,
    saving: false,
  };
}

function update(state: IdeState, path: string, change: (file: OpenFile) => OpenFile): IdeState {
  const file = state.files[path];
  return file ? { ...state, files: { ...state.files, [path]: change(file) } } : state;
}

/** Re-keys a path (or everything under a folder) after a move. */
function movePath(path: string, from: string, to: string): string {
  if (path === from) return to;
  return path.startsWith(`${from}/`) ? `${to}${path.slice(from.length)}` : path;
}

export function ideReducer(state: IdeState, action: IdeAction): IdeState {
  switch (action.type) {
    case "open": {
      const tabs = state.tabs.includes(action.path) ? state.tabs : [...state.tabs, action.path];
      const files = state.files[action.path] ? state.files : { ...state.files, [action.path]: emptyFile(action.path) };
      const reveal = action.line
        ? { path: action.path, line: action.line, column: action.column, nonce: (state.reveal?.nonce ?? 0) + 1 }
        : state.reveal;
      return { ...state, tabs, files, active: action.path, reveal };
    }
    case "restoreTabs": {
      const files = { ...state.files };
      for (const path of action.tabs) files[path] ??= emptyFile(path);
      return { ...state, tabs: action.tabs, files, active: action.active ?? action.tabs[0] ?? null };
    }
    case "close": {
      const index = state.tabs.indexOf(action.path);
      const tabs = state.tabs.filter((path) => path !== action.path);
      const files = { ...state.files };
      delete files[action.path];
      const active = state.active === action.path ? (tabs[Math.min(index, tabs.length - 1)] ?? null) : state.active;
      return { ...state, tabs, files, active };
    }
    case "activate":
      return state.tabs.includes(action.path) ? { ...state, active: action.path } : state;
    case "loaded":
      // Only a tab still loading has no buffer yet; a loaded one is replaced (with "replace") only when unedited.
      return update(state, action.path, (file) =>
        file.status === "ready"
          ? file
          : {
              ...file,
              status: "ready",
              error: undefined,
              isBinary: action.isBinary,
              mimeType: action.mimeType,
              fileId: action.fileId,
              content: action.content,
              baseVersion: action.version,
              revision: file.revision + 1,
            },
      );
    case "loadFailed":
      return update(state, action.path, (file) => ({ ...file, status: "error", error: action.error }));
    case "saving":
      return update(state, action.path, (file) => ({ ...file, saving: true, saveError: undefined }));
    case "saved":
      // `content` is what was sent; typing that happened during the save stays in the buffer, still unsaved.
      return update(state, action.path, (file) => ({
        ...file,
        saving: false,
        content: action.content,
        baseVersion: action.version,
        conflict: undefined,
      }));
    case "saveFailed":
      return update(state, action.path, (file) => ({ ...file, saving: false, saveError: action.error }));
    case "conflict":
      return update(state, action.path, (file) => ({ ...file, saving: false, conflict: action.conflict }));
    case "takeTheirs":
      return update(state, action.path, (file) =>
        file.conflict?.kind === "changed"
          ? {
              ...file,
              fileId: file.conflict.current.fileId,
              content: file.conflict.current.content,
              baseVersion: file.conflict.current.version,
              revision: file.revision + 1,
              conflict: undefined,
            }
          : file,
      );
    case "replace":
      return update(state, action.path, (file) => ({
        ...file,
        status: "ready",
        fileId: action.fileId,
        content: action.content,
        baseVersion: action.version,
        revision: file.revision + 1,
        conflict: undefined,
      }));
    case "renamed": {
      const files: Record<string, OpenFile> = {};
      for (const [path, file] of Object.entries(state.files)) {
        const next = movePath(path, action.from, action.to);
        files[next] = { ...file, path: next };
      }
      return {
        ...state,
        files,
        tabs: state.tabs.map((path) => movePath(path, action.from, action.to)),
        active: state.active ? movePath(state.active, action.from, action.to) : null,
      };
    }
    case "removed": {
      let next = state;
      for (const path of state.tabs) {
        if (action.paths.some((removed) => path === removed || path.startsWith(`${removed}/`))) {
          next = ideReducer(next, { type: "close", path });
        }
      }
      return next;
    }
  }
}
