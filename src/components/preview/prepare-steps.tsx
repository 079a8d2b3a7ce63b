import { Check, LoaderCircle, X } from "lucide-react";
import { Alert } from "~/components/ui/alert";
import { bundleErrorHeadline, type PreviewPrepare } from "~/lib/schemas/preview";

function seconds(ms: number | null): string {
  if (ms === null) return "";
  return ms < 1_000 ? `${ms} ms` : `${(ms / 1_000).toFixed(1)} s`;
}

/**
 * How a bundled preview prepares, as the preview host recorded it: each step (installing dependencies, bundling the
 * entry), then "Ready", or the install's failure with npm's short error, or the bundler's errors with file, line and
 * the line's text.
 */
export function PrepareSteps({ prepare }: { prepare: PreviewPrepare }) {
  return (
    <div className="m-2 flex flex-col gap-2">
      <ol className="flex flex-col gap-1 text-xs text-zinc-600 dark:text-zinc-400" data-testid="preview-steps">
        {prepare.steps.map((step) => (
          <li key={step.id} className="flex items-center gap-1.5" data-state={step.state}>
            {step.state === "active" ? (
              <LoaderCircle className="size-3.5 animate-spin" aria-hidden />
            ) : step.state === "done" ? (
              <Check className="size-3.5 text-emerald-600" aria-hidden />
            ) : (
              <X className="size-3.5 text-red-600" aria-hidden />
            )}
            <span>
              {step.label}
              {step.state === "active" ? "…" : ""}
            </span>
            {step.state !== "active" && step.ms !== null && <span className="text-zinc-400">{seconds(step.ms)}</span>}
          </li>
        ))}
        {prepare.phase === "ready" && (
          <li className="flex items-center gap-1.5 font-medium text-emerald-700 dark:text-emerald-400">
            <Check className="size-3.5" aria-hidden /> Ready
          </li>
        )}
      </ol>
      {prepare.message && <Alert tone="error">{prepare.message}</Alert>}
      {prepare.errors.length > 0 && (
        <Alert tone="error">
          <div data-testid="preview-bundle-errors">
            <p className="font-medium">The preview could not be bundled:</p>
            <ul className="mt-1 flex flex-col gap-1.5">
              {prepare.errors.map((error, index) => (
                <li key={index}>
                  <p className="font-mono text-xs">{bundleErrorHeadline(error)}</p>
                  {error.lineText && (
                    <pre className="mt-0.5 overflow-x-auto rounded bg-red-100/60 px-2 py-1 text-xs dark:bg-red-950">
                      {error.line !== null && <span className="mr-2 select-none text-red-400">{error.line}</span>}
                      {error.lineText}
                    </pre>
                  )}
                </li>
              ))}
            </ul>
          </div>
        </Alert>
      )}
    </div>
  );
}
