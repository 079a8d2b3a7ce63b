import { cn } from "~/lib/cn";

const TONES: Record<string, string> = {
  healthy: "bg-emerald-100 text-emerald-900 dark:bg-emerald-900/40 dark:text-emerald-200",
  running: "bg-emerald-100 text-emerald-900 dark:bg-emerald-900/40 dark:text-emerald-200",
  active: "bg-emerald-100 text-emerald-900 dark:bg-emerald-900/40 dark:text-emerald-200",
  degraded: "bg-amber-100 text-amber-900 dark:bg-amber-900/40 dark:text-amber-200",
  creating: "bg-sky-100 text-sky-900 dark:bg-sky-900/40 dark:text-sky-200",
  unhealthy: "bg-red-100 text-red-900 dark:bg-red-900/40 dark:text-red-200",
  error: "bg-red-100 text-red-900 dark:bg-red-900/40 dark:text-red-200",
};

/** A status or health word as stored, coloured when it is one we know (the word itself always carries the meaning). */
export function HealthBadge({ health }: { health: string | null }) {
  const word = health ?? "unknown";
  return (
    <span
      className={cn(
        "inline-block rounded px-1.5 py-0.5 text-xs font-medium",
        TONES[word] ?? "bg-zinc-100 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300",
      )}
    >
      {word}
    </span>
  );
}
