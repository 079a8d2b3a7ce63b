import { TRPCClientError } from "@trpc/client";
import superjson from "superjson";
import { describe, expect, it } from "vitest";
import { conflictOf } from "~/components/editor/conflict";
import { fileConflict } from "~/lib/schemas/file-conflict";

const current = {
  fileId: "7f4a1c2e-2b1d-4c3e-9a8b-1234567890ab",
  version: 2,
  content: "theirs\n",
  contentHash: null,
  updatedAt: new Date("2026-01-02T03:04:05Z"),
  updatedBy: { id: "u1", name: "Grace" },
  sourceType: "user",
};

/** A CONFLICT as the client receives it: the payload through the wire's transformer, inside a TRPCClientError. */
function refused(app: unknown, code = "CONFLICT") {
  const data = superjson.parse(superjson.stringify({ code, app }));
  return TRPCClientError.from({ error: { message: "refused", code: -32000, data } } as never);
}

describe("the conflict payload, one schema on both sides", () => {
  it("reads what the server builds, for a changed and for a deleted file", () => {
    expect(conflictOf(refused(fileConflict(current)))).toEqual({ kind: "changed", current });
    expect(conflictOf(refused(fileConflict(null)))).toEqual({ kind: "deleted", current: null });
  });

  it("is no conflict when the code is another or the payload is not the schema's", () => {
    expect(conflictOf(refused(fileConflict(current), "BAD_REQUEST"))).toBeUndefined();
    expect(conflictOf(refused({ current }))).toBeUndefined();
    expect(conflictOf(new Error("offline"))).toBeUndefined();
  });
});
