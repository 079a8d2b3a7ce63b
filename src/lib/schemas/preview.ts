import { z } from "zod";

/**
 * How a running preview prepares (installs its npm dependencies, bundles its entry module), as the preview host
 * writes it into the service row's `configuration.prepare` and the pane shows it: one schema for both sides.
 */
export const ZPreviewBundleError = z.object({
  file: z.string().nullable(),
  line: z.number().int().nullable(),
  column: z.number().int().nullable(),
  text: z.string(),
  lineText: z.string().nullable(),
});

export const ZPreviewStep = z.object({
  id: z.enum(["install", "bundle"]),
  label: z.string(),
  state: z.enum(["active", "done", "failed"]),
  ms: z.number().int().nullable(),
});

export const ZPreviewPrepare = z.object({
  phase: z.enum(["installing", "bundling", "ready", "failed"]),
  steps: z.array(ZPreviewStep),
  /** The bundler's errors (phase failed), with file and line. */
  errors: z.array(ZPreviewBundleError),
  /** Why the dependencies could not be installed (phase failed), with npm's short error. */
  message: z.string().nullable(),
  updatedAt: z.string(),
});

export type PreviewBundleError = z.infer<typeof ZPreviewBundleError>;
export type PreviewStep = z.infer<typeof ZPreviewStep>;
export type PreviewPrepare = z.infer<typeof ZPreviewPrepare>;

/** `src/App.tsx:12:5 — message` (the line itself is shown apart). */
export function bundleErrorHeadline(error: PreviewBundleError): string {
  const where = error.file ? `${error.file}${error.line ? `:${error.line}:${error.column ?? 1}` : ""} — ` : "";
  return `${where}${error.text}`;
}
