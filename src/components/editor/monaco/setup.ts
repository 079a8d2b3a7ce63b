/**
 * Everything Monaco needs before the first editor is created. This module touches `self`, `document` and Monaco's
 * browser-only globals at import time, so it must only ever be reached through `next/dynamic(..., { ssr: false })`
 * (see ./lazy.tsx); importing it from a server-rendered module breaks the build or the first load.
 */
import * as monaco from "monaco-editor";
import { useEffect, useSyncExternalStore } from "react";

// Workers are spelled out one `new Worker(new URL(...))` per file because that literal pattern is what Turbopack
// recognises to emit a worker chunk (served from /_next/static, so CSP `worker-src 'self'` allows it). The paths
// go through the package's "exports" map (`./*` -> `./esm/vs/*`); the old `monaco-editor/esm/vs/...` paths do not.
self.MonacoEnvironment = {
  getWorker(_workerId: string, label: string): Worker {
    switch (label) {
      case "typescript":
      case "javascript":
        return new Worker(new URL("monaco-editor/language/typescript/ts.worker.js", import.meta.url), {
          type: "module",
          name: label,
        });
      case "json":
        return new Worker(new URL("monaco-editor/language/json/json.worker.js", import.meta.url), {
          type: "module",
          name: label,
        });
      case "css":
      case "scss":
      case "less":
        return new Worker(new URL("monaco-editor/language/css/css.worker.js", import.meta.url), {
          type: "module",
          name: label,
        });
      case "html":
      case "handlebars":
      case "razor":
        return new Worker(new URL("monaco-editor/language/html/html.worker.js", import.meta.url), {
          type: "module",
          name: label,
        });
      default:
        return new Worker(new URL("monaco-editor/editor/editor.worker.js", import.meta.url), {
          type: "module",
          name: label,
        });
    }
  },
};

/**
 * Diagnostics a single-file view cannot answer: the worker only sees open buffers, never node_modules or the
 * project's other files, so these would paint every import and every JSX tag red for no fault of the user.
 */
const UNANSWERABLE_DIAGNOSTICS = [
  2307, // Cannot find module '…' or its corresponding type declarations.
  2792, // Cannot find module '…'. Did you mean to set the 'moduleResolution' option …?
  7016, // Could not find a declaration file for module '…'.
  2875, // This JSX tag requires the module path 'react/jsx-runtime' to exist …
  7026, // JSX element implicitly has type 'any' because no interface 'JSX.IntrinsicElements' exists.
  2503, // Cannot find namespace '…' (React, JSX, NodeJS: namespaces that come from unseen @types packages).
  2580, // Cannot find name 'process' / 'require'. Do you need to install type definitions for node?
  2591, // … and add 'node' to the types field in your tsconfig.
  2582, // Cannot find name 'describe' / 'it'. Do you need to install type definitions for a test runner?
  2593, // … and add it to the types field in your tsconfig.
];

// Monaco's enum stops at NodeJs (2); the TypeScript 5.9 inside the worker knows Bundler (100), which is what
// Vite/Next projects are written against (extensionless imports, package "exports").
const MODULE_RESOLUTION_BUNDLER = 100 as monaco.typescript.ModuleResolutionKind;
// ts.ModuleDetectionKind.Force: every buffer is a module, so two open scripts that both declare `const x` do not
// collide in the worker's one shared program ("Cannot redeclare block-scoped variable").
const MODULE_DETECTION_FORCE = 3;

// In monaco-editor 0.57 the TypeScript API is the top-level `monaco.typescript` namespace;
// `monaco.languages.typescript` is only a deprecated stub.
const ts = monaco.typescript;
const compilerOptions: monaco.typescript.CompilerOptions = {
  target: ts.ScriptTarget.ESNext,
  module: ts.ModuleKind.ESNext,
  moduleResolution: MODULE_RESOLUTION_BUNDLER,
  moduleDetection: MODULE_DETECTION_FORCE,
  jsx: ts.JsxEmit.ReactJSX,
  allowJs: true,
  allowNonTsExtensions: true,
  allowImportingTsExtensions: true,
  resolveJsonModule: true,
  strict: true,
  // Off although `strict` is on: with imports unresolved, every callback typed by a library
  // (`React.FC<Props> = ({ title }) =>`, `app.get("/", (req, res) =>`) would be flagged as an implicit any.
  noImplicitAny: false,
  noEmit: true,
  esModuleInterop: true,
  allowSyntheticDefaultImports: true,
  skipLibCheck: true,
};
const diagnosticsOptions: monaco.typescript.DiagnosticsOptions = {
  noSemanticValidation: false,
  noSyntaxValidation: false,
  diagnosticCodesToIgnore: UNANSWERABLE_DIAGNOSTICS,
};
for (const defaults of [ts.typescriptDefaults, ts.javascriptDefaults]) {
  defaults.setCompilerOptions(compilerOptions);
  defaults.setDiagnosticsOptions(diagnosticsOptions);
  // Push every open buffer to the worker up front, so imports between open files of a project resolve.
  defaults.setEagerModelSync(true);
}

