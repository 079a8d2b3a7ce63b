"use client";

import { useEffect, useRef } from "react";
import { createEditor, monaco, useMonacoTheme } from "./setup";

export interface ReadOnlyViewProps {
  /** Names the buffer (its extension picks the TypeScript worker's mode, e.g. JSX in `.tsx`). */
  path: string;
  value: string;
  /** Monaco language id. */
  language: string;
  /** What screen readers call the editor. */
  ariaLabel?: string;
}

let viewCount = 0;

/**
 * A read-only look at a file that belongs to no project (a template's file): its own model under a scheme of its
 * own, so it never meets the IDE's buffers or their unsaved-state tracking, and no squiggles (the file is shown,
 * not checked). Needs a parent with a definite height (it fills it).
 */
export default function ReadOnlyView({ path, value, language, ariaLabel }: ReadOnlyViewProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  const editorRef = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  const idRef = useRef(0);
  useMonacoTheme();

  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    idRef.current = ++viewCount;
    const editor = createEditor(container, {
      readOnly: true,
      domReadOnly: true,
      renderValidationDecorations: "off",
      wordWrap: "on",
    });
    editorRef.current = editor;
    // The same test hook as the IDE's editor, so e2e specs read the shown text without scraping Monaco's DOM.
    const hook = { getValue: () => editor.getValue(), setValue: () => {}, getPosition: () => editor.getPosition() };
    window.__vaporformEditor = hook;
    return () => {
      editor.getModel()?.dispose();
      if (window.__vaporformEditor === hook) delete window.__vaporformEditor;
      editor.dispose();
      editorRef.current = null;
    };
  }, []);

  useEffect(() => {
    const editor = editorRef.current;
    if (!editor) return;
    const uri = monaco.Uri.from({
      scheme: "vaporform-readonly",
      path: `/${idRef.current}/${path.replace(/^\/+/, "")}`,
    });
    const previous = editor.getModel();
    const model = monaco.editor.getModel(uri) ?? monaco.editor.createModel(value, language, uri);
    if (model.getValue() !== value) model.setValue(value);
    if (model.getLanguageId() !== language) monaco.editor.setModelLanguage(model, language);
    if (previous !== model) {
      editor.setModel(model);
      previous?.dispose();
    }
    editor.updateOptions({ ariaLabel: ariaLabel ?? `Preview of ${path}` });
  }, [path, value, language, ariaLabel]);

  return (
    <div data-testid="read-only-view" data-path={path} className="relative h-full min-h-0 w-full overflow-hidden">
      <div ref={containerRef} className="absolute inset-0" />
    </div>
  );
}
