"use client";

import { X } from "lucide-react";
import { useId, useState, type KeyboardEvent } from "react";
import { inputClasses } from "~/components/ui/field";
import { cn } from "~/lib/cn";
import { TECH_STACK_MAX_ITEMS, TECH_STACK_SUGGESTIONS } from "~/lib/schemas/project";

/**
 * The technologies of a project as chips: picked from the suggestions (a datalist) or typed, Enter or a comma
 * adds, Backspace on an empty input removes the last. `name` submits them as JSON in a hidden input.
 */
export function TechStackInput({
  name,
  value,
  onChange,
  error,
  label = "Tech stack",
}: {
  name?: string;
  value: string[];
  onChange: (next: string[]) => void;
  error?: string;
  label?: string;
}) {
  const id = useId();
  const [draft, setDraft] = useState("");
  const add = (raw: string) => {
    const item = raw.trim().replace(/,$/, "").trim();
    if (!item || value.some((existing) => existing.toLowerCase() === item.toLowerCase())) return setDraft("");
    if (value.length >= TECH_STACK_MAX_ITEMS) return;
    onChange([...value, item.slice(0, 50)]);
    setDraft("");
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === "Enter" || event.key === ",") {
      event.preventDefault();
      add(draft);
    } else if (event.key === "Backspace" && draft === "" && value.length > 0) {
      onChange(value.slice(0, -1));
    }
  };
  return (
    <div className="space-y-1.5">
      <label htmlFor={id} className="block text-sm font-medium text-zinc-800 dark:text-zinc-200">
        {label}
      </label>
      {name && <input type="hidden" name={name} value={JSON.stringify(value)} />}
      <div
        className={cn(inputClasses, "flex flex-wrap items-center gap-1.5 py-1.5")}
        aria-invalid={error ? true : undefined}
        data-testid="tech-stack"
      >
        {value.map((item) => (
          <span
            key={item}
            className="inline-flex items-center gap-1 rounded-full bg-brand-50 px-2 py-0.5 text-xs font-medium text-brand-700 dark:bg-brand-700/20 dark:text-brand-100"
          >
            {item}
            <button
              type="button"
              aria-label={`Remove ${item}`}
              onClick={() => onChange(value.filter((other) => other !== item))}
              className="rounded-full hover:bg-brand-100 dark:hover:bg-brand-700/40"
            >
              <X className="size-3" aria-hidden />
            </button>
          </span>
        ))}
        <input
          id={id}
          list={`${id}-suggestions`}
          value={draft}
          onChange={(event) => {
            const next = event.target.value;
            // Choosing a suggestion from the datalist fills the input with exactly that name: add it at once.
            if ((TECH_STACK_SUGGESTIONS as readonly string[]).includes(next)) add(next);
            else setDraft(next);
          }}
          onKeyDown={onKeyDown}
          onBlur={() => add(draft)}
          placeholder={value.length === 0 ? "React, PostgreSQL… (Enter adds)" : ""}
          className="min-w-32 flex-1 bg-transparent text-sm outline-none"
          maxLength={50}
        />
        <datalist id={`${id}-suggestions`}>
          {TECH_STACK_SUGGESTIONS.filter((item) => !value.includes(item)).map((item) => (
            <option key={item} value={item} />
          ))}
        </datalist>
      </div>
      {error ? (
        <p className="text-xs font-medium text-red-600 dark:text-red-400">{error}</p>
      ) : (
        <p className="text-xs text-zinc-500 dark:text-zinc-400">Pick from the list or type your own.</p>
      )}
    </div>
  );
}