// tsconfig.json, .vscode/*.json and friends are JSON with comments; flagging them as errors would be noise.
monaco.json.jsonDefaults.setDiagnosticsOptions({
  validate: true,
  enableSchemaRequest: false,
  comments: "ignore",
  trailingCommas: "warning",
});

export const LIGHT_THEME = "vaporform-light";
export const DARK_THEME = "vaporform-dark";

// Colours follow the app's Tailwind palette (zinc surfaces, indigo accents) so the editor does not look pasted in.
monaco.editor.defineTheme(LIGHT_THEME, {
  base: "vs",
  inherit: true,
  rules: [],
  colors: {
    "editor.background": "#ffffff",
    "editor.lineHighlightBackground": "#f4f4f5",
    "editor.lineHighlightBorder": "#f4f4f5",
    "editorLineNumber.foreground": "#a1a1aa",
    "editorLineNumber.activeForeground": "#3f3f46",
    "editor.selectionBackground": "#c7d2fe",
    "editor.inactiveSelectionBackground": "#e0e7ff",
    "editorCursor.foreground": "#4f46e5",
    "editorIndentGuide.background1": "#e4e4e7",
    "editorWidget.background": "#fafafa",
    "editorWidget.border": "#e4e4e7",
    focusBorder: "#6366f1",
    "diffEditor.insertedTextBackground": "#22c55e26",
    "diffEditor.removedTextBackground": "#ef444426",
  },
});
monaco.editor.defineTheme(DARK_THEME, {
  base: "vs-dark",
  inherit: true,
  rules: [],
  colors: {
    "editor.background": "#09090b",
    "editor.lineHighlightBackground": "#18181b",
    "editor.lineHighlightBorder": "#18181b",
    "editorLineNumber.foreground": "#52525b",
    "editorLineNumber.activeForeground": "#d4d4d8",
    "editor.selectionBackground": "#3730a3",
    "editor.inactiveSelectionBackground": "#312e8180",
    "editorCursor.foreground": "#818cf8",
    "editorIndentGuide.background1": "#27272a",
    "editorWidget.background": "#18181b",
    "editorWidget.border": "#3f3f46",
    focusBorder: "#818cf8",
    "diffEditor.insertedTextBackground": "#22c55e26",
    "diffEditor.removedTextBackground": "#ef444433",
  },
});

/**
 * An editor as the app creates them: no model yet, the app's theme, its options. The IDE's editor and the bare page
 * of `npm run bench:typing` (which must measure Monaco as the IDE configures it) both start here; per-user options
 * (font size, word wrap, tab size) are applied after creation.
 */
export function createEditor(
  container: HTMLElement,
  options: monaco.editor.IStandaloneEditorConstructionOptions = {},
): monaco.editor.IStandaloneCodeEditor {
  return monaco.editor.create(container, {
    model: null,
    theme: currentMonacoTheme(),
    automaticLayout: true,
    minimap: { enabled: false },
    scrollBeyondLastLine: false,
    fixedOverflowWidgets: true,
    ...options,
  });
}

function subscribeToHtmlClass(onChange: () => void) {
  const observer = new MutationObserver(onChange);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ["class"] });
  return () => observer.disconnect();
}

function isDark() {
  return document.documentElement.classList.contains("dark");
}

/** The app's theme is the `dark` class on <html> (see ~/lib/theme), so the editor follows that, not the OS. */
export function currentMonacoTheme(): string {
  return isDark() ? DARK_THEME : LIGHT_THEME;
}

/**
 * Keeps Monaco's theme in step with the app's light/dark switch and returns the theme name for `create` options.
 * Monaco themes are global (one per page), so every mounted editor follows the same switch.
 */
export function useMonacoTheme(): string {
  const dark = useSyncExternalStore(subscribeToHtmlClass, isDark, () => false);
  const theme = dark ? DARK_THEME : LIGHT_THEME;
  useEffect(() => {
    monaco.editor.setTheme(theme);
  }, [theme]);
  return theme;
}

export { monaco };
