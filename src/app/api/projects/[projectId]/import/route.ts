import { ZImportArchiveQuery } from "~/lib/schemas/file";
import { appErrorResponse, authorizeProjectRoute } from "~/server/api/project-route";
import { archiveUploadLimit, readBodyWithin } from "~/server/http-limits";
import { importZip } from "~/server/services/files";

/**
 * Imports a zip archive sent as the raw request body (no base64, no JSON), so the browser can report upload
 * progress and the archive may be as large as IMPORT_MAX_ARCHIVE_BYTES. Same checks as file.importZip: signed in,
 * CSRF token, the caller's project (anyone else's answers 404). All or nothing, like file.importZip.
 */
export async function POST(request: Request, { params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  const route = await authorizeProjectRoute(request, projectId, { write: true });
  if (route instanceof Response) return route;
  const query = ZImportArchiveQuery.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!query.success) return Response.json({ error: "mode must be merge or replace." }, { status: 400 });
  try {
    const archive = await readBodyWithin(request, archiveUploadLimit());
    if (archive.length === 0) return Response.json({ error: "Choose a zip archive." }, { status: 400 });
    const result = await importZip({
      db: route.ctx.db,
      projectId: route.project.id,
      actor: route.ctx.actor,
      archive,
      mode: query.data.mode,
    });
    return Response.json(result);
  } catch (error) {
    return appErrorResponse(error);
  }
}
