import { ZExportActivityQuery } from "~/lib/schemas/activity";
import { authorizeProjectRoute } from "~/server/api/project-route";
import { activityCsv } from "~/server/services/activity";

/**
 * The dashboard's CSV download: a project's activity log with the timeline's filters (query string: types, source,
 * userId, from, to, filePath), streamed in keyset batches and bounded (MAX_ACTIVITY_EXPORT_ROWS). A route beside
 * the `activity.export` procedure (same writer, `activityCsv`, but a lower bound held in memory) so the browser
 * downloads a large log as a file while it is still being read. Owner only: no session answers 401, anyone else's
 * project 404, bad filters 400.
 */
export async function GET(request: Request, { params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  const query = ZExportActivityQuery.safeParse({ ...Object.fromEntries(new URL(request.url).searchParams), projectId });
  if (!query.success) {
    return Response.json({ error: query.error.issues[0]?.message ?? "Choose valid filters." }, { status: 400 });
  }
  const route = await authorizeProjectRoute(request, query.data.projectId, { write: false });
  if (route instanceof Response) return route;
  // Its summary (rows, truncated) is for `activity.export`: the file says so itself in its last line.
  const chunks: AsyncGenerator<string, unknown> = activityCsv({
    db: route.ctx.db,
    projectId: route.project.id,
    filter: query.data.filter,
  });
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      } catch (error) {
        console.error("[activity export] failed:", error);
        controller.error(error);
      }
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
  const fileName = `${route.project.name.replace(/[^\w.-]+/g, "-").replace(/^-+|-+$/g, "") || "project"}-activity.csv`;
  return new Response(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${fileName}"`,
      "cache-control": "no-store",
    },
  });
}
