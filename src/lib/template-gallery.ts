/**
 * The gallery's filters as they live in the URL (`/templates?q=react&category=web-app&tags=vite,typescript&sort=
 * top-rated&page=2`), and the way from one to the other and to `template.list`'s input. Client-safe and pure, so the
 * server page and the client gallery read the same URL the same way, and prefetch and hook share a query key.
 */
import {
  TEMPLATE_CATEGORY_LABELS,
  TEMPLATE_MAX_TAGS,
  TEMPLATE_SORTS,
  ZListTemplatesInput,
  ZTemplateFacetsInput,
  ZTemplateCategory,
  ZTemplateTag,
  type TemplateSort,
} from "~/lib/schemas/template";
import { z } from "zod";

export type TemplateCategory = z.infer<typeof ZTemplateCategory>;

export interface GalleryFilters {
  /** The search as typed (trimmed); "" when there is none. */
  q: string;
  category: TemplateCategory | null;
  /** Lowercase, unique, at most TEMPLATE_MAX_TAGS; a template must carry every one. */
  tags: string[];
  /** The sort chosen; null: the default (relevance while searching, else popular). */
  sort: TemplateSort | null;
  mine: boolean;
  page: number;
}

export const EMPTY_FILTERS: GalleryFilters = { q: "", category: null, tags: [], sort: null, mine: false, page: 1 };

/** What Next hands a page as `searchParams`, or the browser's URLSearchParams. */
export type RawParams = URLSearchParams | Record<string, string | string[] | undefined>;

// Duck-typed: Next's ReadonlyURLSearchParams need not be an instance of this realm's URLSearchParams.
function isSearchParams(params: RawParams): params is URLSearchParams {
  return typeof (params as URLSearchParams).getAll === "function";
}

function first(params: RawParams, key: string): string | undefined {
  if (isSearchParams(params)) return params.get(key) ?? undefined;
  const value = params[key];
  return Array.isArray(value) ? value[0] : value;
}

function all(params: RawParams, key: string): string[] {
  if (isSearchParams(params)) return params.getAll(key);
  const value = params[key];
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

// Each field is validated by the same schema template.list uses, one at a time: a bad value drops that filter, never
// the whole URL (a link mangled by a chat app still opens the gallery).
const ZQ = ZListTemplatesInput.shape.q.unwrap();
const ZSort = z.enum(TEMPLATE_SORTS);
const ZPage = z.coerce.number().int().min(1).max(1000);

/**
 * The filters of a gallery URL; invalid or unknown values are ignored. `tags` may be comma-separated, repeated, or
 * both. `mine` holds only for a signed-in viewer (the server refuses it otherwise).
 */
export function parseGalleryParams(params: RawParams, options: { signedIn: boolean }): GalleryFilters {
  const q = ZQ.safeParse(first(params, "q") ?? "");
  const category = ZTemplateCategory.safeParse(first(params, "category"));
  const sort = ZSort.safeParse(first(params, "sort"));
  const page = ZPage.safeParse(first(params, "page"));
  const tags: string[] = [];
  for (const raw of all(params, "tags").flatMap((value) => value.split(","))) {
    const tag = ZTemplateTag.safeParse(raw);
    if (tag.success && !tags.includes(tag.data) && tags.length < TEMPLATE_MAX_TAGS) tags.push(tag.data);
  }
  const mine = first(params, "mine");
  return {
    q: q.success ? q.data : "",
    category: category.success ? category.data : null,
    tags,
    sort: sort.success ? sort.data : null,
    mine: options.signedIn && (mine === "1" || mine === "true"),
    page: page.success ? page.data : 1,
  };
}

/** The sort the server applies: relevance only with a search (its default then), else popular by default. */
export function effectiveSort(filters: Pick<GalleryFilters, "q" | "sort">): TemplateSort {
  const searching = filters.q !== "";
  if (filters.sort === "relevance" && !searching) return "popular";
  return filters.sort ?? (searching ? "relevance" : "popular");
}

/**
 * The canonical query string of the filters (no leading "?"; "" for the plain gallery): defaults left out, tags
 * comma-separated, so equal filters make equal, short, shareable URLs.
 */
export function galleryQueryString(filters: GalleryFilters): string {
  const params = new URLSearchParams();
  if (filters.q) params.set("q", filters.q);
  if (filters.category) params.set("category", filters.category);
  if (filters.tags.length > 0) params.set("tags", filters.tags.join(","));
  if (filters.sort && filters.sort !== defaultSort(filters) && !(filters.sort === "relevance" && !filters.q))
    params.set("sort", filters.sort);
  if (filters.mine) params.set("mine", "1");
  if (filters.page > 1) params.set("page", String(filters.page));
  // URLSearchParams writes "," as %2C; a comma is legal in a query and reads better in a shared link.
  return params.toString().replaceAll("%2C", ",");
}

function defaultSort(filters: Pick<GalleryFilters, "q">): TemplateSort {
  return filters.q ? "relevance" : "popular";
}

/**
 * `template.list`'s input for the filters, with no undefined keys, so the server's prefetch and the browser's
 * query hash to the same key.
 */
export function toListInput(filters: GalleryFilters): z.input<typeof ZListTemplatesInput> {
  return {
    ...(filters.q ? { q: filters.q } : {}),
    ...(filters.category ? { category: filters.category } : {}),
    tags: filters.tags,
    sort: effectiveSort(filters),
    mine: filters.mine,
    page: filters.page,
  };
}

/** The facets' input for the filters: counts among what the search, category and tags leave. */
export function toFacetsInput(filters: GalleryFilters): z.input<typeof ZTemplateFacetsInput> {
  return {
    ...(filters.q ? { q: filters.q } : {}),
    ...(filters.category ? { category: filters.category } : {}),
    tags: filters.tags,
  };
}

/**
 * The filters after one change; anything but a page change goes back to page 1 (page 3 of another search means
 * nothing). A sort equal to the default is kept as "the default", as the URL keeps it, so a search typed after
 * choosing "Popular" with no search sorts by relevance.
 */
export function updateFilters(filters: GalleryFilters, change: Partial<GalleryFilters>): GalleryFilters {
  const next = { ...filters, page: 1, ...change };
  if (next.sort === defaultSort(next) || (next.sort === "relevance" && !next.q)) next.sort = null;
  return next;
}

/** Whether anything narrows the list (the sort and the page do not). */
export function hasActiveFilters(filters: GalleryFilters): boolean {
  return filters.q !== "" || filters.category !== null || filters.tags.length > 0 || filters.mine;
}

/** The active filters in words, for an empty result: `matching "reac", in Web app, tagged vite and typescript`. */
export function describeFilters(filters: GalleryFilters): string {
  const parts: string[] = [];
  if (filters.q) parts.push(`matching “${filters.q}”`);
  if (filters.category) parts.push(`in ${TEMPLATE_CATEGORY_LABELS[filters.category]}`);
  if (filters.tags.length > 0) parts.push(`tagged ${listInWords(filters.tags)}`);
  if (filters.mine) parts.push("of yours");
  return parts.join(", ");
}

function listInWords(items: string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}
