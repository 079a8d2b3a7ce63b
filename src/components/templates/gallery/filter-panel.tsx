"use client";

import { Check } from "lucide-react";
import { useState } from "react";
import { cn } from "~/lib/cn";
import { TEMPLATE_CATEGORY_LABELS, TEMPLATE_MAX_TAGS } from "~/lib/schemas/template";
import type { TemplateCategory } from "~/lib/template-gallery";
import type { RouterOutputs } from "~/server/api/root";

type Facets = RouterOutputs["template"]["facets"];

/** Tags shown before "Show all": enough for the common ones without pushing the cards far down on a phone. */
const TAGS_SHOWN = 16;

const pill =
  "inline-flex items-center gap-1.5 rounded-full border px-2.5 py-1 text-xs font-medium transition-colors focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-brand-500/50 disabled:cursor-not-allowed disabled:opacity-50";
const pillOff =
  "border-zinc-300 bg-white text-zinc-700 hover:border-brand-400 hover:bg-brand-50 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-300 dark:hover:bg-zinc-800";
const pillOn =
  "border-brand-600 bg-brand-600 text-white hover:bg-brand-700 dark:border-brand-500 dark:bg-brand-500 dark:hover:bg-brand-600";

function Count({ value, on }: { value: number; on: boolean }) {
  return (
    <span className={cn("tabular-nums", on ? "text-white/80" : "text-zinc-500 dark:text-zinc-400")}>
      <span className="sr-only">(</span>
      {value.toLocaleString("en-US")}
      <span className="sr-only"> templates)</span>
    </span>
  );
}

function categoryLabel(category: string): string {
  return TEMPLATE_CATEGORY_LABELS[category as TemplateCategory] ?? category;
}

/** The category filter: one at a time, "All" clears it; counts are of public templates. */
export function CategoryFilter({
  facets,
  value,
  onChange,
}: {
  facets: Facets["categories"];
  value: TemplateCategory | null;
  onChange(category: TemplateCategory | null): void;
}) {
  const total = facets.reduce((sum, facet) => sum + facet.count, 0);
  // A category from the URL that no public template has yet still shows, selected, so it can be unselected.
  const entries =
    value && !facets.some((facet) => facet.category === value) ? [...facets, { category: value, count: 0 }] : facets;
  return (
    <section aria-labelledby="filter-category">
      <h2 id="filter-category" className="text-xs font-semibold uppercase tracking-wide text-zinc-500">
        Category
      </h2>
      <div
        role="group"
        aria-labelledby="filter-category"
        className="mt-2 flex flex-wrap gap-1.5 lg:flex-col lg:gap-0.5"
      >
        {[{ category: null, count: total }, ...entries].map((facet) => {
          const on = facet.category === value;
          return (
            <button
              key={facet.category ?? "all"}
              type="button"
              aria-pressed={on}
              onClick={() => onChange(facet.category as TemplateCategory | null)}
              className={cn(
                pill,
                "lg:justify-between lg:rounded-md lg:border-transparent lg:px-2.5 lg:py-1.5 lg:text-sm",
                on ? pillOn : cn(pillOff, "lg:bg-transparent lg:dark:bg-transparent"),
              )}
            >
              <span>{facet.category === null ? "All categories" : categoryLabel(facet.category)}</span>
              <Count value={facet.count} on={on} />
            </button>
          );
        })}
      </div>
    </section>
  );
}

/**
 * The tag filter: toggle chips, several at once, and a template must carry all of them. Selected tags come first,
 * including one from the URL that is not among the top tags.
 */
export function TagFilter({
  facets,
  selected,
  onToggle,
}: {
  facets: Facets["tags"];
  selected: string[];
  onToggle(tag: string): void;
}) {
  const [showAll, setShowAll] = useState(false);
  const counts = new Map(facets.map((facet) => [facet.tag, facet.count]));
  const others = facets.map((facet) => facet.tag).filter((tag) => !selected.includes(tag));
  const shown = [...selected, ...(showAll ? others : others.slice(0, Math.max(0, TAGS_SHOWN - selected.length)))];
  const hidden = selected.length + others.length - shown.length;
  const full = selected.length >= TEMPLATE_MAX_TAGS;
  return (
    <section aria-labelledby="filter-tags">
      <h2 id="filter-tags" className="text-xs font-semibold uppercase tracking-wide text-zinc-500">
        Tags
      </h2>
      <p id="filter-tags-hint" className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">
        {full ? `At most ${TEMPLATE_MAX_TAGS} tags at once.` : "Templates with every tag you pick."}
      </p>
      <div
        role="group"
        aria-labelledby="filter-tags"
        aria-describedby="filter-tags-hint"
        className="mt-2 flex flex-wrap gap-1.5"
        data-testid="tag-filter"
      >
        {shown.map((tag) => {
          const on = selected.includes(tag);
          return (
            <button
              key={tag}
              type="button"
              aria-pressed={on}
              disabled={!on && full}
              onClick={() => onToggle(tag)}
              className={cn(pill, "font-mono", on ? pillOn : pillOff)}
            >
              {on && <Check className="size-3" aria-hidden />}
              {tag}
              {counts.has(tag) && <Count value={counts.get(tag)!} on={on} />}
            </button>
          );
        })}
      </div>
      {(hidden > 0 || showAll) && (
        <button
          type="button"
          aria-expanded={showAll}
          onClick={() => setShowAll(!showAll)}
          className="mt-2 rounded text-xs font-medium text-brand-700 hover:underline focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-brand-500/50 dark:text-brand-300"
        >
          {showAll ? "Show fewer tags" : `Show ${hidden} more ${hidden === 1 ? "tag" : "tags"}`}
        </button>
      )}
    </section>
  );
}

/** Grey pills while the facets load. */
export function FiltersSkeleton() {
  return (
    <div aria-hidden className="space-y-6">
      {[5, 12].map((count) => (
        <div key={count} className="flex flex-wrap gap-1.5">
          {Array.from({ length: count }, (_, i) => (
            <div key={i} className="h-6 w-16 animate-pulse rounded-full bg-zinc-100 dark:bg-zinc-900" />
          ))}
        </div>
      ))}
    </div>
  );
}
