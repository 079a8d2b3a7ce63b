import { describe, expect, it } from "vitest";
import { env } from "~/env";
import { groupByBytes } from "~/server/db/sql";
import { bodyLimitFor, bodyRefusal, PROXIED_BODY_MAX_BYTES, trpcBodyMaxBytes } from "~/server/http-limits";

describe("request body bounds", () => {
  it("bounds each route by the limit it serves: tRPC by a base64 archive, the upload by the archive", () => {
    expect(trpcBodyMaxBytes()).toBeGreaterThanOrEqual(Math.ceil((env.IMPORT_MAX_ARCHIVE_BYTES * 4) / 3));
    expect(bodyLimitFor("/api/trpc/file.importZip").maxBytes).toBe(trpcBodyMaxBytes());
    expect(bodyLimitFor("/api/projects/0b0e5d3c-1111-4222-8333-944445555666/import")).toEqual({ maxBytes: env.IMPORT_MAX_ARCHIVE_BYTES, what: "The archive" });
    expect(bodyLimitFor("/api/auth/callback/credentials").maxBytes).toBe(PROXIED_BODY_MAX_BYTES);
    expect(bodyLimitFor("/api/projects/x/import/more").maxBytes).toBe(PROXIED_BODY_MAX_BYTES);
  });

  it("refuses a declared length past the bound with 413, in tRPC's shape for each call of a batch", () => {
    const over = String(trpcBodyMaxBytes() + 1);
    expect(bodyRefusal("/api/trpc/file.save", { "content-length": String(trpcBodyMaxBytes()) })).toBeNull();
    const single = bodyRefusal("/api/trpc/file.save", { "content-length": over });
    expect(single?.status).toBe(413);
    expect(single?.body).toMatchObject({ error: { json: { code: -32013, data: { code: "PAYLOAD_TOO_LARGE", httpStatus: 413, path: "file.save" } } } });
    const batch = bodyRefusal("/api/trpc/file.save,file.save?batch=1", { "content-length": over });
    expect(batch?.body).toHaveLength(2);
    const upload = bodyRefusal("/api/projects/p/import?mode=replace", { "content-length": String(env.IMPORT_MAX_ARCHIVE_BYTES + 1) });
    expect(upload).toEqual({ status: 413, body: { error: "The archive is larger than 50 MiB, the most this server accepts." } });
  });

  it("asks for a Content-Length when a body streams without one", () => {
    expect(bodyRefusal("/api/projects/p/import", { "transfer-encoding": "chunked" })).toMatchObject({ status: 411 });
    expect(bodyRefusal("/", {})).toBeNull();
  });
});

describe("content groups", () => {
  it("keeps each group within the budget, in order, a larger item alone", () => {
    const sizes = [4, 4, 4, 10, 1, 1, 20, 2];
    expect(groupByBytes(sizes, (size) => size, 10)).toEqual([[4, 4], [4], [10], [1, 1], [20], [2]]);
    expect(groupByBytes([], (size: number) => size, 10)).toEqual([]);
  });
});
