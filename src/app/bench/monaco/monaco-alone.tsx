"use client";

import { useEffect, useRef } from "react";
import { createEditor, monaco } from "~/components/editor/monaco/setup";
import { languageForPath } from "~/lib/file-types";
import { DEFAULT_PREFERENCES } from "~/lib/schemas/account";

/** What `npm run bench:typing` calls: shows a file in an editor of the given size (the IDE editor's). */
interface BenchMonacoHook {
  open(file: { path: string; content: string; width: number; height: number }): void;
}

declare global {
  interface Window {
    __vaporformBenchMonaco?: BenchMonacoHook;
  }
}

/**
 * One Monaco editor and nothing else: no React state follows the buffer. Options as the IDE's editor has them for a
 * user with default preferences (the benchmark's user), so the two differ only by what the IDE adds around Monaco.
 */
export default function MonacoAlone() {
  const containerRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    const editor = createEditor(container, {
      fontSize: DEFAULT_PREFERENCES.editorFontSize,
      wordWrap: DEFAULT_PREFERENCES.wordWrap ? "on" : "off",
    });
    let model: monaco.editor.ITextModel | null = null;
    window.__vaporformBenchMonaco = {
      open({ path, content, width, height }) {
        container.style.width = `${width}px`;
        container.style.height = `${height}px`;
        model?.dispose();
        // A file: uri like the IDE's models, so the language workers treat both buffers alike.
        model = monaco.editor.createModel(
          content,
          languageForPath(path),
          monaco.Uri.from({ scheme: "file", path: `/bench/${path}` }),
        );
        model.updateOptions({ tabSize: DEFAULT_PREFERENCES.tabSize, indentSize: DEFAULT_PREFERENCES.tabSize });
        editor.setModel(model);
      },
    };
    return () => {
      delete window.__vaporformBenchMonaco;
      editor.dispose();
      model?.dispose();
    };
  }, []);

  return <div ref={containerRef} data-testid="bench-monaco" className="h-[80vh] w-full" />;
}
