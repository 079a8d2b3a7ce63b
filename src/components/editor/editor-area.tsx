"use client";

import { FileWarning, Loader2 } from "lucide-react";
import { formatBytes } from "~/lib/bytes";
import { languageForPath, isPreviewableImage } from "~/lib/file-types";
import { useProjectArchived } from "~/components/projects/archived-banner";
import { Alert } from "~/components/ui/alert";
import { ConflictView } from "./conflict-view";
import type { OpenFile } from "./ide-state";
import { useIdeActions, useIdeState } from "./ide-provider";
import { LazyCodeEditor } from "./monaco/lazy";

function EmptyEditor() {
  return (
    <div className="flex h-full flex-col items-center justify-center gap-2 p-8 text-center text-sm text-zinc-500">
      <p className="text-base font-medium text-zinc-700 dark:text-zinc-300">No file open</p>
      <p>Pick a file in the tree, or press</p>
      <p>
        <kbd className="rounded border border-zinc-300 px-1.5 py-0.5 font-mono text-xs dark:border-zinc-700">
          Ctrl/⌘ P
        </kbd>{" "}
        to open by name,{" "}
        <kbd className="rounded border border-zinc-300 px-1.5 py-0.5 font-mono text-xs dark:border-zinc-700">
          Ctrl/⌘ ⇧ F
        </kbd>{" "}
        to search.
      </p>
    </div>
  );
}

function BinaryFile({ file }: { file: OpenFile }) {
  const bytes = Math.floor((file.content.length * 3) / 4);
  if (isPreviewableImage(file.path)) {
    return (
      <div className="flex h-full items-center justify-center overflow-auto bg-[repeating-conic-gradient(#e4e4e7_0_25%,transparent_0_50%)] bg-[length:16px_16px] p-6 dark:bg-[repeating-conic-gradient(#27272a_0_25%,transparent_0_50%)]">
        {/* eslint-disable-next-line @next/next/no-img-element -- a data: URL of the file itself */}
        <img
          src={`data:${file.mimeType};base64,${file.content}`}
          alt={`Preview of ${file.path}`}
          className="max-h-full max-w-full shadow"
        />
      </div>
    );
  }
  return (
    <div className="flex h-full flex-col items-center justify-center gap-2 text-sm text-zinc-500">
      <FileWarning className="size-8" aria-hidden />
      <p>This is a binary file ({formatBytes(bytes)}); it cannot be edited here. Download it from the file tree.</p>
    </div>
  );
}

/** The active tab: the editor, an image preview, a conflict to resolve, or what went wrong. */
export function EditorArea() {
  const { projectId, preferences, save, saveAll, toggleAssistant } = useIdeActions();
  const { state } = useIdeState();
  // An archived project is read-only (the server refuses its writes too).
  const archived = useProjectArchived(projectId);
  const file = state.active ? state.files[state.active] : undefined;
  if (!file) return <EmptyEditor />;
  if (file.status === "loading") {
    return (
      <div className="flex h-full items-center justify-center text-sm text-zinc-500" aria-busy>
        <Loader2 className="mr-2 size-4 animate-spin" aria-hidden /> Opening {file.path}…
      </div>
    );
  }
  if (file.status === "error") {
    return (
      <div className="p-6">
        <Alert tone="error">
          {file.path} could not be opened: {file.error}
        </Alert>
      </div>
    );
  }
  if (file.conflict) return <ConflictView file={{ ...file, conflict: file.conflict }} />;
  if (file.isBinary) return <BinaryFile file={file} />;
  return (
    <LazyCodeEditor
      key={file.path}
      projectId={projectId}
      path={file.path}
      value={file.content}
      revision={file.revision}
      language={languageForPath(file.path)}
      preferences={preferences}
      readOnly={archived}
      revealLine={state.reveal?.path === file.path ? state.reveal : undefined}
      onSave={() => void save(file.path).catch(() => {})}
      onSaveAll={() => void saveAll().catch(() => {})}
      onToggleAssistant={toggleAssistant}
      onBlur={() => {
        if (preferences.autosave === "onFocusChange") void save(file.path).catch(() => {});
      }}
    />
  );
}
