"use client";

import { useQuery } from "@tanstack/react-query";
import { ChevronLeft, Lock, Users } from "lucide-react";
import Link from "next/link";
import { StarsDisplay } from "~/components/templates/stars";
import { TemplateBadges } from "~/components/templates/template-badges";
import { Card } from "~/components/ui/card";
import { timeAgo } from "~/lib/format";
import { TEMPLATE_CATEGORIES, TEMPLATE_CATEGORY_LABELS } from "~/lib/schemas/template";
import type { RouterOutputs } from "~/server/api/root";
import { useTRPC } from "~/trpc/react";
import { AdminControls, AuthorControls } from "./author-controls";
import { RatingForm } from "./rating-form";
import { RatingSummary } from "./rating-summary";
import { TemplateFiles } from "./template-files";
import { TemplateReviews } from "./template-reviews";
import { TemplateVersions } from "./template-versions";
import { UseTemplateButton } from "./use-template-dialog";

export type TemplateDetail = RouterOutputs["template"]["byId"];

export function categoryLabel(category: string | null): string {
  if (!category) return "Uncategorised";
  return (TEMPLATE_CATEGORIES as readonly string[]).includes(category)
    ? TEMPLATE_CATEGORY_LABELS[category as (typeof TEMPLATE_CATEGORIES)[number]]
    : category;
}

/** A date as "3 days ago", with the exact date on hover (the relative text differs between server and browser). */
export function RelativeDate({ date, prefix }: { date: Date; prefix?: string }) {
  return (
    <time dateTime={date.toISOString()} title={date.toLocaleString("en-US")} suppressHydrationWarning>
      {prefix}
      {timeAgo(date)}
    </time>
  );
}

/** When the template last changed: its newest version, or an edit of its details after that. */
function lastUpdate(template: TemplateDetail): Date {
  const dates = [template.versions[0]?.createdAt, template.updatedAt, template.createdAt].filter(
    (date): date is Date => date instanceof Date,
  );
  return dates.reduce((latest, date) => (date > latest ? date : latest), dates[0] ?? new Date(0));
}

function Chips({ label, items, tone }: { label: string; items: string[]; tone: "tag" | "stack" }) {
  if (items.length === 0) return null;
  return (
    <div className="flex flex-wrap items-center gap-1.5">
      <h3 className="mr-1 text-xs font-medium tracking-wide text-zinc-500 uppercase dark:text-zinc-400">{label}</h3>
      <ul className="flex flex-wrap gap-1.5" aria-label={label}>
        {items.map((item) => (
          <li
            key={item}
            className={
              tone === "tag"
                ? "rounded-full bg-zinc-100 px-2 py-0.5 text-xs text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300"
                : "rounded-md border border-zinc-200 px-2 py-0.5 font-mono text-xs text-zinc-700 dark:border-zinc-700 dark:text-zinc-300"
            }
          >
            {tone === "tag" ? `#${item}` : item}
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * A template's page: what it is and who made it, its files with a preview, every version's changelog, the
 * ratings and reviews, and the actions the visitor may take (use, rate, edit, delete, feature).
 */
export function TemplatePage({ templateId, signedIn }: { templateId: string; signedIn: boolean }) {
  const trpc = useTRPC();
  const { data: template } = useQuery(trpc.template.byId.queryOptions({ templateId }));
  if (!template) return null;
  const { viewer } = template;
  return (
    <div className="mx-auto max-w-6xl space-y-6 px-4 py-8">
      <Link
        href="/templates"
        className="inline-flex items-center gap-1 text-sm text-zinc-600 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-zinc-100"
      >
        <ChevronLeft className="size-4" aria-hidden /> All templates
      </Link>

      <header className="flex flex-col gap-4 md:flex-row md:items-start md:justify-between">
        <div className="min-w-0 space-y-2">
          <div className="flex flex-wrap items-center gap-2">
            <h1 className="text-2xl font-semibold tracking-tight break-words">{template.name}</h1>
            <TemplateBadges isOfficial={template.isOfficial} isFeatured={template.isFeatured} />
            {!template.isPublic && (
              <span className="inline-flex items-center gap-1 rounded-full bg-zinc-100 px-2 py-0.5 text-xs font-medium text-zinc-700 ring-1 ring-zinc-200 dark:bg-zinc-800 dark:text-zinc-300 dark:ring-zinc-700">
                <Lock className="size-3.5" aria-hidden /> Private
              </span>
            )}
          </div>
          <p className="flex flex-wrap items-center gap-x-3 gap-y-1 text-sm text-zinc-600 dark:text-zinc-400">
            <span>
              by{" "}
              <span className="font-medium text-zinc-800 dark:text-zinc-200">{template.authorName ?? "Vaporform"}</span>
            </span>
            <span aria-hidden>·</span>
            <span>{categoryLabel(template.category)}</span>
            <span aria-hidden>·</span>
            <span data-testid="template-version">Version {template.version}</span>
            <span aria-hidden>·</span>
            <RelativeDate date={lastUpdate(template)} prefix="updated " />
            <span aria-hidden>·</span>
            <span className="inline-flex items-center gap-1" data-testid="template-usage">
              <Users className="size-3.5" aria-hidden />
              {template.usageCount.toLocaleString("en-US")} {template.usageCount === 1 ? "project" : "projects"}
            </span>
          </p>
          <StarsDisplay average={template.ratingAverage} count={template.ratingCount} size="md" />
        </div>
        <div className="flex shrink-0 flex-wrap items-center gap-2">
          <UseTemplateButton template={template} signedIn={signedIn} />
          {(viewer.isAuthor || viewer.isAdmin) && <AuthorControls template={template} />}
        </div>
      </header>
      {viewer.isAdmin && <AdminControls template={template} />}

      <Card className="space-y-4">
        <h2 className="sr-only">About this template</h2>
        <p className="text-sm leading-relaxed whitespace-pre-line text-zinc-800 dark:text-zinc-200">
          {template.description}
        </p>
        <Chips label="Tags" items={template.tags} tone="tag" />
        <Chips label="Tech stack" items={template.techStack} tone="stack" />
      </Card>

      <TemplateFiles templateId={template.id} version={template.version} />

      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_minmax(0,1.4fr)]">
        <Card className="space-y-6">
          <section aria-labelledby="ratings-heading" className="space-y-4">
            <h2 id="ratings-heading" className="text-lg font-semibold tracking-tight">
              Ratings
            </h2>
            <RatingSummary
              average={template.ratingAverage}
              count={template.ratingCount}
              histogram={template.ratingHistogram}
            />
          </section>
          <RatingForm template={template} signedIn={signedIn} />
        </Card>
        <TemplateReviews templateId={template.id} signedIn={signedIn} isAdmin={viewer.isAdmin} />
      </div>

      <TemplateVersions versions={template.versions} current={template.version} />
    </div>
  );
}
