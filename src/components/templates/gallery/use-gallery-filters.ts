"use client";

import { usePathname, useSearchParams } from "next/navigation";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { galleryQueryString, parseGalleryParams, updateFilters, type GalleryFilters } from "~/lib/template-gallery";

/** How long the search waits after the last keystroke before it updates the URL (and so the query). */
export const SEARCH_DEBOUNCE_MS = 250;

/**
 * The gallery's filters, kept in the URL: read with `useSearchParams`, written with the history API (Next keeps
 * `useSearchParams` in step with it, without a server round trip: the browser's query fetches the new page).
 * Each filter change is a history entry, so Back undoes it; a search being typed is one entry, not one per word.
 * The search box's text is local state, so typing never waits for the URL, and follows the URL on Back/Forward.
 */
export function useGalleryFilters({ signedIn }: { signedIn: boolean }) {
  const searchParams = useSearchParams();
  const pathname = usePathname();
  const filters = useMemo(() => parseGalleryParams(searchParams, { signedIn }), [searchParams, signedIn]);
  const [searchText, setText] = useState(filters.q);
  const latestText = useRef(searchText);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  // True while the last history entry is a search being typed: further keystrokes replace it.
  const typing = useRef(false);

  const navigate = useCallback(
    (change: Partial<GalleryFilters>, mode: "push" | "replace") => {
      // The filters of the URL now, not of the last render: a debounced search must not undo a chip clicked since.
      const current = parseGalleryParams(new URLSearchParams(window.location.search), { signedIn });
      const query = galleryQueryString(updateFilters(current, change));
      const url = query ? `${pathname}?${query}` : pathname;
      if (url === `${window.location.pathname}${window.location.search}`) return;
      if (mode === "push") window.history.pushState(null, "", url);
      else window.history.replaceState(null, "", url);
    },
    [pathname, signedIn],
  );

  const flushSearch = useCallback(() => {
    clearTimeout(timer.current);
    timer.current = undefined;
  }, []);

  /** Types into the search box; the URL follows SEARCH_DEBOUNCE_MS after the last keystroke. */
  const setSearchText = useCallback(
    (text: string) => {
      setText(text);
      latestText.current = text;
      flushSearch();
      timer.current = setTimeout(() => {
        timer.current = undefined;
        navigate({ q: text.trim() }, typing.current ? "replace" : "push");
        typing.current = true;
      }, SEARCH_DEBOUNCE_MS);
    },
    [flushSearch, navigate],
  );

  /** Changes filters (back to page 1 unless the page is what changes); a search still being typed goes along. */
  const setFilters = useCallback(
    (change: Partial<GalleryFilters>) => {
      const pending = timer.current !== undefined;
      flushSearch();
      typing.current = false;
      if ("q" in change) {
        setText(change.q ?? "");
        latestText.current = change.q ?? "";
      }
      navigate(pending && !("q" in change) ? { q: latestText.current.trim(), ...change } : change, "push");
    },
    [flushSearch, navigate],
  );

  useEffect(() => {
    // Back and Forward move the URL under the search box: show the search of the entry we landed on.
    const onPopState = () => {
      flushSearch();
      typing.current = false;
      const q = parseGalleryParams(new URLSearchParams(window.location.search), { signedIn }).q;
      setText(q);
      latestText.current = q;
    };
    // Following a link (a card) while a search is still pending: the late URL update would cancel that navigation.
    const onClick = (event: MouseEvent) => {
      if (event.target instanceof Element && event.target.closest("a[href]")) flushSearch();
    };
    window.addEventListener("popstate", onPopState);
    document.addEventListener("click", onClick, true);
    return () => {
      window.removeEventListener("popstate", onPopState);
      document.removeEventListener("click", onClick, true);
      flushSearch();
    };
  }, [flushSearch, signedIn]);

  /** Ends a typing session (the search box lost focus): the next search is a new history entry. */
  const endTyping = useCallback(() => {
    typing.current = false;
  }, []);

  return { filters, setFilters, searchText, setSearchText, endTyping };
}
