/**
 * How much a request may send, decided before any of it is read (scripts/server.ts answers 413 from these). Each
 * route's bound follows from a limit we advertise, so that limit holds over HTTP and nothing larger is buffered.
 */
import { TRPC_ERROR_CODES_BY_KEY } from "@trpc/server/rpc";
import { env } from "~/env";
import { WEBHOOK_MAX_BODY_BYTES } from "~/lib/schemas/integration";
import { AppError } from "~/server/errors";
import { mib } from "~/server/services/zip";

/** Room for the JSON envelope around the largest input (procedure names, ids, escapes of a few characters). */
const ENVELOPE_BYTES = 1024 * 1024;

/**
 * Next's proxy (src/proxy.ts) keeps at most this much of a body for the routes it runs on and silently cuts the
 * rest (its `proxyClientMaxBodySize`), so those routes refuse anything larger instead.
 */
export const PROXIED_BODY_MAX_BYTES = 10 * 1024 * 1024;

/** What any call may send, and all that a request without a signed-in session may send. */
export const SMALL_BODY_BYTES = 1024 * 1024;

/**
 * The largest tRPC request body: file.importZip's archive in base64 (4/3 of IMPORT_MAX_ARCHIVE_BYTES), or a file
 * of FILE_MAX_BYTES (or a template upgrade's resolutions, about TEMPLATE_MAX_BYTES) whose every character JSON
 * escapes to six bytes (`\u001f`), whichever is larger.
 */
export function trpcBodyMaxBytes(): number {
  return (
    Math.max(
      Math.ceil((env.IMPORT_MAX_ARCHIVE_BYTES * 4) / 3),
      Math.max(env.FILE_MAX_BYTES, env.TEMPLATE_MAX_BYTES) * 6,
    ) + ENVELOPE_BYTES
  );
}

/** What one call of a procedure may send: the large inputs of the few procedures that carry files, else 1 MiB. */
function callAllowance(procedure: string): number {
  if (procedure === "file.importZip") return Math.ceil((env.IMPORT_MAX_ARCHIVE_BYTES * 4) / 3);
  if (procedure === "file.save" || procedure === "file.create") return env.FILE_MAX_BYTES * 6;
  // The texts of the collisions resolved by hand (an upgrade's or a git pull's): each at most a file, together
  // about a template's files.
  if (procedure === "template.upgradeApply" || procedure === "git.pullApply") {
    return Math.max(env.FILE_MAX_BYTES, env.TEMPLATE_MAX_BYTES) * 6;
  }
  return SMALL_BODY_BYTES;
}

/** Inbound webhooks (src/app/api/webhooks/[integrationId]/route.ts): anonymous, bounded by WEBHOOK_MAX_BODY_BYTES. */
export const WEBHOOK_ROUTE = /^\/api\/webhooks\/[^/]+$/;

/** The raw archive upload route (src/app/api/projects/[projectId]/import/route.ts), outside the proxy too. */
export const IMPORT_ROUTE = /^\/api\/projects\/[^/]+\/import$/;

export interface BodyLimit {
  maxBytes: number;
  /** What is too large, for the 413's message. */
  what: string;
}

/** An inbound webhook's bound. */
export function webhookBodyLimit(): BodyLimit {
  return { maxBytes: WEBHOOK_MAX_BODY_BYTES, what: "A webhook delivery" };
}

/** The raw archive upload's bound: the archive itself, IMPORT_MAX_ARCHIVE_BYTES. */
export function archiveUploadLimit(): BodyLimit {
  return { maxBytes: env.IMPORT_MAX_ARCHIVE_BYTES, what: "The archive" };
}

/**
 * The body limit of a request path (the path only, without its query). Large bodies are for signed-in people
 * only (`signedIn`: the request carries a valid session), and on tRPC only for the procedures that carry files,
 * so nobody can make the server read megabytes before it knows who is asking.
 */
export function bodyLimitFor(pathname: string, signedIn: boolean): BodyLimit {
  const anonymous = { maxBytes: SMALL_BODY_BYTES, what: "A request without a signed-in session" };
  if (pathname === "/api/trpc" || pathname.startsWith("/api/trpc/")) {
    if (!signedIn) return anonymous;
    const procedures = pathname.slice("/api/trpc/".length).split(",");
    const allowed = procedures.reduce((sum, procedure) => sum + callAllowance(procedure), ENVELOPE_BYTES);
    return { maxBytes: Math.min(allowed, trpcBodyMaxBytes()), what: "This request" };
  }
  if (IMPORT_ROUTE.test(pathname)) return signedIn ? archiveUploadLimit() : anonymous;
  if (WEBHOOK_ROUTE.test(pathname)) return webhookBodyLimit();
  return { maxBytes: PROXIED_BODY_MAX_BYTES, what: "This request" };
}

/** The message of a 413: what is too large and the limit. */
export function tooLargeMessage(limit: BodyLimit): string {
  return `${limit.what} is larger than ${mib(limit.maxBytes)}, the most this server accepts.`;
}

export interface BodyRefusal {
  status: 411 | 413;
  body: unknown;
}

/**
 * Why a request's body is refused before it is read, or null to let it through. A body above its route's bound
 * answers 413; a body of unstated length (chunked) to a route with a bound answers 411, since the bound could
 * only be checked by reading it. tRPC routes answer in tRPC's error shape (one error per call of a batch), so
 * the client shows the message; other routes answer `{ error }` like our other route handlers.
 */
export function bodyRefusal(
  url: string,
  headers: { "content-length"?: string; "transfer-encoding"?: string },
  signedIn: boolean,
): BodyRefusal | null {
  const { pathname, searchParams } = new URL(url, "http://localhost");
  const limit = bodyLimitFor(pathname, signedIn);
  const declared = headers["content-length"] === undefined ? null : Number(headers["content-length"]);
  let status: 411 | 413;
  let message: string;
  if (declared === null && headers["transfer-encoding"] !== undefined) {
    status = 411;
    message = "Send the request with a Content-Length header.";
  } else if (declared !== null && declared > limit.maxBytes) {
    status = 413;
    message = tooLargeMessage(limit);
  } else {
    return null;
  }
  if (!pathname.startsWith("/api/trpc/")) return { status, body: { error: message } };
  const code = status === 413 ? "PAYLOAD_TOO_LARGE" : "BAD_REQUEST";
  const paths = pathname.slice("/api/trpc/".length).split(",");
  const error = (path: string) => ({
    error: { json: { message, code: TRPC_ERROR_CODES_BY_KEY[code], data: { code, httpStatus: status, path } } },
  });
  return { status, body: searchParams.get("batch") === "1" ? paths.map(error) : error(paths[0] ?? "") };
}

/**
 * A route handler's request body as bytes, read as it streams in and refused (PAYLOAD_TOO_LARGE) at the first byte
 * past `limit`, whatever the request declared: the server's check of Content-Length is not the only guard.
 */
export async function readBodyWithin(request: Request, limit: BodyLimit): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = request.body?.getReader();
  if (reader) {
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      size += read.value.length;
      if (size > limit.maxBytes) {
        await reader.cancel();
        throw new AppError("PAYLOAD_TOO_LARGE", tooLargeMessage(limit));
      }
      chunks.push(read.value);
    }
  }
  return Buffer.concat(chunks, size);
}
