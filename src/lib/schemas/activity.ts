import { z } from "zod";

/**
 * The opaque page cursor of the activity log: the last entry's `created_at::text` (microseconds, as PostgreSQL
 * prints it) and its id, joined by "|". Checked here so a forged cursor is a BAD_REQUEST, not a cast error.
 */
const CURSOR =
  /^\d{4,}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2}){0,2}\|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const ZActivityCursor = z.string().max(100).regex(CURSOR, "Invalid activity cursor.");

export const ZListActivityInput = z.object({
  projectId: z.uuid(),
  /** Only this file's entries (the IDE's activity tab can follow the open file). */
  filePath: z.string().min(1).max(1024).optional(),
  limit: z.number().int().min(1).max(100).default(50),
  /** `nextCursor` of the previous page: the next page starts after that entry (tRPC's infinite-query cursor). */
  cursor: ZActivityCursor.nullish(),
});
export type TListActivityInput = z.input<typeof ZListActivityInput>;
