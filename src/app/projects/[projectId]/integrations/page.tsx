import Link from "next/link";
import { IntegrationList } from "~/components/projects/integrations";
import { requireSession } from "~/server/auth/guards";
import { loadOrNotFound, projectPageMetadata } from "~/trpc/load";
import { getQueryClient, HydrateClient, trpc } from "~/trpc/server";

type Params = { params: Promise<{ projectId: string }> };

export const generateMetadata = projectPageMetadata((name) => `Integrations · ${name}`, "Integrations");

/** A project's integrations: outbound endpoints it can test, and the signed webhooks it receives. */
export default async function ProjectIntegrationsPage({ params }: Params) {
  const { projectId } = await params;
  await requireSession(`/projects/${projectId}/integrations`);
  const queryClient = getQueryClient();
  const project = await loadOrNotFound(() => queryClient.fetchQuery(trpc.project.get.queryOptions({ projectId })));
  void queryClient.prefetchQuery(trpc.integration.list.queryOptions({ projectId }));
  return (
    <HydrateClient>
      <main className="mx-auto max-w-4xl space-y-6 px-4 py-8">
        <div>
          <Link href={`/projects/${project.id}`} className="text-sm text-brand-700 hover:underline dark:text-brand-100">
            ← Back to {project.name}
          </Link>
          <h1 className="mt-2 text-2xl font-semibold tracking-tight">{project.name}: integrations</h1>
        </div>
        <IntegrationList projectId={project.id} />
      </main>
    </HydrateClient>
  );
}
