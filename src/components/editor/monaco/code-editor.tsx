"use client";

import { useEffect, useEffectEvent, useRef } from "react";
import { bufferClosed, bufferEdited, bufferLoaded, bufferMoved } from "../buffer-state";
import { bufferText, editText } from "./buffer";
import { createEditor, monaco, useMonacoTheme } from "./setup";

export interface EditorPreferences {
  editorFontSize: number;
  tabSize: number;
  wordWrap: boolean;
}

export interface CodeEditorProps {
  projectId: string;
  /** One Monaco model per (projectId, path), at uri `file:///${projectId}/${path}`. */
  path: string;
  /** Content used when the model is created, and whenever `revision` changes; otherwise the buffer wins. The
   * buffer is the model's alone: edits never come back as props, and buffer-state.ts says which are unsaved. */
  value: string;
  /** Bump to replace the buffer programmatically (take theirs, restore, reload). The replacement can be undone. */
  revision: number;
  /** Monaco language id. */
  language: string;
  readOnly?: boolean;
  preferences: EditorPreferences;
  /** Jump there once per `nonce` (use a counter or Date.now(): a nonce already handled is ignored). */
  revealLine?: { line: number; column?: number; nonce: number };
  /** Ctrl/Cmd+S pressed in this editor. */
  onSave(): void;
  /** Ctrl/Cmd+Alt+S pressed in this editor. */
  onSaveAll?(): void;
  /** Ctrl/Cmd+I pressed in this editor (Monaco keeps the key from the page, so it asks through this). */
  onToggleAssistant?(): void;
  onBlur?(): void;
}

/** What e2e tests read (and set) instead of scraping Monaco's virtualised DOM. */
interface EditorTestHook {
  getValue(): string;
  /** Replaces the buffer as a user edit would (onChange fires); typing into Monaco is slow and auto-closes brackets. */
  setValue(value: string): void;
  getPosition(): { lineNumber: number; column: number } | null;
}

declare global {
  interface Window {
    __vaporformEditor?: EditorTestHook;
  }
}

interface ModelEntry {
  projectId: string;
  path: string;
  model: monaco.editor.ITextModel;
  /** Reports the model's edits to buffer-state.ts. */
  listener: monaco.IDisposable;
  /** Set while the buffer is replaced from outside: that is a load, not an edit. */
  replacing: boolean;
  /** Cursor, selection, scroll and folding of the last editor that showed this model. */
  viewState: monaco.editor.ICodeEditorViewState | null;
  /** The `revision` whose `value` the buffer was last built from. */
  revision: number;
}

// Models outlive the component on purpose: switching tabs unmounts the editor, but the buffer, its undo history
// and the view state must survive until the tab is closed (disposeEditorModel).
const models = new Map<string, ModelEntry>();
// Editors currently mounted, so a rename can move a visible buffer without the user losing their place.
const liveEditors = new Set<monaco.editor.IStandaloneCodeEditor>();
// A reveal request is handled once, by whichever editor sees it first; remounts must not jump again.
const handledRevealNonces = new Set<number>();
let editorCount = 0;

function modelKey(projectId: string, path: string): string {
  return monaco.Uri.from({ scheme: "file", path: `/${projectId}/${path.replace(/^\/+/, "")}` }).toString();
}

/** The entries at `key` and, when `key` is a folder, under it. */
function entriesAt(key: string): [string, ModelEntry][] {
  return [...models].filter(([k]) => k === key || k.startsWith(`${key}/`));
}

/** Registers a model under `key`, following its edits. */
function track(
  key: string,
  projectId: string,
  path: string,
  model: monaco.editor.ITextModel,
  viewState: ModelEntry["viewState"],
  revision: number,
): ModelEntry {
  const entry: ModelEntry = {
    projectId,
    path,
    model,
    viewState,
    revision,
    replacing: false,
    listener: { dispose() {} },
  };
  entry.listener = model.onDidChangeContent(() => {
    if (!entry.replacing) bufferEdited(entry.projectId, entry.path, model.getAlternativeVersionId());
  });
  models.set(key, entry);
  return entry;
}

function untrack(key: string, entry: ModelEntry) {
  models.delete(key);
  entry.listener.dispose();
  entry.model.dispose();
}

/**
 * Replaces the whole buffer with the server's text as one undoable edit, so "take theirs" or "reload" can be taken
 * back with Ctrl+Z (which makes the buffer unsaved again).
 */
