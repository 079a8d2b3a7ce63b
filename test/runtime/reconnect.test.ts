import { describe, expect, it } from "vitest";
import { db } from "~/server/db/client";
import { getPool } from "~/server/db/pool";
import { pool as adminPool } from "../db";

/** What a database restart does to the app: every connection it holds is cut. */
async function cutAppConnections() {
  await adminPool.query(
    `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
      WHERE datname = current_database() AND application_name = 'vaporform' AND pid <> pg_backend_pid()`,
  );
}

describe("database connection loss", () => {
  it("keeps serving reads through Prisma after every connection was cut, without a restart", async () => {
    await Promise.all(Array.from({ length: 5 }, () => db.user.count()));
    await cutAppConnections();
    await expect(db.user.count()).resolves.toBeTypeOf("number");
    await expect(db.projectTemplate.findMany({ take: 1 })).resolves.toBeInstanceOf(Array);
  });

  it("hands out fresh connections from the pool after the old ones died", async () => {
    await getPool().query("SELECT 1");
    await cutAppConnections();
    // The dead idle client is dropped (its error is logged, not thrown); the next query gets a new connection.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const { rows } = await getPool().query<{ ok: number }>("SELECT 1 AS ok");
    expect(rows[0]?.ok).toBe(1);
  });
});
