import { TemplatePage } from "~/components/templates/detail/template-page";
import { getSession } from "~/server/auth/session";
import { loadOrNotFound } from "~/trpc/load";
import { getQueryClient, HydrateClient, trpc } from "~/trpc/server";

type Params = { params: Promise<{ templateId: string }> };

export async function generateMetadata({ params }: Params) {
  const { templateId } = await params;
  const template = await getQueryClient()
    .fetchQuery(trpc.template.byId.queryOptions({ templateId }))
    .catch(() => null);
  return { title: template?.name ?? "Template" };
}

/** A template's page, signed in or out: a template the visitor may not see is the app's 404. */
export default async function TemplateIdPage({ params }: Params) {
  const { templateId } = await params;
  const session = await getSession();
  const queryClient = getQueryClient();
  const template = await loadOrNotFound(() => queryClient.fetchQuery(trpc.template.byId.queryOptions({ templateId })));
  await Promise.all([
    queryClient.prefetchQuery(trpc.template.files.queryOptions({ templateId, version: template.version })),
    queryClient.prefetchQuery(trpc.template.reviews.queryOptions({ templateId, order: "newest", page: 1 })),
  ]);
  return (
    <HydrateClient>
      <TemplatePage templateId={template.id} signedIn={session !== null} />
    </HydrateClient>
  );
}
