import { UpgradeReview } from "~/components/templates/upgrade/upgrade-review";
import { requireSession } from "~/server/auth/guards";
import { loadOrNotFound, projectPageMetadata } from "~/trpc/load";
import { getQueryClient, HydrateClient, trpc } from "~/trpc/server";

type Params = { params: Promise<{ projectId: string }> };

export const generateMetadata = projectPageMetadata((name) => `Upgrade ${name}`, "Upgrade");

/** The review of a template upgrade; the merge itself is computed on the client's request (it can be large). */
export default async function ProjectUpgradePage({ params }: Params) {
  const { projectId } = await params;
  const session = await requireSession(`/projects/${projectId}/upgrade`);
  const project = await loadOrNotFound(() => getQueryClient().fetchQuery(trpc.project.get.queryOptions({ projectId })));
  return (
    <HydrateClient>
      <UpgradeReview projectId={project.id} preferences={session.user.preferences} />
    </HydrateClient>
  );
}
