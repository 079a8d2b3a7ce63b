/**
 * The checks of a project-scoped tRPC procedure, for the route handlers that cannot be tRPC procedures (a zip
 * download, a raw archive upload): a session, the CSRF token for writes, and the caller's ownership of the
 * project, checked by projectProcedure itself. Anything else answers with a status and `{ error }`.
 */
import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { createCaller } from "~/server/api/root";
import { createTRPCContext, sessionActor, type Context } from "~/server/api/trpc";
import { CSRF_REFUSED, csrfTokenMatches } from "~/server/auth/csrf";
import type { Session } from "~/server/auth/session";
import type { Actor } from "~/server/db/write";
import { AppError } from "~/server/errors";

export interface ProjectRoute {
  ctx: Context & { session: Session; actor: Actor };
  project: { id: string; name: string };
}

/** The caller and their project, or the response that refuses the request (401, 403, 404). */
export async function authorizeProjectRoute(
  request: Request,
  projectId: string,
  { write }: { write: boolean },
): Promise<ProjectRoute | Response> {
  const ctx = await createTRPCContext({ headers: request.headers, csrfVerified: csrfTokenMatches(request.headers) });
  const session = ctx.session;
  if (!session) return Response.json({ error: "Please sign in." }, { status: 401 });
  if (write && !ctx.csrfVerified) return Response.json({ error: CSRF_REFUSED }, { status: 403 });
  try {
    const project = await createCaller(ctx).project.get({ projectId });
    return { ctx: { ...ctx, session, actor: sessionActor(session) }, project: { id: project.id, name: project.name } };
  } catch (error) {
    if (error instanceof TRPCError && (error.code === "NOT_FOUND" || error.code === "BAD_REQUEST")) {
      return Response.json({ error: "Project not found." }, { status: 404 });
    }
    throw error;
  }
}

/** A service's AppError as a response with its HTTP status; anything else is rethrown (an internal error). */
export function appErrorResponse(error: unknown): Response {
  if (!(error instanceof AppError)) throw error;
  const status = getHTTPStatusCodeFromError(new TRPCError({ code: error.code }));
  return Response.json({ error: error.message }, { status });
}
