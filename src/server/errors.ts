/** The codes a service may fail with; the tRPC layer maps each to its own code (src/server/api/trpc.ts). */
export type AppErrorCode =
  | "BAD_REQUEST"
  | "UNAUTHORIZED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "CONFLICT"
  | "PRECONDITION_FAILED"
  | "PAYLOAD_TOO_LARGE"
  | "TOO_MANY_REQUESTS"
  | "SERVICE_UNAVAILABLE";

/**
 * The one error services throw. Its message is safe to show to the user; anything else thrown is an internal
 * error whose message is logged and hidden.
 */
export class AppError extends Error {
  override name = "AppError";
  constructor(
    readonly code: AppErrorCode,
    message: string,
    /** Extra, user-safe data for the client (e.g. the current content on a CONFLICT). */
    readonly data?: Record<string, unknown>,
  ) {
    super(message);
  }
}
