import { TRPCError } from "@trpc/server";
import { createCaller } from "~/server/api/root";
import { createTRPCContext } from "~/server/api/trpc";
import { exportProjectZip } from "~/server/services/file";

/** Downloads a project as a zip: its owner only (anyone else gets 404, as for the project itself). */
export async function GET(request: Request, { params }: { params: Promise<{ projectId: string }> }) {
  const ctx = await createTRPCContext({ headers: request.headers });
  if (!ctx.session) return Response.json({ error: "Please sign in." }, { status: 401 });
  const { projectId } = await params;
  let name: string;
  try {
    ({ name } = await createCaller(ctx).project.get({ projectId }));
  } catch (error) {
    if (error instanceof TRPCError && (error.code === "NOT_FOUND" || error.code === "BAD_REQUEST")) {
      return Response.json({ error: "Project not found." }, { status: 404 });
    }
    throw error;
  }
  const zip = await exportProjectZip({ db: ctx.db, projectId, userId: ctx.session.user.id });
  const fileName = `${name.replace(/[^\w.-]+/g, "-").replace(/^-+|-+$/g, "") || "project"}.zip`;
  return new Response(zip as Uint8Array<ArrayBuffer>, {
    headers: {
      "content-type": "application/zip",
      "content-disposition": `attachment; filename="${fileName}"`,
      "cache-control": "no-store",
    },
  });
}