function replaceContent(entry: ModelEntry, value: string) {
  const { model } = entry;
  if (bufferText(model) !== value) {
    entry.replacing = true;
    try {
      model.pushStackElement();
      model.pushEditOperations([], [{ range: model.getFullModelRange(), text: editText(model, value) }], () => null);
      model.pushStackElement();
    } finally {
      entry.replacing = false;
    }
  }
  bufferLoaded(entry.projectId, entry.path, model.getAlternativeVersionId());
}

/** The text of an open buffer and the version id it has now (record it as saved once the server has the text). */
export function readBuffer(projectId: string, path: string): { text: string; versionId: number } | undefined {
  const model = models.get(modelKey(projectId, path))?.model;
  return model && !model.isDisposed()
    ? { text: bufferText(model), versionId: model.getAlternativeVersionId() }
    : undefined;
}

/** Forgets the buffer of a closed tab (or of every file under a deleted folder): its text, undo history and view state. */
export function disposeEditorModel(projectId: string, path: string) {
  for (const [key, entry] of entriesAt(modelKey(projectId, path))) untrack(key, entry);
  bufferClosed(projectId, path);
}

/** Forgets every buffer of a project, e.g. when leaving its IDE page. */
export function disposeProjectEditorModels(projectId: string) {
  const prefix = modelKey(projectId, "");
  for (const [key, entry] of models) if (key.startsWith(prefix)) untrack(key, entry);
  bufferClosed(projectId);
}

/**
 * Moves the buffer of a renamed file (or of every file under a renamed folder) to its new uri, keeping unsaved
 * text and view state; a model's uri is immutable, so this is a new model and its undo history starts afresh (an
 * unsaved buffer stays unsaved: undo can no longer bring back the saved text).
 * The buffer keeps its `revision`: pass the same one for the new path, or the buffer is rebuilt from `value`.
 */
export function renameEditorModel(projectId: string, from: string, to: string) {
  const fromKey = modelKey(projectId, from);
  const toKey = modelKey(projectId, to);
  if (fromKey === toKey) return;
  for (const [key, entry] of entriesAt(fromKey)) {
    const newKey = toKey + key.slice(fromKey.length);
    const old = entry.model;
    // An editor may already show a fresh model at the new path (it rendered before this ran); the moved buffer
    // replaces it there too.
    const displaced = monaco.editor.getModel(monaco.Uri.parse(newKey));
    const showing = [...liveEditors].flatMap((editor) => {
      const shown = editor.getModel();
      if (!shown || (shown !== old && shown !== displaced)) return [];
      return [{ editor, viewState: shown === old ? editor.saveViewState() : entry.viewState }];
    });
    // Before creating: Monaco refuses a second model at the same uri.
    displaced?.dispose();
    const model = monaco.editor.createModel(bufferText(old), old.getLanguageId(), monaco.Uri.parse(newKey));
    model.updateOptions({ tabSize: old.getOptions().tabSize, indentSize: old.getOptions().indentSize });
    for (const { editor, viewState } of showing) {
      editor.setModel(model);
      if (viewState) editor.restoreViewState(viewState);
    }
    const path = to + entry.path.slice(from.length);
    untrack(key, entry);
    track(newKey, projectId, path, model, entry.viewState, entry.revision);
    bufferMoved(projectId, entry.path, path, model.getAlternativeVersionId());
  }
}

/**
 * The IDE's text editor: one persistent Monaco model per open file, shown in a single editor instance. The model
 * owns the live buffer; buffer-state.ts follows which buffers differ from what the server holds.
 * Needs a parent with a definite height (it fills it).
 */
