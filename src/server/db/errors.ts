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
]);

/** True for errors that a retry on a fresh connection may cure (server restart, dropped socket). */
export function isTransientDatabaseError(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current; depth++) {
    if (typeof current !== "object") return false;
    const { code, message, cause } = current as { code?: unknown; message?: unknown; cause?: unknown };
    if (typeof code === "string" && transientCodes.has(code)) return true;
    if (typeof message === "string" && /Connection terminated|terminating connection|ECONNREFUSED|ECONNRESET/i.test(message)) {
      return true;
    }
    current = cause;
  }
  return false;
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
    return { host: parsed.hostname, port: parsed.port || "5432", database: decodeURIComponent(parsed.pathname.slice(1)) };
  } catch {
    return { host: "?", port: "?", database: "?" };
  }
}

/**
 * True for a unique violation, whether raised through a Prisma model call (P2002) or a raw query (23505, possibly
 * wrapped in the driver adapter's error).
 */
export function isUniqueViolation(error: unknown): error is Error & { code?: string; meta?: Record<string, unknown> } {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current && typeof current === "object"; depth++) {
    const { code, meta, cause, message } = current as { code?: unknown; meta?: unknown; cause?: unknown; message?: unknown };
    if (code === "P2002" || code === "23505") return true;
    if (typeof message === "string" && /duplicate key value|Unique constraint failed/i.test(message)) return true;
    current = cause ?? (meta as { driverAdapterError?: unknown } | undefined)?.driverAdapterError;
  }
  return false;
}
