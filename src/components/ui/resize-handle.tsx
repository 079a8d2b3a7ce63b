"use client";

import { useCallback, useEffect, useState, type KeyboardEvent, type PointerEvent } from "react";

/**
 * The width of a side pane, remembered in this browser, with limits. Kept tiny on purpose: a general panel
 * library costs the IDE's first load more than the whole file tree does.
 */
export function usePaneWidth(key: string, initial: number, min: number, max: number) {
  const clamp = useCallback((value: number) => Math.min(max, Math.max(min, Math.round(value))), [min, max]);
  const [width, setWidth] = useState(initial);
  useEffect(() => {
    const stored = Number(localStorage.getItem(`vaporform:pane:${key}`));
    // Restoring a remembered size is reading an external store once, after mount (the server cannot know it).
    // eslint-disable-next-line react-hooks/set-state-in-effect
    if (stored) setWidth(clamp(stored));
  }, [clamp, key]);
  const update = useCallback(
    (value: number) => {
      const next = clamp(value);
      setWidth(next);
      localStorage.setItem(`vaporform:pane:${key}`, String(next));
    },
    [clamp, key],
  );
  return { width, setWidth: update, min, max, initial };
}

/**
 * A vertical separator between two panes: drag it, or focus it and use the arrow keys (Home/End for the limits,
 * double-click or Enter to reset). `direction` says which way a drag to the right moves the pane's edge.
 */
export function ResizeHandle({
  label,
  pane,
  direction,
}: {
  label: string;
  pane: ReturnType<typeof usePaneWidth>;
  /** 1: the pane is on the left (dragging right widens it); -1: it is on the right. */
  direction: 1 | -1;
}) {
  const [dragging, setDragging] = useState(false);

  function onPointerDown(event: PointerEvent<HTMLDivElement>) {
    event.preventDefault();
    const startX = event.clientX;
    const startWidth = pane.width;
    setDragging(true);
    const move = (moveEvent: globalThis.PointerEvent) =>
      pane.setWidth(startWidth + (moveEvent.clientX - startX) * direction);
    const up = () => {
      setDragging(false);
      window.removeEventListener("pointermove", move);
      window.removeEventListener("pointerup", up);
    };
    window.addEventListener("pointermove", move);
    window.addEventListener("pointerup", up);
  }

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const step = event.shiftKey ? 64 : 16;
    const keys: Record<string, number> = {
      ArrowLeft: pane.width - step * direction,
      ArrowRight: pane.width + step * direction,
      Home: pane.min,
      End: pane.max,
      Enter: pane.initial,
    };
    if (event.key in keys) {
      event.preventDefault();
      pane.setWidth(keys[event.key]!);
    }
  }

  return (
    <div
      role="separator"
      aria-orientation="vertical"
      aria-label={label}
      aria-valuenow={pane.width}
      aria-valuemin={pane.min}
      aria-valuemax={pane.max}
      tabIndex={0}
      onPointerDown={onPointerDown}
      onKeyDown={onKeyDown}
      onDoubleClick={() => pane.setWidth(pane.initial)}
      className={`relative w-px shrink-0 cursor-col-resize bg-zinc-200 outline-none after:absolute after:inset-y-0 after:-left-1 after:-right-1 after:content-[''] hover:bg-brand-500 focus-visible:bg-brand-500 dark:bg-zinc-800 ${dragging ? "bg-brand-500" : ""}`}
    />
  );
}
