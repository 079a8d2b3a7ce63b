import { describe, expect, it } from "vitest";
import { db } from "~/server/db/client";
import { MAX_RUNNING_IMPORTS_PER_USER, startOperation } from "~/server/services/git/operations";
import { pool } from "../db";
import { signedInUser } from "../files/support";

describe("git imports running at once", () => {
  it("are at most MAX_RUNNING_IMPORTS_PER_USER per user even when the requests arrive together", async () => {
    const { userId } = await signedInUser();
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, () => startOperation({ db, userId, projectId: null, kind: "import" })),
    );
    const { rows } = await pool.query(
      `SELECT count(*)::int AS n FROM git_operations WHERE user_id = $1 AND kind = 'import' AND status = 'running'`,
      [userId],
    );
    expect(rows[0].n).toBe(MAX_RUNNING_IMPORTS_PER_USER);
    const refused = results.filter((result) => result.status === "rejected");
    expect(refused).toHaveLength(8 - MAX_RUNNING_IMPORTS_PER_USER);
    for (const result of refused) {
      expect((result as PromiseRejectedResult).reason).toMatchObject({ code: "TOO_MANY_REQUESTS" });
    }
  });
});
