import { BadgeCheck, Sparkles } from "lucide-react";

/** The official and featured badges of a template (nothing when it has neither). */
export function TemplateBadges({ isOfficial, isFeatured }: { isOfficial: boolean; isFeatured: boolean }) {
  if (!isOfficial && !isFeatured) return null;
  return (
    <span className="inline-flex flex-wrap gap-1.5">
      {isOfficial && (
        <span className="inline-flex items-center gap-1 rounded-full bg-brand-50 px-2 py-0.5 text-xs font-medium text-brand-700 ring-1 ring-brand-200 dark:bg-brand-700/20 dark:text-brand-100 dark:ring-brand-700/50">
          <BadgeCheck className="size-3.5" aria-hidden /> Official
        </span>
      )}
      {isFeatured && (
        <span className="inline-flex items-center gap-1 rounded-full bg-amber-50 px-2 py-0.5 text-xs font-medium text-amber-800 ring-1 ring-amber-200 dark:bg-amber-500/15 dark:text-amber-200 dark:ring-amber-500/40">
          <Sparkles className="size-3.5" aria-hidden /> Featured
        </span>
      )}
    </span>
  );
}
