"use client";

import { CheckCircle2, Info, X } from "lucide-react";
import { useEffect, useSyncExternalStore } from "react";
import { cn } from "~/lib/cn";

interface Toast {
  id: number;
  message: string;
  tone: "success" | "info";
}

/** How long a toast stays unless dismissed first. */
const TOAST_MS = 8000;

let toasts: readonly Toast[] = [];
let nextId = 1;
const listeners = new Set<() => void>();

function publish(next: readonly Toast[]) {
  toasts = next;
  for (const listener of listeners) listener();
}

function dismiss(id: number) {
  publish(toasts.filter((toast) => toast.id !== id));
}

/**
 * Shows a short message in the corner of the page, announced to screen readers; it outlives a client-side
 * navigation (the Toaster is in the root layout), so an action can report its result on the page it leads to.
 */
export function toast(message: string, tone: Toast["tone"] = "success") {
  publish([...toasts.slice(-2), { id: nextId++, message, tone }]);
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const none: readonly Toast[] = [];

function ToastItem({ item }: { item: Toast }) {
  useEffect(() => {
    const timer = setTimeout(() => dismiss(item.id), TOAST_MS);
    return () => clearTimeout(timer);
  }, [item.id]);
  const Icon = item.tone === "success" ? CheckCircle2 : Info;
  return (
    <li
      data-testid="toast"
      className={cn(
        "pointer-events-auto flex items-start gap-2 rounded-lg border p-3 text-sm shadow-lg",
        item.tone === "success"
          ? "border-emerald-200 bg-emerald-50 text-emerald-900 dark:border-emerald-900 dark:bg-emerald-950 dark:text-emerald-100"
          : "border-zinc-200 bg-white text-zinc-900 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100",
      )}
    >
      <Icon className="mt-0.5 size-4 shrink-0" aria-hidden />
      <p className="min-w-0 flex-1">{item.message}</p>
      <button
        type="button"
        onClick={() => dismiss(item.id)}
        aria-label="Dismiss"
        className="-m-1 rounded p-1 opacity-70 hover:opacity-100 focus-visible:outline-2 focus-visible:outline-brand-500"
      >
        <X className="size-3.5" aria-hidden />
      </button>
    </li>
  );
}

/** Where toasts appear: one polite live region, bottom right, above the footers of full-height pages (their actions). */
export function Toaster() {
  const items = useSyncExternalStore(
    subscribe,
    () => toasts,
    () => none,
  );
  return (
    <ol
      aria-live="polite"
      aria-label="Notifications"
      className="pointer-events-none fixed bottom-16 right-4 z-[60] flex w-[min(24rem,calc(100vw-2rem))] flex-col gap-2"
    >
      {items.map((item) => (
        <ToastItem key={item.id} item={item} />
      ))}
    </ol>
  );
}
