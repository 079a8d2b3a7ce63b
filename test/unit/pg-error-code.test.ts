import { describe, expect, it } from "vitest";
import { isTransientDatabaseError, isUniqueViolation, pgErrorCode } from "~/server/db/errors";

describe("reading PostgreSQL error codes through their wrappers", () => {
  it("finds the SQLSTATE in pg's error, its cause, a Prisma error's driver adapter error, or a raw query's message", () => {
    expect(pgErrorCode({ code: "23505" })).toBe("23505");
    expect(pgErrorCode(new Error("outer", { cause: { code: "57014" } }))).toBe("57014");
    expect(pgErrorCode({ code: "P2010", meta: { driverAdapterError: { cause: { originalCode: "2201B" } } } })).toBe(
      "2201B",
    );
    expect(pgErrorCode(new Error("Raw query failed. Code: `54001`. Message: too complex"))).toBe("54001");
  });

  it("answers undefined for Prisma's own codes, socket errors and non-errors", () => {
    expect(pgErrorCode({ code: "P2002" })).toBeUndefined();
    expect(pgErrorCode({ code: "ECONNREFUSED" })).toBeUndefined();
    expect(pgErrorCode(null)).toBeUndefined();
    expect(pgErrorCode("23505")).toBeUndefined();
  });

  it("lets the unique-violation and transient checks read the same codes", () => {
    expect(isUniqueViolation({ meta: { driverAdapterError: { cause: { originalCode: "23505" } } } })).toBe(true);
    expect(isUniqueViolation({ code: "P2002" })).toBe(true);
    expect(isUniqueViolation({ code: "23503" })).toBe(false);
    expect(isTransientDatabaseError(new Error("x", { cause: { code: "57P01" } }))).toBe(true);
    expect(
      isTransientDatabaseError({
        code: "P2010",
        meta: { driverAdapterError: { cause: { kind: "ConnectionClosed" } } },
      }),
    ).toBe(true);
    expect(isTransientDatabaseError({ code: "23505" })).toBe(false);
  });
});
