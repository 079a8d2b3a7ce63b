"use client";

import { X } from "lucide-react";
import { cn } from "~/lib/cn";
import { baseName } from "~/lib/paths";
import { useIdeActions, useIdeState, useUnsaved } from "./ide-provider";

/** Open files; a dot marks unsaved changes. Middle-click or × closes (asking first when there are unsaved changes). */
export function EditorTabs({ onClose }: { onClose(path: string): void }) {
  const { dispatch } = useIdeActions();
  const { state } = useIdeState();
  const unsaved = useUnsaved();
  if (state.tabs.length === 0) return null;
  return (
    <div
      role="tablist"
      aria-label="Open files"
      className="flex overflow-x-auto border-b border-zinc-200 bg-zinc-50 dark:border-zinc-800 dark:bg-zinc-900/60"
    >
      {state.tabs.map((path) => {
        const active = path === state.active;
        const dirty = unsaved.has(path);
        return (
          <div
            key={path}
            className={cn(
              "group flex shrink-0 items-center border-r border-zinc-200 text-sm dark:border-zinc-800",
              active
                ? "bg-white text-zinc-900 dark:bg-zinc-950 dark:text-zinc-100"
                : "text-zinc-600 hover:bg-zinc-100 dark:text-zinc-400 dark:hover:bg-zinc-800/60",
            )}
            onAuxClick={(event) => event.button === 1 && onClose(path)}
          >
            <button
              type="button"
              role="tab"
              aria-selected={active}
              title={path}
              data-testid={`tab-${path}`}
              className="flex items-center gap-2 py-2 pl-3 pr-1 outline-none focus-visible:ring-2 focus-visible:ring-inset focus-visible:ring-brand-500"
              onClick={() => dispatch({ type: "activate", path })}
            >
              {baseName(path)}
              {dirty && (
                <span
                  className="size-2 rounded-full bg-amber-500"
                  role="img"
                  aria-label="unsaved changes"
                  data-testid="unsaved-marker"
                />
              )}
            </button>
            <button
              type="button"
              aria-label={`Close ${baseName(path)}`}
              className="mr-1 rounded p-0.5 opacity-60 hover:bg-zinc-200 hover:opacity-100 dark:hover:bg-zinc-700"
              onClick={() => onClose(path)}
            >
              <X className="size-3.5" aria-hidden />
            </button>
          </div>
        );
      })}
    </div>
  );
}
