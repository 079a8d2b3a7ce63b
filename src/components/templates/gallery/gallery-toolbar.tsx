"use client";

import { Search } from "lucide-react";
import { FieldShell, inputClasses } from "~/components/ui/field";
import { Switch } from "~/components/ui/switch";
import { cn } from "~/lib/cn";
import type { TemplateSort } from "~/lib/schemas/template";

const SORT_LABELS: Record<TemplateSort, string> = {
  relevance: "Relevance",
  popular: "Popular",
  "top-rated": "Top rated",
  newest: "Newest",
};

/** The search box, the sort and, signed in, "My templates". */
export function GalleryToolbar({
  searchText,
  onSearchText,
  onSearchBlur,
  sort,
  searching,
  onSort,
  signedIn,
  mine,
  onMine,
}: {
  searchText: string;
  onSearchText(text: string): void;
  onSearchBlur(): void;
  sort: TemplateSort;
  searching: boolean;
  onSort(sort: TemplateSort): void;
  signedIn: boolean;
  mine: boolean;
  onMine(mine: boolean): void;
}) {
  const sorts: TemplateSort[] = searching
    ? ["relevance", "popular", "top-rated", "newest"]
    : ["popular", "top-rated", "newest"];
  return (
    <div className="flex flex-col gap-4 sm:flex-row sm:items-start">
      <div className="min-w-0 flex-1">
        <FieldShell label="Search templates" hint="Name, description and tags; the list updates as you type.">
          {({ id, describedBy }) => (
            <div className="relative">
              <Search
                className="pointer-events-none absolute left-3 top-1/2 size-4 -translate-y-1/2 text-zinc-400"
                aria-hidden
              />
              <input
                id={id}
                type="search"
                aria-describedby={describedBy}
                placeholder="react, api, landing page…"
                autoComplete="off"
                spellCheck={false}
                maxLength={200}
                className={cn(inputClasses, "pl-9")}
                value={searchText}
                onChange={(event) => onSearchText(event.target.value)}
                onBlur={onSearchBlur}
              />
            </div>
          )}
        </FieldShell>
      </div>
      {/* On a phone the sort and "My templates" share a row; from sm up, all three do. */}
      <div className="flex items-start gap-4 sm:contents">
        <div className="min-w-0 flex-1 sm:w-60 sm:flex-none">
          <FieldShell
            label="Sort by"
            hint="Top rated weighs the number of ratings, so one 5-star vote does not beat many good ones."
          >
            {({ id, describedBy }) => (
              <select
                id={id}
                aria-describedby={describedBy}
                className={inputClasses}
                value={sort}
                onChange={(event) => onSort(event.target.value as TemplateSort)}
              >
                {sorts.map((option) => (
                  <option key={option} value={option}>
                    {SORT_LABELS[option]}
                  </option>
                ))}
              </select>
            )}
          </FieldShell>
        </div>
        {signedIn && (
          <div className="shrink-0 space-y-1.5">
            <label
              htmlFor="gallery-mine"
              className="block whitespace-nowrap text-sm font-medium text-zinc-800 dark:text-zinc-200"
            >
              My templates
            </label>
            <div className="flex h-[38px] items-center">
              <Switch id="gallery-mine" checked={mine} onCheckedChange={onMine} />
            </div>
          </div>
        )}
      </div>
    </div>
  );
}
