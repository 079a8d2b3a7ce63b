import { Layers, Lock, Users } from "lucide-react";
import Link from "next/link";
import { StarsDisplay } from "~/components/templates/stars";
import { TemplateBadges } from "~/components/templates/template-badges";
import { TEMPLATE_CATEGORY_LABELS } from "~/lib/schemas/template";
import type { RouterOutputs } from "~/server/api/root";

export type GalleryTemplate = RouterOutputs["template"]["list"]["templates"][number];

function categoryLabel(category: string): string {
  return TEMPLATE_CATEGORY_LABELS[category as keyof typeof TEMPLATE_CATEGORY_LABELS] ?? category;
}

export function usedTimes(count: number): string {
  if (count === 0) return "not used yet";
  return `used ${count.toLocaleString("en-US")} ${count === 1 ? "time" : "times"}`;
}

/**
 * One template in the gallery. The name is the link to its page (where "Use this template" is); it stretches over
 * the whole card, so anywhere on it opens the page while screen readers hear one link named after the template.
 */
export function TemplateCard({ template }: { template: GalleryTemplate }) {
  return (
    <article
      data-testid="template-card"
      className="relative flex h-full flex-col rounded-xl border border-zinc-200 bg-white p-5 transition-colors focus-within:border-brand-500 focus-within:ring-2 focus-within:ring-brand-500/30 hover:border-brand-400 hover:bg-zinc-50 dark:border-zinc-800 dark:bg-zinc-950 dark:hover:bg-zinc-900"
    >
      <div className="flex flex-wrap items-center justify-between gap-2">
        <span className="text-xs font-medium uppercase tracking-wide text-zinc-500 dark:text-zinc-400">
          {categoryLabel(template.category)}
        </span>
        <span className="inline-flex flex-wrap gap-1.5">
          {!template.isPublic && (
            <span className="inline-flex items-center gap-1 rounded-full bg-zinc-100 px-2 py-0.5 text-xs font-medium text-zinc-700 ring-1 ring-zinc-200 dark:bg-zinc-800 dark:text-zinc-300 dark:ring-zinc-700">
              <Lock className="size-3" aria-hidden /> Private
            </span>
          )}
          <TemplateBadges isOfficial={template.isOfficial} isFeatured={template.isFeatured} />
        </span>
      </div>
      <h2 className="mt-2 text-base font-semibold tracking-tight">
        <Link
          href={`/templates/${template.id}`}
          className="rounded-sm after:absolute after:inset-0 after:rounded-xl focus-visible:outline-none"
        >
          {template.name}
        </Link>
      </h2>
      <p className="mt-1 line-clamp-3 text-sm text-zinc-600 dark:text-zinc-400">{template.description}</p>

      {template.techStack.length > 0 && (
        <p className="mt-3 flex items-start gap-1.5 text-xs text-zinc-600 dark:text-zinc-400">
          <Layers className="mt-px size-3.5 shrink-0 text-zinc-400" aria-hidden />
          <span>
            <span className="sr-only">Tech stack: </span>
            {template.techStack.join(" · ")}
          </span>
        </p>
      )}
      {template.tags.length > 0 && (
        <ul aria-label="Tags" className="mt-3 flex flex-wrap gap-1.5">
          {template.tags.map((tag) => (
            <li
              key={tag}
              className="rounded-md bg-zinc-100 px-1.5 py-0.5 font-mono text-[11px] text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300"
            >
              {tag}
            </li>
          ))}
        </ul>
      )}

      <div className="mt-auto space-y-1.5 pt-4">
        <div className="flex flex-wrap items-center justify-between gap-x-3 gap-y-1">
          <StarsDisplay average={template.ratingAverage} count={template.ratingCount} />
          <span className="inline-flex items-center gap-1 text-xs text-zinc-600 tabular-nums dark:text-zinc-400">
            <Users className="size-3.5 text-zinc-400" aria-hidden />
            {usedTimes(template.usageCount)}
          </span>
        </div>
        <p className="truncate text-xs text-zinc-500 dark:text-zinc-500">
          {template.authorName && `by ${template.authorName} · `}v{template.version}
        </p>
      </div>
    </article>
  );
}
