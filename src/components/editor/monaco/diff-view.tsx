"use client";

import { useEffect, useEffectEvent, useRef } from "react";
import type { EditorPreferences } from "./code-editor";
import { bufferText, editText } from "./buffer";
import { currentMonacoTheme, monaco, useMonacoTheme } from "./setup";

export interface DiffViewProps {
  original: string;
  modified: string;
  language: string;
  originalLabel: string;
  modifiedLabel: string;
  /** The right side can be edited ("merge by hand"); the left side never can. */
  editableModified?: boolean;
  onModifiedChange?(value: string): void;
  /** Ctrl/Cmd+S pressed in the editable side, e.g. to save the merged result. */
  onSave?(): void;
  preferences: EditorPreferences;
  sideBySide?: boolean;
  /** The file's path: its extension tells the TypeScript worker whether to parse JSX (`.tsx`) or not. */
  path?: string;
  /** For a narrow place (the assistant panel): no overview ruler beside the scrollbar, long lines wrapped. */
  compact?: boolean;
}

/** The last mounted diff's editable side, for end-to-end tests (as `window.__vaporformEditor` for the editor). */
export interface DiffTestHook {
  getValue(): string;
  /** Replaces the right side's text as a user edit would (onModifiedChange fires). */
  setValue(value: string): void;
}

declare global {
  interface Window {
    __vaporformDiffEditor?: DiffTestHook;
  }
}

// Without a path, guess the permissive extension so JSX in a TypeScript/JavaScript file does not turn red.
const FALLBACK_EXTENSION: Record<string, string> = { typescript: ".tsx", javascript: ".jsx" };
let diffCount = 0;

/** A uri outside `file:` so diff buffers never collide with (or shadow) the editor's models of the same file. */
function diffUri(side: "original" | "modified", id: number, path: string | undefined, language: string) {
  const name = path ? path.replace(/^\/+/, "") : `file${FALLBACK_EXTENSION[language] ?? ""}`;
  return monaco.Uri.from({ scheme: "vaporform-diff", path: `/${id}/${side}/${name}` });
}

/** New text as one undoable edit, so the cursor and undo history survive a programmatic change. */
function syncContent(model: monaco.editor.ITextModel, value: string) {
  if (bufferText(model) === value) return;
  model.pushEditOperations([], [{ range: model.getFullModelRange(), text: editText(model, value) }], () => null);
}

/**
 * Monaco's diff editor with a label over each side: the save-conflict view (theirs vs mine, mine editable) and
 * the history diff between two versions (read-only). Needs a parent with a definite height (it fills it).
 */
