import { Suspense } from "react";
import { ProjectSettings } from "~/components/projects/settings/project-settings";
import { requireSession } from "~/server/auth/guards";
import { loadOrNotFound } from "~/trpc/load";
import { getQueryClient, HydrateClient, trpc } from "~/trpc/server";

type Params = { params: Promise<{ projectId: string }> };

export const metadata = { title: "Project settings" };

export default async function ProjectSettingsPage({ params }: Params) {
  const { projectId } = await params;
  await requireSession(`/projects/${projectId}/settings`);
  const queryClient = getQueryClient();
  await loadOrNotFound(() => queryClient.fetchQuery(trpc.project.settings.queryOptions({ projectId })));
  return (
    <HydrateClient>
      <Suspense>
        <ProjectSettings projectId={projectId} />
      </Suspense>
    </HydrateClient>
  );
}
