"use client";

import dynamic, { type DynamicOptionsLoadingProps } from "next/dynamic";
import type * as CodeEditorModule from "./code-editor";

// Widths of the placeholder "code lines": irregular, so the skeleton reads as source text rather than a table.
const LINE_WIDTHS = ["w-2/5", "w-3/5", "w-1/2", "w-4/5", "w-1/3", "w-2/3", "w-1/4", "w-3/5", "w-1/2", "w-2/5"];

function EditorSkeleton({ error }: DynamicOptionsLoadingProps) {
  if (error) {
    return (
      <div
        role="alert"
        className="flex h-full w-full items-center justify-center bg-white p-6 text-sm text-red-700 dark:bg-zinc-950 dark:text-red-400"
      >
        The editor failed to load. Reload the page to try again.
      </div>
    );
  }
  return (
    <div
      aria-busy="true"
      aria-label="Loading editor"
      role="status"
      className="flex h-full w-full overflow-hidden bg-white dark:bg-zinc-950"
    >
      <div className="flex w-12 shrink-0 flex-col items-end gap-2.5 py-3 pr-3">
        {LINE_WIDTHS.map((_, line) => (
          <div key={line} className="h-3 w-4 shrink-0 rounded-sm bg-zinc-100 dark:bg-zinc-900" />
        ))}
      </div>
      <div className="flex flex-1 animate-pulse flex-col gap-2.5 py-3 pr-6">
        {LINE_WIDTHS.map((width, line) => (
          <div key={line} className={`h-3 shrink-0 rounded-sm bg-zinc-200 dark:bg-zinc-800 ${width}`} />
        ))}
      </div>
    </div>
  );
}

// Set once the editor chunk has arrived. Until then no CodeEditor has mounted, so there is no model to dispose
// or rename, and the helpers below can be no-ops instead of pulling Monaco in just to do nothing.
let editorModule: typeof CodeEditorModule | null = null;

/**
 * The only entry point the IDE should import: Monaco (~1 MB gzip, plus workers) is fetched when the first editor
 * mounts, never during server rendering and never in the first load of the page.
 */
export const LazyCodeEditor = dynamic(
  () =>
    import("./code-editor").then((module) => {
      editorModule = module;
      return module;
    }),
  { ssr: false, loading: EditorSkeleton },
);

/** The diff editor, loaded the same way (it shares Monaco's chunk with LazyCodeEditor). */
export const LazyDiffView = dynamic(() => import("./diff-view"), { ssr: false, loading: EditorSkeleton });

/** A read-only view of a file outside any project (a template's preview), loaded the same way. */
export const LazyReadOnlyView = dynamic(() => import("./read-only-view"), { ssr: false, loading: EditorSkeleton });

/** Forgets the buffer of a closed tab (or of every file under a deleted folder): text, undo history, view state. */
export function disposeEditorModel(projectId: string, path: string) {
  editorModule?.disposeEditorModel(projectId, path);
}

/** Forgets every buffer of a project, e.g. when leaving its IDE page. */
export function disposeProjectEditorModels(projectId: string) {
  editorModule?.disposeProjectEditorModels(projectId);
}

/** Moves an open buffer (or every buffer under a folder) to a renamed path; see renameEditorModel in ./code-editor. */
export function renameEditorModel(projectId: string, from: string, to: string) {
  editorModule?.renameEditorModel(projectId, from, to);
}

/** The text and version id of an open buffer; none before the editor has shown it (see readBuffer in ./code-editor). */
export function readBuffer(projectId: string, path: string): { text: string; versionId: number } | undefined {
  return editorModule?.readBuffer(projectId, path);
}

export type { CodeEditorProps, EditorPreferences } from "./code-editor";
export type { DiffViewProps } from "./diff-view";
export type { ReadOnlyViewProps } from "./read-only-view";