export default function DiffView({
  original,
  modified,
  language,
  originalLabel,
  modifiedLabel,
  editableModified = false,
  onModifiedChange,
  onSave,
  preferences,
  sideBySide = true,
  path,
  compact = false,
}: DiffViewProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  const diffRef = useRef<monaco.editor.IStandaloneDiffEditor | null>(null);
  // Values reported through onModifiedChange that the parent may still pass back. A parent that echoes state
  // renders a keystroke or two behind a fast typist; writing such a stale echo into the model would eat letters.
  const echoesRef = useRef<string[]>([]);
  const syncingRef = useRef(false);
  useMonacoTheme();
  const { editorFontSize, tabSize, wordWrap } = preferences;

  const emitChange = useEffectEvent((text: string) => onModifiedChange?.(text));
  const emitSave = useEffectEvent(() => onSave?.());
  // Only the first values matter here; later ones are synced by the effects below.
  const initialModels = useEffectEvent(() => ({ original, modified, language, path }));

  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    const id = ++diffCount;
    const init = initialModels();
    const models = {
      original: monaco.editor.createModel(
        init.original,
        init.language,
        diffUri("original", id, init.path, init.language),
      ),
      modified: monaco.editor.createModel(
        init.modified,
        init.language,
        diffUri("modified", id, init.path, init.language),
      ),
    };
    const diff = monaco.editor.createDiffEditor(container, {
      theme: currentMonacoTheme(),
      automaticLayout: true,
      originalEditable: false,
      // Labels sit over fixed halves, so the split neither moves nor collapses to inline on its own.
      enableSplitViewResizing: false,
      useInlineViewWhenSpaceIsLimited: false,
      minimap: { enabled: false },
      scrollBeyondLastLine: false,
      fixedOverflowWidgets: true,
    });
    diff.setModel(models);
    diffRef.current = diff;

    const modifiedEditor = diff.getModifiedEditor();
    // Scoped to this diff's editable side for the same reason as in CodeEditor: addCommand is page-global.
    const focusKey = `vaporformDiff${id}`;
    modifiedEditor.createContextKey(focusKey, true);
    modifiedEditor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.KeyS, () => emitSave(), focusKey);
    const subscription = models.modified.onDidChangeContent(() => {
      if (syncingRef.current) return;
      const text = bufferText(models.modified);
      const echoes = echoesRef.current;
      echoes.push(text);
      // Bounded, for a parent that never passes the value back.
      if (echoes.length > 50) echoes.shift();
      emitChange(text);
    });

    const hook: DiffTestHook = {
      getValue: () => bufferText(models.modified),
      setValue: (text) => modifiedEditor.executeEdits("test", [{ range: models.modified.getFullModelRange(), text }]),
    };
    window.__vaporformDiffEditor = hook;

    return () => {
      if (window.__vaporformDiffEditor === hook) delete window.__vaporformDiffEditor;
      subscription.dispose();
      diffRef.current = null;
      // The editor first, then the models: a diff editor must not outlive its models.
      diff.dispose();
      models.original.dispose();
      models.modified.dispose();
    };
  }, []);

  useEffect(() => {
    const model = diffRef.current?.getModel()?.modified;
    if (!model) return;
    const echoes = echoesRef.current;
    const echoed = echoes.indexOf(modified);
    if (echoed !== -1) {
      echoes.splice(0, echoed + 1);
      return;
    }
    // A change from outside (e.g. "start again from theirs"): take it, without reporting it back as an edit.
    syncingRef.current = true;
    syncContent(model, modified);
    syncingRef.current = false;
  }, [modified]);

  useEffect(() => {
    const model = diffRef.current?.getModel();
    if (!model) return;
    syncContent(model.original, original);
  }, [original]);

  useEffect(() => {
    const model = diffRef.current?.getModel();
    if (!model) return;
    for (const side of [model.original, model.modified]) {
      if (side.getLanguageId() !== language) monaco.editor.setModelLanguage(side, language);
      side.updateOptions({ tabSize, indentSize: tabSize });
    }
  }, [language, tabSize]);

  useEffect(() => {
    diffRef.current?.updateOptions({
      renderSideBySide: sideBySide,
      readOnly: !editableModified,
      fontSize: editorFontSize,
      wordWrap: wordWrap || compact ? "on" : "off",
      renderOverviewRuler: !compact,
      // Read-only sides hide squiggles anyway; an editable merge should show real errors while fixing it.
      renderValidationDecorations: editableModified ? "editable" : "off",
    });
    diffRef.current?.getOriginalEditor().updateOptions({ ariaLabel: `${originalLabel} (read-only)` });
    diffRef.current?.getModifiedEditor().updateOptions({
      ariaLabel: editableModified ? `${modifiedLabel} (editable)` : `${modifiedLabel} (read-only)`,
    });
  }, [sideBySide, editableModified, editorFontSize, wordWrap, compact, originalLabel, modifiedLabel]);

  return (
    <div data-testid="diff-view" className="flex h-full min-h-0 w-full flex-col overflow-hidden">
      <div className="flex shrink-0 border-b border-zinc-200 bg-zinc-50 text-xs font-medium text-zinc-600 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-400">
        {sideBySide ? (
          <>
            <div data-testid="diff-original-label" className="w-1/2 truncate px-3 py-1.5" title={originalLabel}>
              {originalLabel}
            </div>
            <div
              data-testid="diff-modified-label"
              className="w-1/2 truncate border-l border-zinc-200 px-3 py-1.5 dark:border-zinc-800"
              title={modifiedLabel}
            >
              {modifiedLabel}
              {editableModified ? <span className="ml-2 text-brand-600 dark:text-brand-400">editable</span> : null}
            </div>
          </>
        ) : (
          <div className="truncate px-3 py-1.5">
            <span data-testid="diff-original-label">{originalLabel}</span>
            <span aria-hidden className="px-2">
              →
            </span>
            <span data-testid="diff-modified-label">{modifiedLabel}</span>
          </div>
        )}
      </div>
      <div className="relative min-h-0 flex-1">
        <div ref={containerRef} className="absolute inset-0" />
      </div>
    </div>
  );
}
