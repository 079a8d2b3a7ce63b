"use client";

import { X } from "lucide-react";
import { useId, useState, type KeyboardEvent } from "react";
import { inputClasses } from "~/components/ui/field";
import { cn } from "~/lib/cn";
import { TEMPLATE_MAX_TAGS, ZTemplateTag } from "~/lib/schemas/template";

/**
 * Tags as chips: type one and press Enter or a comma (pasting "a, b, c" adds three); Backspace in the empty box
 * removes the last; each chip has its own remove button. Bad tags and the limit are said under the box.
 */
export function TagsInput({
  label,
  value,
  onChange,
  error,
}: {
  label: string;
  value: string[];
  onChange(tags: string[]): void;
  error?: string;
}) {
  const id = useId();
  const [draft, setDraft] = useState("");
  const [problem, setProblem] = useState<string>();
  const full = value.length >= TEMPLATE_MAX_TAGS;
  const message = problem ?? error;

  /** Adds the comma-separated tags of `text`; answers what is left to keep typing (a refused tag). */
  function commit(text: string): string {
    const next = [...value];
    let rest = "";
    setProblem(undefined);
    for (const piece of text.split(",")) {
      if (piece.trim() === "") continue;
      const parsed = ZTemplateTag.safeParse(piece);
      if (!parsed.success) {
        setProblem(parsed.error.issues[0]?.message);
        rest = piece.trim();
        break;
      }
      if (next.includes(parsed.data)) continue;
      if (next.length >= TEMPLATE_MAX_TAGS) {
        setProblem(`Use at most ${TEMPLATE_MAX_TAGS} tags.`);
        break;
      }
      next.push(parsed.data);
    }
    if (next.length !== value.length) onChange(next);
    return rest;
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === "Enter" || event.key === ",") {
      event.preventDefault();
      setDraft(commit(draft));
    } else if (event.key === "Backspace" && draft === "" && value.length > 0) {
      event.preventDefault();
      onChange(value.slice(0, -1));
      setProblem(undefined);
    }
  }

  return (
    <div className="space-y-1.5">
      <label htmlFor={id} className="block text-sm font-medium text-zinc-800 dark:text-zinc-200">
        {label}
      </label>
      <div
        className={cn(
          inputClasses,
          "flex min-h-10 flex-wrap items-center gap-1.5 py-1.5 focus-within:border-brand-500 focus-within:ring-2 focus-within:ring-brand-500/30",
          message && "border-red-500",
        )}
      >
        <ul className="contents" aria-label={`${label}: ${value.length} of ${TEMPLATE_MAX_TAGS}`}>
          {value.map((tag) => (
            <li
              key={tag}
              className="inline-flex items-center gap-1 rounded-full bg-zinc-100 py-0.5 pr-1 pl-2 text-xs text-zinc-800 dark:bg-zinc-800 dark:text-zinc-200"
            >
              {tag}
              <button
                type="button"
                aria-label={`Remove tag ${tag}`}
                onClick={() => {
                  onChange(value.filter((t) => t !== tag));
                  setProblem(undefined);
                }}
                className="rounded-full p-0.5 hover:bg-zinc-200 dark:hover:bg-zinc-700"
              >
                <X className="size-3" aria-hidden />
              </button>
            </li>
          ))}
        </ul>
        <input
          id={id}
          value={draft}
          onChange={(event) => {
            const text = event.target.value;
            setDraft(text.includes(",") ? commit(text) : text);
          }}
          onKeyDown={onKeyDown}
          onBlur={() => draft.trim() && setDraft(commit(draft))}
          placeholder={full ? "Tag limit reached" : value.length === 0 ? "react, typescript…" : "Add a tag"}
          aria-describedby={`${id}-hint`}
          aria-invalid={message ? true : undefined}
          className="min-w-24 flex-1 border-0 bg-transparent p-0 text-sm outline-none focus:ring-0"
          data-testid="tags-input"
        />
      </div>
      <p
        id={`${id}-hint`}
        className={cn(
          "text-xs",
          message ? "font-medium text-red-600 dark:text-red-400" : "text-zinc-500 dark:text-zinc-400",
        )}
        aria-live="polite"
      >
        {message ?? `Press Enter or a comma after each tag. ${value.length} of ${TEMPLATE_MAX_TAGS} tags.`}
      </p>
    </div>
  );
}
