import type { ReactNode } from "react";
import { cn } from "~/lib/cn";

/** One option of a radio group drawn as a card: an icon, a title and a line of detail (the dialogs' "how to start"). */
export function ChoiceCard<T extends string>(props: {
  name: string;
  value: T;
  checked: boolean;
  disabled?: boolean;
  onSelect: (value: T) => void;
  icon: ReactNode;
  title: string;
  detail: string;
}) {
  return (
    <label
      className={cn(
        "flex cursor-pointer items-start gap-2.5 rounded-lg border border-zinc-200 px-3 py-2.5 transition-colors dark:border-zinc-700",
        "hover:bg-zinc-50 dark:hover:bg-zinc-800/60",
        "has-checked:border-brand-500 has-checked:bg-brand-50 dark:has-checked:border-brand-500 dark:has-checked:bg-brand-700/15",
        "has-disabled:cursor-not-allowed has-disabled:opacity-60 has-disabled:hover:bg-transparent",
      )}
    >
      <input
        type="radio"
        name={props.name}
        value={props.value}
        checked={props.checked}
        disabled={props.disabled}
        onChange={() => props.onSelect(props.value)}
        className="mt-0.5 size-4 shrink-0 accent-brand-600"
      />
      <span className="min-w-0">
        <span className="flex items-start gap-1.5 text-sm font-medium text-zinc-900 dark:text-zinc-100">
          <span className="mt-0.5 text-brand-600 dark:text-brand-100" aria-hidden>
            {props.icon}
          </span>
          {/* Wraps rather than truncates: three cards side by side leave a title little room. */}
          <span className="min-w-0">{props.title}</span>
        </span>
        <span className="block text-xs text-zinc-600 dark:text-zinc-400">{props.detail}</span>
      </span>
    </label>
  );
}
