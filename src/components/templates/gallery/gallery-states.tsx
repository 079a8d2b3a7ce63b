import { LayoutTemplate, SearchX, Upload } from "lucide-react";
import Link from "next/link";
import type { ReactNode } from "react";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";

/** Grey cards in the shape of the real ones, while the first page loads. */
export function CardsSkeleton({ count = 6 }: { count?: number }) {
  return (
    <ul aria-hidden className="grid gap-4 sm:grid-cols-2 xl:grid-cols-3">
      {Array.from({ length: count }, (_, i) => (
        <li key={i} className="h-64 rounded-xl border border-zinc-200 p-5 dark:border-zinc-800">
          <div className="h-3 w-16 animate-pulse rounded bg-zinc-200 dark:bg-zinc-800" />
          <div className="mt-3 h-5 w-2/3 animate-pulse rounded bg-zinc-200 dark:bg-zinc-800" />
          <div className="mt-3 h-3 w-full animate-pulse rounded bg-zinc-100 dark:bg-zinc-900" />
          <div className="mt-2 h-3 w-5/6 animate-pulse rounded bg-zinc-100 dark:bg-zinc-900" />
          <div className="mt-5 flex gap-1.5">
            {[12, 16, 10].map((width) => (
              <div
                key={width}
                style={{ width: `${width * 4}px` }}
                className="h-4 animate-pulse rounded bg-zinc-100 dark:bg-zinc-900"
              />
            ))}
          </div>
          <div className="mt-10 h-3 w-1/2 animate-pulse rounded bg-zinc-100 dark:bg-zinc-900" />
        </li>
      ))}
    </ul>
  );
}

/** The whole gallery's shape, for the moment before the client gallery mounts. */
export function GallerySkeleton() {
  return (
    <div className="space-y-6" aria-busy="true" aria-label="Loading templates">
      <div className="h-16 animate-pulse rounded-lg bg-zinc-100 dark:bg-zinc-900" />
      <div className="grid gap-8 lg:grid-cols-[15rem_minmax(0,1fr)]">
        <div className="hidden h-96 animate-pulse rounded-lg bg-zinc-100 lg:block dark:bg-zinc-900" />
        <CardsSkeleton />
      </div>
    </div>
  );
}

function EmptyState({ icon, title, children }: { icon: ReactNode; title: string; children: ReactNode }) {
  return (
    <div
      data-testid="gallery-empty"
      className="flex flex-col items-center rounded-xl border border-dashed border-zinc-300 px-6 py-12 text-center dark:border-zinc-700"
    >
      {icon}
      <p className="mt-3 font-medium">{title}</p>
      <div className="mt-1 max-w-md space-y-4 text-sm text-zinc-600 dark:text-zinc-400">{children}</div>
    </div>
  );
}

const iconClasses = "size-8 text-zinc-400";

/** Filters that match nothing: which ones, and the way out. */
export function NoMatches({ description, onClear }: { description: string; onClear(): void }) {
  return (
    <EmptyState icon={<SearchX className={iconClasses} aria-hidden />} title="No templates match">
      <p>No templates {description}. Try fewer tags, another category or a shorter search.</p>
      <Button variant="secondary" size="sm" onClick={onClear}>
        Clear filters
      </Button>
    </EmptyState>
  );
}

/** A page past the last one (an old link, or templates deleted since). */
export function PastTheEnd({ page, onFirstPage }: { page: number; onFirstPage(): void }) {
  return (
    <EmptyState icon={<SearchX className={iconClasses} aria-hidden />} title={`There is no page ${page}`}>
      <p>These filters have fewer pages now.</p>
      <Button variant="secondary" size="sm" onClick={onFirstPage}>
        Go to the first page
      </Button>
    </EmptyState>
  );
}

/** "My templates" with none yet: how to publish one. */
export function NoTemplatesOfMine() {
  return (
    <EmptyState icon={<Upload className={iconClasses} aria-hidden />} title="You have not published a template yet">
      <p>
        Open one of your projects and choose <strong className="font-medium">Publish as template</strong> from its menu.
        Your templates show here, private ones too (only you see those).
      </p>
      <Button asChild variant="secondary" size="sm">
        <Link href="/projects">Go to your projects</Link>
      </Button>
    </EmptyState>
  );
}

/** An install where nobody has published a public template yet. */
export function NoTemplatesAtAll({ signedIn }: { signedIn: boolean }) {
  return (
    <EmptyState icon={<LayoutTemplate className={iconClasses} aria-hidden />} title="No templates yet">
      <p>
        Nobody has published a public template here yet.{" "}
        {signedIn
          ? "Publish one of your projects from its menu (Publish as template) and it will be the first."
          : "Sign in and publish one of your projects from its menu (Publish as template)."}
      </p>
    </EmptyState>
  );
}

/** The list could not be loaded: the reason, and a retry. */
export function GalleryError({ message, onRetry, retrying }: { message: string; onRetry(): void; retrying: boolean }) {
  return (
    <Alert tone="error">
      <p>The templates could not be loaded: {message}</p>
      <Button variant="secondary" size="sm" className="mt-2" onClick={onRetry} pending={retrying}>
        Try again
      </Button>
    </Alert>
  );
}
