"use client";

import { X } from "lucide-react";
import { TEMPLATE_CATEGORY_LABELS } from "~/lib/schemas/template";
import type { GalleryFilters } from "~/lib/template-gallery";

function Chip({ label, removeLabel, onRemove }: { label: string; removeLabel: string; onRemove(): void }) {
  return (
    <li className="inline-flex items-center gap-1 rounded-full bg-brand-50 py-0.5 pr-0.5 pl-2.5 text-xs font-medium text-brand-700 ring-1 ring-brand-200 dark:bg-brand-700/20 dark:text-brand-100 dark:ring-brand-700/50">
      {label}
      <button
        type="button"
        aria-label={removeLabel}
        onClick={onRemove}
        className="rounded-full p-0.5 hover:bg-brand-100 focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-brand-500/50 dark:hover:bg-brand-700/40"
      >
        <X className="size-3.5" aria-hidden />
      </button>
    </li>
  );
}

/** What narrows the list now, each removable on its own, and "Clear filters" for all of them. */
export function ActiveFilters({
  filters,
  onChange,
  onClear,
}: {
  filters: GalleryFilters;
  onChange(change: Partial<GalleryFilters>): void;
  onClear(): void;
}) {
  return (
    <div className="flex flex-wrap items-center gap-2">
      <ul aria-label="Active filters" className="flex flex-wrap items-center gap-1.5">
        {filters.q && (
          <Chip
            label={`“${filters.q}”`}
            removeLabel={`Remove search ${filters.q}`}
            onRemove={() => onChange({ q: "" })}
          />
        )}
        {filters.category && (
          <Chip
            label={TEMPLATE_CATEGORY_LABELS[filters.category]}
            removeLabel={`Remove category ${TEMPLATE_CATEGORY_LABELS[filters.category]}`}
            onRemove={() => onChange({ category: null })}
          />
        )}
        {filters.tags.map((tag) => (
          <Chip
            key={tag}
            label={`#${tag}`}
            removeLabel={`Remove tag ${tag}`}
            onRemove={() => onChange({ tags: filters.tags.filter((other) => other !== tag) })}
          />
        ))}
        {filters.mine && (
          <Chip
            label="My templates"
            removeLabel="Show everyone's templates"
            onRemove={() => onChange({ mine: false })}
          />
        )}
      </ul>
      <button
        type="button"
        onClick={onClear}
        className="rounded text-xs font-medium text-zinc-600 underline-offset-2 hover:text-zinc-900 hover:underline focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-brand-500/50 dark:text-zinc-400 dark:hover:text-zinc-100"
      >
        Clear filters
      </button>
    </div>
  );
}
