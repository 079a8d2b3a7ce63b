import { ZDayRange } from "~/lib/schemas/usage";
import { createTRPCContext } from "~/server/api/trpc";
import { usageCsv } from "~/server/services/usage/export";

/**
 * The admin usage export: the daily rollup of a range of days (at most 400) as CSV, streamed. Admins only: no
 * session answers 401, a non-admin 403.
 */
export async function GET(request: Request) {
  const ctx = await createTRPCContext({ headers: request.headers });
  if (!ctx.session) return Response.json({ error: "Please sign in." }, { status: 401 });
  if (ctx.session.user.role !== "admin") return Response.json({ error: "Administrators only." }, { status: 403 });
  const range = ZDayRange.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!range.success) {
    return Response.json({ error: range.error.issues[0]?.message ?? "Choose a valid range." }, { status: 400 });
  }
  const { from, to } = range.data;
  const chunks = usageCsv(ctx.db, { from, to });
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      } catch (error) {
        console.error("[usage export] failed:", error);
        controller.error(error);
      }
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
  return new Response(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="usage-${from}-to-${to}.csv"`,
      "cache-control": "no-store",
    },
  });
}
