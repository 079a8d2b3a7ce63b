import { Suspense } from "react";
import { NewProjectDialog } from "~/components/projects/new-project-dialog";
import { ProjectList } from "~/components/projects/project-list";
import { projectFilters } from "~/lib/project-filters";
import { requireSession } from "~/server/auth/guards";
import { getQueryClient, HydrateClient, trpc } from "~/trpc/server";

export const metadata = { title: "Projects" };

export default async function ProjectsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  await requireSession("/projects");
  const params = await searchParams;
  const template = params.template;
  await getQueryClient().prefetchInfiniteQuery(
    trpc.project.list.infiniteQueryOptions(projectFilters({ get: (name) => params[name] ?? null }), {
      getNextPageParam: (page) => page.nextCursor ?? undefined,
    }),
  );
  return (
    <HydrateClient>
      <div className="mx-auto max-w-6xl space-y-6 px-4 py-10">
        <div className="flex flex-wrap items-center justify-between gap-4">
          <div>
            <h1 className="text-2xl font-semibold tracking-tight">Projects</h1>
            <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
              Everything you are building, with its full history.
            </p>
          </div>
          <NewProjectDialog initialTemplateId={template} />
        </div>
        <Suspense>
          <ProjectList />
        </Suspense>
      </div>
    </HydrateClient>
  );
}
