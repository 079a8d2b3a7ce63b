import { Bot, FileCode2, History, LineChart } from "lucide-react";
import Link from "next/link";
import { Button } from "~/components/ui/button";
import { getSession } from "~/server/auth/session";
import { TemplateCount } from "~/components/home/template-count";
import { getQueryClient, HydrateClient, trpc } from "~/trpc/server";

// Always fresh: the count changes as templates are published.
export const dynamic = "force-dynamic";

const features = [
  {
    icon: FileCode2,
    title: "A real editor",
    text: "Monaco in the browser: file tree, tabs, search, and saves that never overwrite someone else's work.",
  },
  {
    icon: History,
    title: "Every version kept",
    text: "Full history of every file, whoever changed it, with diff and one-click restore.",
  },
  {
    icon: Bot,
    title: "Claude on your files",
    text: "Ask for changes from the chat panel; every interaction, token and cent is recorded.",
  },
  {
    icon: LineChart,
    title: "Know what it costs",
    text: "Per-project dashboards and install-wide usage by day, model, user and project.",
  },
];

export default async function HomePage() {
  const [session] = await Promise.all([
    getSession(),
    getQueryClient().prefetchQuery(trpc.template.countPublic.queryOptions()),
  ]);
  return (
    <HydrateClient>
      <div className="mx-auto max-w-6xl px-4 py-16">
        <section className="grid items-center gap-10 md:grid-cols-[1.4fr_1fr]">
          <div>
            <h1 className="text-4xl font-semibold tracking-tight sm:text-5xl">
              Build with Claude, in your browser, on your own server.
            </h1>
            <p className="mt-4 max-w-xl text-lg text-zinc-600 dark:text-zinc-400">
              Vaporform is a self-hostable AI development platform: start from a template, edit every file in a real
              IDE, let Claude do the heavy lifting, and keep every byte in your own PostgreSQL.
            </p>
            <div className="mt-6 flex gap-3">
              {session ? (
                <Button asChild size="lg">
                  <Link href="/projects">Open your projects</Link>
                </Button>
              ) : (
                <>
                  <Button asChild size="lg">
                    <Link href="/sign-up">Create an account</Link>
                  </Button>
                  <Button asChild size="lg" variant="secondary">
                    <Link href="/sign-in">Sign in</Link>
                  </Button>
                </>
              )}
            </div>
          </div>
          <TemplateCount />
        </section>
        <section aria-labelledby="features" className="mt-16">
          <h2 id="features" className="sr-only">
            Features
          </h2>
          <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
            {features.map(({ icon: Icon, title, text }) => (
              <li key={title} className="rounded-xl border border-zinc-200 p-5 dark:border-zinc-800">
                <Icon className="size-5 text-brand-600 dark:text-brand-400" aria-hidden />
                <h3 className="mt-3 font-medium">{title}</h3>
                <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">{text}</p>
              </li>
            ))}
          </ul>
        </section>
      </div>
    </HydrateClient>
  );
}
