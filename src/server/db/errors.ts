import { AppError } from "~/server/errors";

/** A database runtime problem the operator must fix; its message is shown as is, without a stack. */
export class DatabaseSetupError extends Error {
  override name = "DatabaseSetupError";
}

const transientCodes = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "57P01", // admin_shutdown
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now
  "08000",
  "08003",
  "08006",
  "08001",
  "08004",
  "P1001", // Prisma: can't reach database server
  "P1017", // Prisma: server has closed the connection
]);
/** How @prisma/adapter-pg names a lost or refused connection (`DriverAdapterError.cause.kind`). */
const transientKinds = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout"]);
const transientMessage =
  /Connection terminated|terminating connection|ECONNREFUSED|ECONNRESET|connection error and is not queryable/i;

/**
 * The error and the errors it wraps: `cause`, or the driver adapter's error in a Prisma error's `meta` (or `meta`
 * itself), where the PostgreSQL code or socket error of a Prisma call is found. The one walker of wrapped errors.
 */
function* errorChain(error: unknown): Generator<Record<string, unknown>> {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current && typeof current === "object"; depth++) {
    const link = current as Record<string, unknown>;
    yield link;
    const meta = link.meta as Record<string, unknown> | undefined;
    current = link.cause ?? meta?.driverAdapterError ?? meta;
  }
}

const SQLSTATE = /^[0-9A-Z]{5}$/;
/** Prisma's own codes (P2010, ...) look like SQLSTATEs but are not. */
const PRISMA_CODE = /^P\d{4}$/;

/**
 * The PostgreSQL error code (SQLSTATE) behind an error, whether raised by pg, wrapped by the driver adapter or by
 * Prisma (a raw query's message ends in "Code: `57014`"); undefined when there is none.
 */
export function pgErrorCode(error: unknown): string | undefined {
  for (const { code, originalCode, message } of errorChain(error)) {
    if (typeof message === "string") {
      const found = /\bCode: `?([0-9A-Z]{5})`?/.exec(message);
      if (found) return found[1];
    }
    for (const candidate of [originalCode, code]) {
      if (typeof candidate === "string" && SQLSTATE.test(candidate) && !PRISMA_CODE.test(candidate)) return candidate;
    }
  }
  return undefined;
}

/** True for errors that a retry on a fresh connection may cure (server restart, dropped socket). */
export function isTransientDatabaseError(error: unknown): boolean {
  const state = pgErrorCode(error);
  if (state !== undefined && transientCodes.has(state)) return true;
  for (const { code, kind, message } of errorChain(error)) {
    if (typeof code === "string" && transientCodes.has(code)) return true;
    if (typeof kind === "string" && transientKinds.has(kind)) return true;
    if (typeof message === "string" && transientMessage.test(message)) return true;
  }
  return false;
}

/**
 * What the user is told when the database connection was lost (typically a database restart) and the request
 * could not be completed: a write is never retried for them (it may have committed just before the loss).
 */
export function databaseUnavailable(write: boolean): AppError {
  return new AppError(
    "SERVICE_UNAVAILABLE",
    write
      ? "The database could not be reached (it may be restarting), so this change may not have been made. Check, then try again in a moment."
      : "The database could not be reached (it may be restarting). Please try again in a moment.",
  );
}

/** Describes why a connection attempt failed, in words an operator can act on. */
export function describeConnectionError(url: string, error: unknown): string {
  const { host, port, database } = safeUrlParts(url);
  const code = (error as { code?: string } | null)?.code;
  const where = `PostgreSQL at ${host}:${port} (database "${database}")`;
  switch (code) {
    case "ECONNREFUSED":
      return `Cannot reach ${where}: connection refused. Is the server running? Check DATABASE_URL, or unset it to use the embedded database.`;
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `Cannot reach ${where}: host "${host}" not found. Check DATABASE_URL.`;
    case "ETIMEDOUT":
      return `Cannot reach ${where}: connection timed out. Check DATABASE_URL and the network.`;
    case "28P01":
    case "28000":
      return `${where} refused the credentials in DATABASE_URL.`;
    case "3D000":
      return `${where}: the database does not exist. Create it (createdb ${database}) or fix DATABASE_URL.`;
    default:
      return `Cannot connect to ${where}: ${(error as Error | null)?.message ?? String(error)}`;
  }
}

function safeUrlParts(url: string) {
  try {
    const parsed = new URL(url);
    return {
      host: parsed.hostname,
      port: parsed.port || "5432",
      database: decodeURIComponent(parsed.pathname.slice(1)),
    };
  } catch {
    return { host: "?", port: "?", database: "?" };
  }
}

/**
 * True for a unique violation, whether raised through a Prisma model call (P2002) or a raw query (23505, possibly
 * wrapped in the driver adapter's error).
 */
export function isUniqueViolation(error: unknown): error is Error & { code?: string; meta?: Record<string, unknown> } {
  if (pgErrorCode(error) === "23505") return true;
  for (const { code, message } of errorChain(error)) {
    if (code === "P2002") return true;
    if (typeof message === "string" && /duplicate key value|Unique constraint failed/i.test(message)) return true;
  }
  return false;
}
