import Link from "next/link";
import { ProjectDashboard } from "~/components/projects/dashboard/project-dashboard";
import { requireSession } from "~/server/auth/guards";
import { loadOrNotFound, projectPageMetadata } from "~/trpc/load";
import { getQueryClient, HydrateClient, trpc } from "~/trpc/server";

type Params = { params: Promise<{ projectId: string }> };

export const generateMetadata = projectPageMetadata((name) => `Dashboard · ${name}`, "Dashboard");

/** A project's dashboard: what it holds, what happened in it, what it runs on and what its AI turns cost. */
export default async function ProjectDashboardPage({ params }: Params) {
  const { projectId } = await params;
  const session = await requireSession(`/projects/${projectId}/dashboard`);
  const queryClient = getQueryClient();
  const project = await loadOrNotFound(() => queryClient.fetchQuery(trpc.project.get.queryOptions({ projectId })));
  await queryClient.prefetchQuery(trpc.project.dashboard.queryOptions({ projectId: project.id }));
  void queryClient.prefetchQuery(trpc.usage.mine.queryOptions({ projectId: project.id, months: 12 }));
  return (
    <HydrateClient>
      <main className="mx-auto max-w-6xl space-y-6 px-4 py-8">
        <div>
          <Link href={`/projects/${project.id}`} className="text-sm text-brand-700 hover:underline dark:text-brand-100">
            ← Back to the editor
          </Link>
          <h1 className="mt-2 text-2xl font-semibold tracking-tight">{project.name}: dashboard</h1>
        </div>
        <ProjectDashboard projectId={project.id} preferences={session.user.preferences} />
      </main>
    </HydrateClient>
  );
}
