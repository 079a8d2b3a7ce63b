"use client";

import { useQuery } from "@tanstack/react-query";
import { CaseSensitive, Loader2, Regex, WholeWord } from "lucide-react";
import { useRouter } from "next/navigation";
import { useDeferredValue, useEffect, useRef, useState } from "react";
import { Alert } from "~/components/ui/alert";
import { inputClasses } from "~/components/ui/field";
import { cn } from "~/lib/cn";
import { SEARCH_MODES, type TSearchCodeInput } from "~/lib/schemas/search";
import { useTRPC } from "~/trpc/react";
import { useIdeActions } from "./ide-provider";

const MODE_LABELS: Record<(typeof SEARCH_MODES)[number], string> = { words: "Words", exact: "Exact", regex: "Regex" };

function Toggle({
  pressed,
  onChange,
  label,
  children,
}: {
  pressed: boolean;
  onChange(value: boolean): void;
  label: string;
  children: React.ReactNode;
}) {
  return (
    <button
      type="button"
      aria-pressed={pressed}
      aria-label={label}
      title={label}
      onClick={() => onChange(!pressed)}
      className={cn(
        "inline-flex size-7 items-center justify-center rounded border text-zinc-600 dark:text-zinc-400",
        pressed
          ? "border-brand-500 bg-brand-50 text-brand-700 dark:bg-brand-700/20 dark:text-brand-100"
          : "border-transparent hover:bg-zinc-200 dark:hover:bg-zinc-800",
      )}
    >
      {children}
    </button>
  );
}

/** Highlights the first occurrence of the query in a result line (the server says where). */
function Preview({ text, column, length }: { text: string; column: number; length: number }) {
  const start = Math.max(0, column - 1);
  return (
    <span className="font-mono text-xs">
      {text.slice(0, start).trimStart()}
      <mark className="rounded-sm bg-amber-200 text-inherit dark:bg-amber-500/40">
        {text.slice(start, start + length)}
      </mark>
      {text.slice(start + length)}
    </span>
  );
}

/** Search across this project or all of the user's projects; a click opens the file at the line. */
export function SearchPanel() {
  const trpc = useTRPC();
  const router = useRouter();
  const { projectId, openFile } = useIdeActions();
  const [query, setQuery] = useState("");
  const [mode, setMode] = useState<(typeof SEARCH_MODES)[number]>("words");
  const [caseSensitive, setCaseSensitive] = useState(false);
  const [wholeWord, setWholeWord] = useState(false);
  const [pathFilter, setPathFilter] = useState("");
  const [everywhere, setEverywhere] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const deferred = useDeferredValue(query.trim());

  useEffect(() => input.current?.focus(), []);

  const params: TSearchCodeInput = {
    projectId: everywhere ? undefined : projectId,
    query: deferred,
    mode,
    caseSensitive,
    wholeWord,
    pathFilter: pathFilter.trim() || undefined,
  };
  const search = useQuery({ ...trpc.search.query.queryOptions(params), enabled: deferred.length > 0, retry: false });

  return (
    <div className="flex h-full flex-col">
      <div className="space-y-2 border-b border-zinc-200 p-3 dark:border-zinc-800">
        <div className="flex items-center gap-1">
          <input
            ref={input}
            type="search"
            aria-label="Search in files"
            placeholder="Search"
            className={cn(inputClasses, "py-1.5")}
            value={query}
            onChange={(event) => setQuery(event.target.value)}
            data-testid="search-input"
          />
          <Toggle pressed={caseSensitive} onChange={setCaseSensitive} label="Match case">
            <CaseSensitive className="size-4" aria-hidden />
          </Toggle>
          <Toggle pressed={wholeWord} onChange={setWholeWord} label="Match whole word">
            <WholeWord className="size-4" aria-hidden />
          </Toggle>
          <Toggle
            pressed={mode === "regex"}
            onChange={(on) => setMode(on ? "regex" : "exact")}
            label="Use regular expression"
          >
            <Regex className="size-4" aria-hidden />
          </Toggle>
        </div>
        <div className="flex gap-2">
          <select
            aria-label="Search mode"
            className={cn(inputClasses, "w-auto py-1 text-xs")}
            value={mode}
            onChange={(event) => setMode(event.target.value as typeof mode)}
          >
            {SEARCH_MODES.map((value) => (
              <option key={value} value={value}>
                {MODE_LABELS[value]}
              </option>
            ))}
          </select>
          <input
            aria-label="Files to include"
            placeholder="Files to include, e.g. src/**/*.ts"
            className={cn(inputClasses, "py-1 text-xs")}
            value={pathFilter}
            onChange={(event) => setPathFilter(event.target.value)}
          />
        </div>
        <label className="flex items-center gap-2 text-xs text-zinc-600 dark:text-zinc-400">
          <input type="checkbox" checked={everywhere} onChange={(event) => setEverywhere(event.target.checked)} />
          Search all my projects
        </label>
      </div>
      <div className="min-h-0 flex-1 overflow-auto" aria-live="polite">
        {search.isFetching && (
          <p className="flex items-center gap-2 p-3 text-xs text-zinc-500">
            <Loader2 className="size-3.5 animate-spin" aria-hidden /> Searching…
          </p>
        )}
        {search.isError && (
          <div className="p-3">
            <Alert tone="error">{search.error.message}</Alert>
          </div>
        )}
        {search.data && !search.isFetching && (
          <p className="px-3 pt-2 text-xs text-zinc-500">
            {search.data.totalMatches === 0
              ? "No results."
              : `${search.data.totalMatches} matches in ${search.data.results.length} files${search.data.truncated ? " (more not shown: narrow the search)" : ""} · ${Math.round(search.data.tookMs)} ms`}
          </p>
        )}
        <ul className="py-1" data-testid="search-results">
          {search.data?.results.map((result) => {
            const here = result.projectId === projectId;
            const open = (line: number, column: number) =>
              here
                ? openFile(result.path, line, column)
                : router.push(`/projects/${result.projectId}?open=${encodeURIComponent(result.path)}&line=${line}`);
            return (
              <li key={`${result.projectId}:${result.fileId}`} className="py-1">
                <button
                  type="button"
                  className="w-full truncate px-3 text-left text-sm font-medium hover:underline"
                  title={result.path}
                  onClick={() => open(result.matches[0]?.line ?? 1, 1)}
                >
                  {result.path}
                  {!here && <span className="ml-2 text-xs font-normal text-zinc-500">in {result.projectName}</span>}
                </button>
                <ul>
                  {result.matches.map((match) => (
                    <li key={`${match.line}:${match.column}`}>
                      <button
                        type="button"
                        className="flex w-full gap-2 truncate px-3 py-0.5 pl-6 text-left text-zinc-700 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800"
                        onClick={() => open(match.line, match.column)}
                      >
                        <span className="w-8 shrink-0 text-right font-mono text-xs text-zinc-400">{match.line}</span>
                        <Preview text={match.preview} column={match.column} length={match.length} />
                      </button>
                    </li>
                  ))}
                </ul>
              </li>
            );
          })}
        </ul>
      </div>
    </div>
  );
}
