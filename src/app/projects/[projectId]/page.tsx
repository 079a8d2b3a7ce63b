import { Suspense } from "react";
import { Ide } from "~/components/editor/ide";
import { requireSession } from "~/server/auth/guards";
import { loadOrNotFound, projectPageMetadata } from "~/trpc/load";
import { getQueryClient, HydrateClient, trpc } from "~/trpc/server";

type Params = { params: Promise<{ projectId: string }> };

export const generateMetadata = projectPageMetadata((name) => name, "Project");

export default async function ProjectIdePage({ params }: Params) {
  const { projectId } = await params;
  const session = await requireSession(`/projects/${projectId}`);
  const queryClient = getQueryClient();
  const project = await loadOrNotFound(() => queryClient.fetchQuery(trpc.project.get.queryOptions({ projectId })));
  await queryClient.prefetchQuery(trpc.file.list.queryOptions({ projectId }));
  return (
    <HydrateClient>
      <Suspense>
        <Ide projectId={project.id} projectName={project.name} preferences={session.user.preferences} />
      </Suspense>
    </HydrateClient>
  );
}
