import { z } from "zod";
import { createTRPCContext } from "~/server/api/trpc";
import { AppError } from "~/server/errors";
import { turnEventStream } from "~/server/services/assistant/events";

export const dynamic = "force-dynamic";

const notFound = () => Response.json({ error: "Turn not found." }, { status: 404 });

/**
 * A turn of the signed-in user as server-sent events (src/server/services/assistant/events.ts). Someone else's
 * turn, or one that does not exist, answers 404; no session, 401; more than STREAMS_PER_USER open streams, 429.
 */
export async function GET(request: Request, { params }: { params: Promise<{ interactionId: string }> }) {
  const { interactionId } = await params;
  const ctx = await createTRPCContext({ headers: request.headers });
  if (!ctx.session) return Response.json({ error: "Please sign in." }, { status: 401 });
  if (!z.uuid().safeParse(interactionId).success) return notFound();
  try {
    const stream = await turnEventStream({
      db: ctx.db,
      userId: ctx.session.user.id,
      interactionId,
      signal: request.signal,
    });
    return new Response(stream, {
      headers: {
        "content-type": "text/event-stream; charset=utf-8",
        "cache-control": "no-cache, no-transform",
        "x-accel-buffering": "no",
      },
    });
  } catch (error) {
    if (error instanceof AppError && error.code === "NOT_FOUND") return notFound();
    if (error instanceof AppError && error.code === "TOO_MANY_REQUESTS") {
      return Response.json({ error: error.message }, { status: 429 });
    }
    throw error;
  }
}
