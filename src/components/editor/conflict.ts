import { TRPCClientError } from "@trpc/client";
import { ZFileConflict, type TFileConflict } from "~/lib/schemas/file-conflict";

/**
 * What a refused save or restore (file.save, file.restore answer CONFLICT) offers, parsed with the schema the
 * server builds it with; `undefined` when the error is not such a conflict.
 */
export function conflictOf(error: unknown): TFileConflict | undefined {
  if (!(error instanceof TRPCClientError)) return undefined;
  const data = error.data as { code?: string; app?: unknown } | undefined;
  if (data?.code !== "CONFLICT") return undefined;
  const parsed = ZFileConflict.safeParse(data.app);
  return parsed.success ? parsed.data : undefined;
}
