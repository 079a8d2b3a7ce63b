"use client";

import { useId } from "react";
import { Button } from "~/components/ui/button";
import { inputClasses } from "~/components/ui/field";
import { cn } from "~/lib/cn";

/** What the form does with a stored secret: keep it, replace it with a typed value, or clear it. */
export type SecretChange = { mode: "keep" } | { mode: "replace"; value: string } | { mode: "clear" };

/** The change as the update input wants it: omitted (keep), a string (replace) or null (clear). */
export function secretInput(change: SecretChange): string | null | undefined {
  if (change.mode === "replace") return change.value;
  if (change.mode === "clear") return null;
  return undefined;
}

/**
 * A write-only secret: the browser never has the stored value, only its mask ("••••1234"). "Replace" opens an empty
 * input, "Clear" removes it on save; an unset secret shows the input directly.
 */
export function SecretField({
  label,
  mask,
  change,
  onChange,
  error,
  hint,
  onGenerate,
  testId,
}: {
  label: string;
  /** The stored secret's mask, or null when none is set. */
  mask: string | null;
  change: SecretChange;
  onChange(change: SecretChange): void;
  error?: string;
  hint?: string;
  /** Offers "Generate" (a random value, filled in for the user to copy). */
  onGenerate?: () => string;
  testId: string;
}) {
  const id = useId();
  const typing = change.mode === "replace" || (mask === null && change.mode !== "clear");
  return (
    <div className="space-y-1.5" data-testid={testId}>
      <label htmlFor={id} className="block text-sm font-medium text-zinc-800 dark:text-zinc-200">
        {label}
      </label>
      {typing ? (
        <div className="flex gap-2">
          <input
            id={id}
            type={onGenerate ? "text" : "password"}
            autoComplete="off"
            spellCheck={false}
            value={change.mode === "replace" ? change.value : ""}
            placeholder={mask === null ? "Not set" : "New value"}
            aria-invalid={error ? true : undefined}
            onChange={(event) =>
              onChange(
                event.target.value === "" && mask === null
                  ? { mode: "keep" }
                  : { mode: "replace", value: event.target.value },
              )
            }
            className={cn(inputClasses, "font-mono")}
          />
          {onGenerate && (
            <Button
              type="button"
              variant="secondary"
              size="sm"
              className="h-10"
              onClick={() => onChange({ mode: "replace", value: onGenerate() })}
            >
              Generate
            </Button>
          )}
          {mask !== null && (
            <Button type="button" variant="ghost" size="sm" className="h-10" onClick={() => onChange({ mode: "keep" })}>
              Keep
            </Button>
          )}
        </div>
      ) : (
        <div className="flex items-center gap-2">
          <span id={id} className="font-mono text-sm text-zinc-700 dark:text-zinc-300" data-testid={`${testId}-mask`}>
            {change.mode === "clear" ? "Will be cleared" : mask}
          </span>
          {change.mode === "clear" ? (
            <Button type="button" variant="ghost" size="sm" onClick={() => onChange({ mode: "keep" })}>
              Undo
            </Button>
          ) : (
            <>
              <Button
                type="button"
                variant="secondary"
                size="sm"
                onClick={() => onChange({ mode: "replace", value: "" })}
              >
                Replace
              </Button>
              <Button type="button" variant="ghost" size="sm" onClick={() => onChange({ mode: "clear" })}>
                Clear
              </Button>
            </>
          )}
        </div>
      )}
      {error ? (
        <p className="text-xs text-red-600 dark:text-red-400">{error}</p>
      ) : (
        hint && <p className="text-xs text-zinc-500 dark:text-zinc-400">{hint}</p>
      )}
    </div>
  );
}
