import { TRPCClientError } from "@trpc/client";
import type { AppRouter } from "~/server/api/root";
import type { ServerVersion } from "./ide-state";

/**
 * The live file a refused save or restore offers (file.save, file.restore answer CONFLICT with it): `null` when
 * there is none (it was deleted), `undefined` when the error is not such a conflict.
 */
export function conflictOf(error: unknown): ServerVersion | null | undefined {
  if (!(error instanceof TRPCClientError)) return undefined;
  const data = (error as TRPCClientError<AppRouter>).data as { code?: string; app?: { current?: ServerVersion | null } | null } | undefined;
  if (data?.code !== "CONFLICT" || !data.app || !("current" in data.app)) return undefined;
  return data.app.current ?? null;
}
