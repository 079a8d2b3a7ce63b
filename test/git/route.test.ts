import { describe, expect, it } from "vitest";
import { QUERIES_WITH_SECRETS } from "~/lib/trpc-limits";
import { appRouter } from "~/server/api/root";

describe("QUERIES_WITH_SECRETS (sent as POST by the client, so a token never sits in a URL)", () => {
  it("names git.branches, and only procedures that exist and are queries", () => {
    expect([...QUERIES_WITH_SECRETS]).toContain("git.branches");
    const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { type: string } }>;
    for (const path of QUERIES_WITH_SECRETS) expect(procedures[path]?._def.type, path).toBe("query");
  });
});
