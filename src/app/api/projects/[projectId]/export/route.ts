import { authorizeProjectRoute } from "~/server/api/project-route";
import { exportProjectZip } from "~/server/services/files";

/**
 * Downloads a project as a zip: its owner only (anyone else gets 404, as for the project itself). The archive is
 * streamed as it is written (chunked), so neither the server nor the browser waits for all of it.
 */
export async function GET(request: Request, { params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  const route = await authorizeProjectRoute(request, projectId, { write: false });
  if (route instanceof Response) return route;
  const zip = await exportProjectZip({
    db: route.ctx.db,
    projectId: route.project.id,
    userId: route.ctx.session.user.id,
  });
  const fileName = `${route.project.name.replace(/[^\w.-]+/g, "-").replace(/^-+|-+$/g, "") || "project"}.zip`;
  return new Response(zip, {
    headers: {
      "content-type": "application/zip",
      "content-disposition": `attachment; filename="${fileName}"`,
      "cache-control": "no-store",
    },
  });
}
