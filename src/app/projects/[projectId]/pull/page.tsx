import { PullReview } from "~/components/git/pull-review";
import { requireSession } from "~/server/auth/guards";
import { loadOrNotFound, projectPageMetadata } from "~/trpc/load";
import { getQueryClient, HydrateClient, trpc } from "~/trpc/server";

type Params = { params: Promise<{ projectId: string }> };

export const generateMetadata = projectPageMetadata((name) => `Pull into ${name}`, "Pull");

/** The review of a pull from the project's Git remote; the fetch and merge run on the client's request (they take a while). */
export default async function ProjectPullPage({ params }: Params) {
  const { projectId } = await params;
  const session = await requireSession(`/projects/${projectId}/pull`);
  const project = await loadOrNotFound(() => getQueryClient().fetchQuery(trpc.project.get.queryOptions({ projectId })));
  return (
    <HydrateClient>
      <PullReview projectId={project.id} preferences={session.user.preferences} />
    </HydrateClient>
  );
}
