import { Suspense } from "react";
import { GallerySkeleton } from "~/components/templates/gallery/gallery-states";
import { TemplateGallery } from "~/components/templates/gallery/template-gallery";
import { parseGalleryParams, toFacetsInput, toListInput } from "~/lib/template-gallery";
import { getSession } from "~/server/auth/session";
import { getQueryClient, HydrateClient, trpc } from "~/trpc/server";

export const metadata = { title: "Templates" };

/**
 * The template gallery, signed in or out. The list for this very URL and the facets are prefetched, so the cards
 * are in the server's HTML (and a shared link shows its search at once).
 */
export default async function TemplatesPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const [session, params] = await Promise.all([getSession(), searchParams]);
  const filters = parseGalleryParams(params, { signedIn: session !== null });
  const queryClient = getQueryClient();
  await Promise.all([
    queryClient.prefetchQuery(trpc.template.list.queryOptions(toListInput(filters))),
    queryClient.prefetchQuery(trpc.template.facets.queryOptions(toFacetsInput(filters))),
  ]);
  return (
    <HydrateClient>
      <div className="mx-auto max-w-6xl space-y-6 px-4 py-10">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Templates</h1>
          <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
            Start a project from something that already works, rated by the people who used it.
          </p>
        </div>
        <Suspense fallback={<GallerySkeleton />}>
          <TemplateGallery signedIn={session !== null} />
        </Suspense>
      </div>
    </HydrateClient>
  );
}
