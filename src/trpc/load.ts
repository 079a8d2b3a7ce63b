import "server-only";
import { TRPCError } from "@trpc/server";
import { notFound } from "next/navigation";
import { getQueryClient, trpc } from "~/trpc/server";

/** Runs a server-side query for a page; a NOT_FOUND (including someone else's project) becomes the 404 page. */
export async function loadOrNotFound<T>(load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (error instanceof TRPCError && error.code === "NOT_FOUND") notFound();
    if (error instanceof TRPCError && error.code === "BAD_REQUEST") notFound();
    throw error;
  }
}

/**
 * `generateMetadata` of a page under /projects/<id>: the title made from the project's name, or `fallback` when the
 * project cannot be read (the page itself then answers 404).
 */
export function projectPageMetadata(title: (name: string) => string, fallback: string) {
  return async ({ params }: { params: Promise<{ projectId: string }> }) => {
    const { projectId } = await params;
    const project = await getQueryClient()
      .fetchQuery(trpc.project.get.queryOptions({ projectId }))
      .catch(() => null);
    return { title: project ? title(project.name) : fallback };
  };
}
