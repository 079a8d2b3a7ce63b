import { getPool } from "~/server/db/pool";

export const dynamic = "force-dynamic";

/** Liveness and database reachability, for load balancers and the e2e runner. */
export async function GET() {
  try {
    await getPool().query("SELECT 1");
    return Response.json({ status: "ok", database: "ok" });
  } catch {
    return Response.json({ status: "degraded", database: "unreachable" }, { status: 503 });
  }
}
