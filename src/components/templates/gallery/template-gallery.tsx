"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { ChevronLeft, ChevronRight, SlidersHorizontal } from "lucide-react";
import { useRef, useState } from "react";
import { Button } from "~/components/ui/button";
import { cn } from "~/lib/cn";
import {
  describeFilters,
  effectiveSort,
  EMPTY_FILTERS,
  hasActiveFilters,
  toFacetsInput,
  toListInput,
  type GalleryFilters,
} from "~/lib/template-gallery";
import { useTRPC } from "~/trpc/react";
import { ActiveFilters } from "./active-filters";
import { CategoryFilter, FiltersSkeleton, TagFilter } from "./filter-panel";
import { GalleryToolbar } from "./gallery-toolbar";
import {
  CardsSkeleton,
  GalleryError,
  NoMatches,
  NoTemplatesAtAll,
  NoTemplatesOfMine,
  PastTheEnd,
} from "./gallery-states";
import { TemplateCard } from "./template-card";
import { useGalleryFilters } from "./use-gallery-filters";

function countInWords(total: number): string {
  if (total === 0) return "No templates";
  return `${total.toLocaleString("en-US")} ${total === 1 ? "template" : "templates"}`;
}

/**
 * The template gallery: search, sort, category and tag filters, cards and pages, all held in the URL. The server
 * page prefetches the list and the facets for the URL it was asked for, so the first render has its cards.
 */
export function TemplateGallery({ signedIn }: { signedIn: boolean }) {
  const trpc = useTRPC();
  const { filters, setFilters, searchText, setSearchText, endTyping } = useGalleryFilters({ signedIn });
  const list = useQuery({
    ...trpc.template.list.queryOptions(toListInput(filters)),
    placeholderData: keepPreviousData,
  });
  const facets = useQuery({
    ...trpc.template.facets.queryOptions(toFacetsInput(filters)),
    placeholderData: keepPreviousData,
  });
  const resultsRef = useRef<HTMLElement>(null);
  // On a phone the category and tag filters fold away, so the cards are not a screen of chips away.
  const [filtersOpen, setFiltersOpen] = useState(false);
  const narrowing = (filters.category ? 1 : 0) + filters.tags.length;

  const clear = () => setFilters({ ...EMPTY_FILTERS, sort: filters.sort });
  const goToPage = (page: number) => {
    setFilters({ page });
    resultsRef.current?.scrollIntoView({ block: "start" });
  };
  const toggleTag = (tag: string) =>
    setFilters({
      tags: filters.tags.includes(tag) ? filters.tags.filter((other) => other !== tag) : [...filters.tags, tag],
    });

  const data = list.data;
  const stale = list.isPlaceholderData;

  return (
    <div className="space-y-6">
      <GalleryToolbar
        searchText={searchText}
        onSearchText={setSearchText}
        onSearchBlur={endTyping}
        sort={effectiveSort(filters)}
        searching={filters.q !== ""}
        onSort={(sort) => setFilters({ sort })}
        signedIn={signedIn}
        mine={filters.mine}
        onMine={(mine) => setFilters({ mine })}
      />

      <div className="grid gap-4 lg:grid-cols-[15rem_minmax(0,1fr)] lg:gap-8">
        <div className="lg:hidden">
          <Button
            variant="secondary"
            size="sm"
            aria-expanded={filtersOpen}
            aria-controls="gallery-filters"
            onClick={() => setFiltersOpen(!filtersOpen)}
          >
            <SlidersHorizontal className="size-4" aria-hidden />
            {filtersOpen ? "Hide categories and tags" : "Categories and tags"}
            {narrowing > 0 && <span className="tabular-nums">({narrowing})</span>}
          </Button>
        </div>
        <aside id="gallery-filters" aria-label="Filters" className={cn("space-y-6", !filtersOpen && "max-lg:hidden")}>
          {facets.data ? (
            <>
              <CategoryFilter
                facets={facets.data.categories}
                value={filters.category}
                onChange={(category) => setFilters({ category })}
              />
              <TagFilter facets={facets.data.tags} selected={filters.tags} onToggle={toggleTag} />
            </>
          ) : facets.isError ? (
            <p className="text-sm text-zinc-600 dark:text-zinc-400">
              The filters could not be loaded.{" "}
              <button type="button" className="font-medium underline" onClick={() => void facets.refetch()}>
                Try again
              </button>
            </p>
          ) : (
            <FiltersSkeleton />
          )}
        </aside>

        <section ref={resultsRef} aria-labelledby="gallery-results" className="min-w-0 scroll-mt-4 space-y-4">
          <div className="flex flex-wrap items-center justify-between gap-3">
            <h2 id="gallery-results" className="sr-only">
              Results
            </h2>
            <p
              role="status"
              aria-live="polite"
              data-testid="gallery-count"
              className="text-sm font-medium text-zinc-700 tabular-nums dark:text-zinc-300"
            >
              {data ? countInWords(data.total) : list.isError ? "" : "Loading templates…"}
            </p>
            {hasActiveFilters(filters) && <ActiveFilters filters={filters} onChange={setFilters} onClear={clear} />}
          </div>

          {list.isError && (
            <GalleryError message={list.error.message} onRetry={() => void list.refetch()} retrying={list.isFetching} />
          )}

          {!data ? (
            !list.isError && <CardsSkeleton />
          ) : data.templates.length === 0 ? (
            <EmptyResult filters={filters} signedIn={signedIn} onClear={clear} onFirstPage={() => goToPage(1)} />
          ) : (
            <>
              <ul
                aria-busy={stale || undefined}
                className={cn("grid gap-4 transition-opacity sm:grid-cols-2 xl:grid-cols-3", stale && "opacity-60")}
              >
                {data.templates.map((template) => (
                  <li key={template.id}>
                    <TemplateCard template={template} />
                  </li>
                ))}
              </ul>
              {data.pages > 1 && (
                <nav aria-label="Pages" className="flex items-center justify-between gap-3 pt-2">
                  <Button
                    variant="secondary"
                    size="sm"
                    disabled={data.page <= 1}
                    onClick={() => goToPage(data.page - 1)}
                  >
                    <ChevronLeft className="size-4" aria-hidden /> Previous
                  </Button>
                  <p className="text-sm text-zinc-600 tabular-nums dark:text-zinc-400">
                    Page {data.page} of {data.pages}
                  </p>
                  <Button
                    variant="secondary"
                    size="sm"
                    disabled={data.page >= data.pages}
                    onClick={() => goToPage(data.page + 1)}
                  >
                    Next <ChevronRight className="size-4" aria-hidden />
                  </Button>
                </nav>
              )}
            </>
          )}
        </section>
      </div>
    </div>
  );
}

function EmptyResult({
  filters,
  signedIn,
  onClear,
  onFirstPage,
}: {
  filters: GalleryFilters;
  signedIn: boolean;
  onClear(): void;
  onFirstPage(): void;
}) {
  if (filters.page > 1) return <PastTheEnd page={filters.page} onFirstPage={onFirstPage} />;
  if (filters.mine && !hasActiveFilters({ ...filters, mine: false })) return <NoTemplatesOfMine />;
  if (hasActiveFilters(filters)) return <NoMatches description={describeFilters(filters)} onClear={onClear} />;
  return <NoTemplatesAtAll signedIn={signedIn} />;
}
