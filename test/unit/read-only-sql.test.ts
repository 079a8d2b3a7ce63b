import { describe, expect, it } from "vitest";
import { Prisma } from "~/generated/prisma/client";
import { isReadOnlyRawQuery } from "~/server/db/read-only-sql";

describe("which raw queries may run again after a lost connection", () => {
  it("takes a SELECT or WITH ... SELECT that only reads as a read, whatever its values", () => {
    expect(isReadOnlyRawQuery(Prisma.sql`SELECT id FROM users WHERE email = ${"delete me; update"}`)).toBe(true);
    expect(
      isReadOnlyRawQuery(Prisma.sql`
      -- the latest version of each path
      WITH latest AS (SELECT DISTINCT ON (file_path) file_path, updated_at FROM project_files) SELECT * FROM latest`),
    ).toBe(true);
    expect(isReadOnlyRawQuery(Prisma.sql`(SELECT 1) UNION (SELECT 2)`)).toBe(true);
    expect(isReadOnlyRawQuery(["SELECT $1::int AS n", 1])).toBe(true);
  });

  it("takes anything that may write as a write", () => {
    const writes = [
      Prisma.sql`UPDATE users SET preferences = '{}' WHERE id = ${"x"} RETURNING preferences`,
      Prisma.sql`INSERT INTO auth_attempts (kind) VALUES ('signin') RETURNING id`,
      Prisma.sql`WITH gone AS (DELETE FROM project_files RETURNING id) SELECT count(*) FROM gone`,
      Prisma.sql`SELECT set_config('vaporform.actor_id', ${"u"}, true)`,
      Prisma.sql`SELECT 1 FROM pg_advisory_xact_lock(1, 2)`,
      Prisma.sql`SELECT nextval('some_seq')`,
      Prisma.sql`SELECT * INTO copy_of_users FROM users`,
      Prisma.sql`SELECT id FROM users WHERE id = ${"x"} FOR UPDATE`,
      Prisma.sql`SELECT vf_ensure_activity_partitions()`,
      ["DELETE FROM users WHERE id = $1", "x"],
    ];
    for (const query of writes) expect(isReadOnlyRawQuery(query), JSON.stringify(query)).toBe(false);
  });

  it("takes arguments it cannot read as a write", () => {
    for (const args of [undefined, null, {}, [], [42], { strings: [1, 2] }])
      expect(isReadOnlyRawQuery(args)).toBe(false);
  });
});
