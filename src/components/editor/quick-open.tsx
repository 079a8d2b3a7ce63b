"use client";

import * as Dialog from "@radix-ui/react-dialog";
import { File } from "lucide-react";
import { useState, type KeyboardEvent } from "react";
import { cn } from "~/lib/cn";
import { fuzzyFilter } from "~/lib/fuzzy";
import { useIdeActions, useIdeState } from "./ide-provider";

/** Highlights the characters the fuzzy match used. */
function Highlighted({ text, positions }: { text: string; positions: number[] }) {
  const marks = new Set(positions);
  return (
    <span>
      {[...text].map((char, index) =>
        marks.has(index) ? (
          <mark key={index} className="bg-transparent font-semibold text-brand-600 dark:text-brand-400">
            {char}
          </mark>
        ) : (
          char
        ),
      )}
    </span>
  );
}

/** Ctrl/Cmd+P: open a file by typing part of its name; `name:42` jumps to line 42. */
export function QuickOpen() {
  const { setQuickOpen, openFile } = useIdeActions();
  const { paths, quickOpen } = useIdeState();
  const [query, setQuery] = useState("");
  const [index, setIndex] = useState(0);
  const [, name = query, line] = /^(.*?)(?::(\d+))?$/.exec(query) ?? [];
  const matches = fuzzyFilter(name ?? "", paths, 50);

  function choose(position: number) {
    const match = matches[position];
    if (!match) return;
    openFile(match.path, line ? Number(line) : undefined);
    setQuickOpen(false);
    setQuery("");
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === "ArrowDown") {
      event.preventDefault();
      setIndex((current) => Math.min(matches.length - 1, current + 1));
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      setIndex((current) => Math.max(0, current - 1));
    } else if (event.key === "Enter") {
      event.preventDefault();
      choose(index);
    }
  }

  return (
    <Dialog.Root open={quickOpen} onOpenChange={(open) => (setQuickOpen(open), setQuery(""), setIndex(0))}>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-black/30" />
        <Dialog.Content className="fixed left-1/2 top-20 z-50 w-[min(40rem,calc(100vw-2rem))] -translate-x-1/2 overflow-hidden rounded-xl border border-zinc-200 bg-white shadow-2xl dark:border-zinc-800 dark:bg-zinc-900">
          <Dialog.Title className="sr-only">Go to file</Dialog.Title>
          <Dialog.Description className="sr-only">
            Type part of a file name; add :line to jump to a line.
          </Dialog.Description>
          <input
            autoFocus
            role="combobox"
            aria-expanded
            aria-controls="quick-open-list"
            aria-activedescendant={matches[index] ? `quick-open-${index}` : undefined}
            aria-label="File name"
            placeholder="Go to file (name:line jumps to a line)"
            className="w-full border-b border-zinc-200 bg-transparent px-4 py-3 text-sm outline-none dark:border-zinc-800"
            value={query}
            onChange={(event) => (setQuery(event.target.value), setIndex(0))}
            onKeyDown={onKeyDown}
          />
          <ul id="quick-open-list" role="listbox" aria-label="Files" className="max-h-80 overflow-auto py-1">
            {matches.length === 0 && <li className="px-4 py-3 text-sm text-zinc-500">No file matches.</li>}
            {matches.map((match, position) => (
              <li
                key={match.path}
                id={`quick-open-${position}`}
                role="option"
                aria-selected={position === index}
                onMouseEnter={() => setIndex(position)}
                onClick={() => choose(position)}
                className={cn(
                  "flex cursor-pointer items-center gap-2 px-4 py-1.5 text-sm",
                  position === index && "bg-brand-50 dark:bg-brand-700/20",
                )}
              >
                <File className="size-4 shrink-0 text-zinc-400" aria-hidden />
                <Highlighted text={match.path} positions={match.positions} />
              </li>
            ))}
          </ul>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