export default function CodeEditor({
  projectId,
  path,
  value,
  revision,
  language,
  readOnly = false,
  preferences,
  revealLine,
  onSave,
  onSaveAll,
  onToggleAssistant,
  onBlur,
}: CodeEditorProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  const editorRef = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  useMonacoTheme();
  const key = modelKey(projectId, path);
  const { editorFontSize, tabSize, wordWrap } = preferences;

  const emitSave = useEffectEvent(() => onSave());
  const emitSaveAll = useEffectEvent(() => onSaveAll?.());
  const emitToggleAssistant = useEffectEvent(() => onToggleAssistant?.());

  // Created once per mount; props are applied by the effects below, which run right after in the same commit.
  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    const editor = createEditor(container);
    editorRef.current = editor;
    liveEditors.add(editor);

    // Keybindings added with addCommand are page-global in standalone Monaco: without a context key that is true
    // only inside this editor, the last mounted editor would receive every Ctrl+S. Monaco prevents the browser's
    // default for a key it handles, which is what keeps the "Save page" dialog away.
    const focusKey = `vaporformEditor${++editorCount}`;
    editor.createContextKey(focusKey, true);
    editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.KeyS, () => emitSave(), focusKey);
    editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyMod.Alt | monaco.KeyCode.KeyS, () => emitSaveAll(), focusKey);
    // An action rather than a bare command, so it is also in the command palette (F1). It replaces Monaco's own
    // Ctrl+I (a second binding of "trigger suggest", which Ctrl+Space still does).
    editor.addAction({
      id: "vaporform.toggleAssistant",
      label: "Toggle the Claude assistant panel",
      keybindings: [monaco.KeyMod.CtrlCmd | monaco.KeyCode.KeyI],
      precondition: focusKey,
      keybindingContext: focusKey,
      run: () => emitToggleAssistant(),
    });

    const hook: EditorTestHook = {
      getValue: () => {
        const model = editor.getModel();
        return model ? bufferText(model) : "";
      },
      setValue: (text) => {
        const model = editor.getModel();
        if (model) editor.executeEdits("test", [{ range: model.getFullModelRange(), text }]);
      },
      getPosition: () => editor.getPosition(),
    };
    window.__vaporformEditor = hook;
    const subscriptions = [
      editor.onDidFocusEditorWidget(() => {
        window.__vaporformEditor = hook;
      }),
    ];

    return () => {
      const model = editor.getModel();
      const entry = model && models.get(model.uri.toString());
      if (entry?.model === model) entry.viewState = editor.saveViewState();
      for (const subscription of subscriptions) subscription.dispose();
      if (window.__vaporformEditor === hook) delete window.__vaporformEditor;
      liveEditors.delete(editor);
      editorRef.current = null;
      // Disposing the editor leaves the models alone: they belong to the registry above.
      editor.dispose();
    };
  }, []);

  // Show (creating if needed) the model of this path; rebuild its text only when the parent bumps `revision`.
  useEffect(() => {
    const editor = editorRef.current;
    if (!editor) return;
    let entry = models.get(key);
    if (!entry || entry.model.isDisposed()) {
      const uri = monaco.Uri.parse(key);
      // A model can exist without an entry when Fast Refresh re-ran this module (a fresh, empty registry) while
      // Monaco kept its models; creating a second one at the same uri would throw.
      const model = monaco.editor.getModel(uri) ?? monaco.editor.createModel(value, language, uri);
      entry = track(key, projectId, path, model, null, revision);
      bufferLoaded(projectId, path, model.getAlternativeVersionId());
    } else if (entry.revision !== revision) {
      entry.revision = revision;
      replaceContent(entry, value);
    }
    if (entry.model.getLanguageId() !== language) monaco.editor.setModelLanguage(entry.model, language);
    const shown = editor.getModel();
    if (shown !== entry.model) {
      const previous = shown && models.get(shown.uri.toString());
      if (previous?.model === shown) previous.viewState = editor.saveViewState();
      editor.setModel(entry.model);
      if (entry.viewState) editor.restoreViewState(entry.viewState);
    }
  }, [key, projectId, path, value, revision, language]);

  useEffect(() => {
    editorRef.current?.updateOptions({
      fontSize: editorFontSize,
      wordWrap: wordWrap ? "on" : "off",
      readOnly,
      ariaLabel: `Editor for ${path}`,
    });
  }, [editorFontSize, wordWrap, readOnly, path]);

  // Tab width is a model option; applied per model so the user's preference wins over what Monaco guessed from
  // the file, while tabs-versus-spaces stays as detected from the file itself.
  useEffect(() => {
    models.get(key)?.model.updateOptions({ tabSize, indentSize: tabSize });
  }, [key, tabSize]);

  const revealNonce = revealLine?.nonce;
  const revealAt = revealLine?.line;
  const revealColumn = revealLine?.column;
  useEffect(() => {
    const editor = editorRef.current;
    if (!editor || revealNonce === undefined || revealAt === undefined || handledRevealNonces.has(revealNonce)) {
      return;
    }
    handledRevealNonces.add(revealNonce);
    const position = { lineNumber: revealAt, column: revealColumn ?? 1 };
    editor.setPosition(position);
    editor.revealPositionInCenter(position);
    editor.focus();
  }, [key, revealNonce, revealAt, revealColumn]);

  return (
    <div
      data-testid="code-editor"
      data-path={path}
      className="relative h-full min-h-0 w-full overflow-hidden"
      // Focus leaving the editor's DOM, not Monaco's onDidBlurEditorWidget: Monaco reports that blur late, and
      // loses it when a click elsewhere (a tab) swaps the model first, which would skip "autosave on focus change".
      onBlur={(event) => {
        if (!event.currentTarget.contains(event.relatedTarget)) onBlur?.();
      }}
    >
      <div ref={containerRef} className="absolute inset-0" />
    </div>
  );
}
