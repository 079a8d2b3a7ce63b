import { describe, expect, it } from "vitest";
import { env } from "~/env";
import { groupByBytes } from "~/server/db/sql";
import {
  bodyLimitFor,
  bodyRefusal,
  PROXIED_BODY_MAX_BYTES,
  SMALL_BODY_BYTES,
  trpcBodyMaxBytes,
} from "~/server/http-limits";

describe("request body bounds", () => {
  it("bounds each route by the limit it serves: file-carrying procedures by their files, the upload by the archive", () => {
    expect(trpcBodyMaxBytes()).toBeGreaterThanOrEqual(Math.ceil((env.IMPORT_MAX_ARCHIVE_BYTES * 4) / 3));
    expect(bodyLimitFor("/api/trpc/file.importZip", true).maxBytes).toBeGreaterThan(
      Math.ceil((env.IMPORT_MAX_ARCHIVE_BYTES * 4) / 3),
    );
    expect(bodyLimitFor("/api/trpc/file.importZip", true).maxBytes).toBeLessThanOrEqual(trpcBodyMaxBytes());
    expect(bodyLimitFor("/api/trpc/file.save", true).maxBytes).toBeGreaterThan(env.FILE_MAX_BYTES * 6);
    expect(bodyLimitFor("/api/projects/0b0e5d3c-1111-4222-8333-944445555666/import", true)).toEqual({
      maxBytes: env.IMPORT_MAX_ARCHIVE_BYTES,
      what: "The archive",
    });
    expect(bodyLimitFor("/api/auth/callback/credentials", false).maxBytes).toBe(PROXIED_BODY_MAX_BYTES);
    expect(bodyLimitFor("/api/projects/x/import/more", true).maxBytes).toBe(PROXIED_BODY_MAX_BYTES);
    // Inbound webhooks: anonymous senders, 1 MiB whoever asks.
    expect(bodyLimitFor("/api/webhooks/0b0e5d3c-1111-4222-8333-944445555666", false)).toEqual({
      maxBytes: 1024 * 1024,
      what: "A webhook delivery",
    });
    expect(bodyLimitFor("/api/webhooks/x", true).maxBytes).toBe(1024 * 1024);
  });

  it("lets only signed-in people send large bodies, and only to procedures that carry files", () => {
    const large = String(5 * SMALL_BODY_BYTES);
    expect(bodyRefusal("/api/trpc/file.save", { "content-length": large }, true)).toBeNull();
    expect(bodyRefusal("/api/trpc/file.save", { "content-length": large }, false)).toMatchObject({
      status: 413,
      body: {
        error: {
          json: {
            message: "A request without a signed-in session is larger than 1 MiB, the most this server accepts.",
          },
        },
      },
    });
    expect(bodyRefusal("/api/trpc/account.register", { "content-length": large }, true)?.status).toBe(413);
    expect(bodyRefusal("/api/trpc/project.list,project.list?batch=1", { "content-length": large }, true)?.status).toBe(
      413,
    );
    expect(bodyRefusal("/api/projects/p/import", { "content-length": large }, false)?.status).toBe(413);
    // A template upgrade carries the collisions resolved by hand: a large file's among them (a lockfile's).
    const resolved = String(Math.max(env.FILE_MAX_BYTES, env.TEMPLATE_MAX_BYTES) * 2);
    expect(bodyRefusal("/api/trpc/template.upgradeApply", { "content-length": resolved }, true)).toBeNull();
    expect(bodyRefusal("/api/trpc/template.upgradeApply", { "content-length": resolved }, false)?.status).toBe(413);
    // A batch of several saves (save all) may carry a file each, within the overall bound.
    expect(bodyLimitFor("/api/trpc/file.save,file.save,file.save", true).maxBytes).toBe(
      Math.min(trpcBodyMaxBytes(), bodyLimitFor("/api/trpc/file.save", true).maxBytes * 3 - 2 * 1024 * 1024),
    );
  });

  it("refuses a declared length past the bound with 413, in tRPC's shape for each call of a batch", () => {
    const bound = bodyLimitFor("/api/trpc/file.importZip", true).maxBytes;
    expect(bodyRefusal("/api/trpc/file.importZip", { "content-length": String(bound) }, true)).toBeNull();
    const single = bodyRefusal("/api/trpc/file.importZip", { "content-length": String(bound + 1) }, true);
    expect(single?.status).toBe(413);
    expect(single?.body).toMatchObject({
      error: { json: { code: -32013, data: { code: "PAYLOAD_TOO_LARGE", httpStatus: 413, path: "file.importZip" } } },
    });
    const batch = bodyRefusal(
      "/api/trpc/file.save,file.save?batch=1",
      { "content-length": String(trpcBodyMaxBytes() + 1) },
      true,
    );
    expect(batch?.body).toHaveLength(2);
    const upload = bodyRefusal(
      "/api/projects/p/import?mode=replace",
      { "content-length": String(env.IMPORT_MAX_ARCHIVE_BYTES + 1) },
      true,
    );
    expect(upload).toEqual({
      status: 413,
      body: { error: "The archive is larger than 50 MiB, the most this server accepts." },
    });
  });

  it("asks for a Content-Length when a body streams without one", () => {
    expect(bodyRefusal("/api/projects/p/import", { "transfer-encoding": "chunked" }, true)).toMatchObject({
      status: 411,
    });
    expect(bodyRefusal("/", {}, false)).toBeNull();
  });
});

describe("content groups", () => {
  it("keeps each group within the budget, in order, a larger item alone", () => {
    const sizes = [4, 4, 4, 10, 1, 1, 20, 2];
    expect(groupByBytes(sizes, (size) => size, 10)).toEqual([[4, 4], [4], [10], [1, 1], [20], [2]]);
    expect(groupByBytes([], (size: number) => size, 10)).toEqual([]);
  });
});
