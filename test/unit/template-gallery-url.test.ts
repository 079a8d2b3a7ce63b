import { describe, expect, it } from "vitest";
import { ZListTemplatesInput } from "~/lib/schemas/template";
import {
  describeFilters,
  effectiveSort,
  EMPTY_FILTERS,
  galleryQueryString,
  hasActiveFilters,
  parseGalleryParams,
  toListInput,
  updateFilters,
} from "~/lib/template-gallery";

const signedOut = { signedIn: false };
const signedIn = { signedIn: true };

function parse(query: string, options = signedOut) {
  return parseGalleryParams(new URLSearchParams(query), options);
}

describe("gallery URL -> filters", () => {
  it("reads every filter of a shared link", () => {
    expect(parse("q=react&category=web-app&tags=vite,typescript&sort=top-rated&page=2")).toEqual({
      q: "react",
      category: "web-app",
      tags: ["vite", "typescript"],
      sort: "top-rated",
      mine: false,
      page: 2,
    });
  });

  it("is the plain gallery for no query at all", () => {
    expect(parse("")).toEqual(EMPTY_FILTERS);
  });

  it("ignores each invalid value on its own and keeps the valid ones", () => {
    expect(parse("sort=bogus&page=-3&category=spaceship&q=vue")).toEqual({ ...EMPTY_FILTERS, q: "vue" });
    expect(parse("page=2.5").page).toBe(1);
    expect(parse("page=abc").page).toBe(1);
    expect(parse("page=1001").page).toBe(1);
    expect(parse(`q=${"x".repeat(201)}`).q).toBe("");
  });

  it("reads tags comma-separated or repeated, lowercased, deduplicated, invalid ones dropped, at most 10", () => {
    expect(parse("tags=Vite,,typescript&tags=vite&tags=c%2B%2B").tags).toEqual(["vite", "typescript", "c++"]);
    expect(parse("tags=<script>,ok,has space").tags).toEqual(["ok"]);
    const many = Array.from({ length: 14 }, (_, i) => `t${i}`).join(",");
    expect(parse(`tags=${many}`).tags).toHaveLength(10);
  });

  it("takes 'mine' only from a signed-in viewer", () => {
    expect(parse("mine=1").mine).toBe(false);
    expect(parse("mine=1", signedIn).mine).toBe(true);
    expect(parse("mine=true", signedIn).mine).toBe(true);
    expect(parse("mine=yes", signedIn).mine).toBe(false);
  });

  it("reads Next's searchParams object the same way, arrays included", () => {
    expect(parseGalleryParams({ q: ["react", "vue"], tags: ["vite", "typescript"], page: "3" }, signedOut)).toEqual({
      ...EMPTY_FILTERS,
      q: "react",
      tags: ["vite", "typescript"],
      page: 3,
    });
  });
});

describe("filters -> gallery URL", () => {
  it("writes a short canonical query, defaults left out, tags with plain commas", () => {
    expect(galleryQueryString(EMPTY_FILTERS)).toBe("");
    const filters = parse("q=react&category=web-app&tags=vite,typescript&sort=top-rated&page=2");
    expect(galleryQueryString(filters)).toBe("q=react&category=web-app&tags=vite,typescript&sort=top-rated&page=2");
    expect(galleryQueryString({ ...EMPTY_FILTERS, sort: "popular" })).toBe("");
    expect(galleryQueryString({ ...EMPTY_FILTERS, q: "vue", sort: "relevance" })).toBe("q=vue");
    expect(galleryQueryString({ ...EMPTY_FILTERS, sort: "relevance" })).toBe("");
    expect(galleryQueryString({ ...EMPTY_FILTERS, mine: true })).toBe("mine=1");
  });

  it("round-trips: parsing what it wrote gives the same filters", () => {
    const samples = [
      parse("q=react vite&tags=c++,node.js&sort=newest&page=4"),
      parse("category=api&tags=rest", signedIn),
      { ...parse("q=a&b", signedIn), mine: true },
    ];
    for (const filters of samples) {
      expect(parseGalleryParams(new URLSearchParams(galleryQueryString(filters)), signedIn)).toEqual(filters);
    }
  });
});

describe("sort and changes", () => {
  it("sorts by relevance while searching and by popularity otherwise, unless chosen", () => {
    expect(effectiveSort({ q: "", sort: null })).toBe("popular");
    expect(effectiveSort({ q: "react", sort: null })).toBe("relevance");
    expect(effectiveSort({ q: "react", sort: "newest" })).toBe("newest");
    expect(effectiveSort({ q: "", sort: "relevance" })).toBe("popular");
  });

  it("goes back to page 1 on any change but the page", () => {
    const onPage3 = { ...EMPTY_FILTERS, page: 3 };
    expect(updateFilters(onPage3, { tags: ["vite"] }).page).toBe(1);
    expect(updateFilters(onPage3, { page: 4 }).page).toBe(4);
  });

  it("forgets a sort equal to the default, so a new search sorts by relevance", () => {
    const popular = updateFilters(EMPTY_FILTERS, { sort: "popular" });
    expect(popular.sort).toBeNull();
    expect(effectiveSort(updateFilters(popular, { q: "react" }))).toBe("relevance");
    // Relevance means nothing once the search is gone.
    const relevance = { ...EMPTY_FILTERS, q: "react", sort: "relevance" as const };
    expect(updateFilters(relevance, { q: "" }).sort).toBeNull();
    // A chosen sort stays through a new search.
    expect(updateFilters({ ...EMPTY_FILTERS, sort: "top-rated" }, { q: "vue" }).sort).toBe("top-rated");
  });
});

describe("template.list input", () => {
  it("is valid for the schema and has no undefined keys (the prefetch and the hook share its key)", () => {
    const input = toListInput(parse("tags=vite"));
    expect(input).toEqual({ tags: ["vite"], sort: "popular", mine: false, page: 1 });
    expect(Object.values(input)).not.toContain(undefined);
    expect(ZListTemplatesInput.safeParse(input).success).toBe(true);
    const full = toListInput(parse("q=reac&category=web-app&tags=vite,typescript&mine=1&page=2", signedIn));
    expect(full).toEqual({
      q: "reac",
      category: "web-app",
      tags: ["vite", "typescript"],
      sort: "relevance",
      mine: true,
      page: 2,
    });
    expect(ZListTemplatesInput.safeParse(full).success).toBe(true);
  });
});

describe("active filters in words", () => {
  it("names what narrows the list", () => {
    expect(hasActiveFilters(EMPTY_FILTERS)).toBe(false);
    expect(hasActiveFilters({ ...EMPTY_FILTERS, sort: "newest", page: 2 })).toBe(false);
    const filters = parse("q=reac&category=web-app&tags=vite,typescript,spa");
    expect(hasActiveFilters(filters)).toBe(true);
    expect(describeFilters(filters)).toBe("matching “reac”, in Web app, tagged vite, typescript and spa");
    expect(describeFilters({ ...EMPTY_FILTERS, tags: ["vite"] })).toBe("tagged vite");
  });
});
