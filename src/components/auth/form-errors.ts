import type { z } from "zod";

export type FieldErrors<T> = Partial<Record<keyof T & string, string>>;

/** The first message for each field of a failed zod parse, for showing under the inputs. */
export function fieldErrors<T>(error: z.ZodError<T>): FieldErrors<T> {
  const result: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = String(issue.path[0] ?? "");
    if (key && !result[key]) result[key] = issue.message;
  }
  return result as FieldErrors<T>;
}

interface ServerErrorData {
  zodError?: { fieldErrors?: Record<string, string[] | undefined> } | null;
  /** AppError data: `field` names the input a business rule refused (e.g. a taken e-mail). */
  app?: { field?: unknown } | null;
}

/** The field errors a tRPC error carries (the server's zod validation, or a rule about one field), if any. */
export function serverFieldErrors<T>(error: unknown): FieldErrors<T> {
  const failure = error as { message?: string; data?: ServerErrorData } | null;
  const result: Record<string, string> = {};
  for (const [key, messages] of Object.entries(failure?.data?.zodError?.fieldErrors ?? {})) {
    if (messages?.[0]) result[key] = messages[0];
  }
  const field = failure?.data?.app?.field;
  if (typeof field === "string" && failure?.message) result[field] = failure.message;
  return result as FieldErrors<T>;
}
