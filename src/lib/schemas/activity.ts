import { z } from "zod";
import { ZDay } from "./usage";

/**
 * The opaque page cursor of the activity log: the last entry's `created_at::text` (microseconds, as PostgreSQL
 * prints it) and its id, joined by "|". Checked here so a forged cursor is a BAD_REQUEST, not a cast error.
 */
const CURSOR =
  /^\d{4,}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2}){0,2}\|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const ZActivityCursor = z.string().max(100).regex(CURSOR, "Invalid activity cursor.");

/** Who or what caused an entry, as the triggers record it (`vaporform.source_type`). */
export const ACTIVITY_SOURCES = ["user", "claude", "system", "webhook"] as const;
export const ZActivitySource = z.enum(ACTIVITY_SOURCES);
export type TActivitySource = z.infer<typeof ZActivitySource>;

/** The most rows one CSV export holds: it streams, but a bound keeps one request from reading a whole log. */
export const MAX_ACTIVITY_EXPORT_ROWS = 100_000;

/**
 * The most rows `activity.export` answers: the procedure holds its CSV in memory and sends it in one response, so
 * its bound is lower than the streamed download's (MAX_ACTIVITY_EXPORT_ROWS); past it, `truncated` says so.
 */
export const MAX_ACTIVITY_EXPORT_QUERY_ROWS = 5_000;

/**
 * The filters of the activity log, shared by the timeline (`activity.list`) and the CSV export: the same rows in
 * both. Days are UTC and both ends are included.
 */
export const ZActivityFilter = z
  .object({
    /** Only this file's entries (the IDE's activity tab can follow the open file). */
    filePath: z.string().min(1).max(1024).optional(),
    /** Activity types such as `file_modified`, `webhook_received` (any of them). */
    types: z
      .array(
        z
          .string()
          .min(1)
          .max(50)
          .regex(/^[a-z0-9_]+$/, "Use an activity type like file_modified."),
      )
      .max(50)
      .optional(),
    source: ZActivitySource.optional(),
    /** Entries of this user only. */
    userId: z.uuid().optional(),
    from: ZDay.optional(),
    to: ZDay.optional(),
  })
  .refine((filter) => !filter.from || !filter.to || filter.from <= filter.to, {
    message: "The start date must not be after the end date.",
    path: ["to"],
  });
export type TActivityFilter = z.infer<typeof ZActivityFilter>;

export const ZListActivityInput = z
  .object({
    projectId: z.uuid(),
    limit: z.number().int().min(1).max(100).default(50),
    /** `nextCursor` of the previous page: the next page starts after that entry (tRPC's infinite-query cursor). */
    cursor: ZActivityCursor.nullish(),
  })
  .and(ZActivityFilter);
export type TListActivityInput = z.input<typeof ZListActivityInput>;

/** `activity.export`: the timeline's filters and an optional lower bound on the rows. */
export const ZExportActivityInput = z
  .object({
    projectId: z.uuid(),
    maxRows: z.number().int().min(1).max(MAX_ACTIVITY_EXPORT_QUERY_ROWS).default(MAX_ACTIVITY_EXPORT_QUERY_ROWS),
  })
  .and(ZActivityFilter);
export type TExportActivityInput = z.input<typeof ZExportActivityInput>;

/** The download route's query string: the filters, `types` as a comma-separated list. */
export const ZExportActivityQuery = z
  .object({
    projectId: z.uuid(),
    types: z
      .string()
      .max(2_600)
      .optional()
      .transform((value) => (value ? value.split(",").filter(Boolean) : undefined)),
    source: z.string().optional(),
    userId: z.string().optional(),
    from: z.string().optional(),
    to: z.string().optional(),
    filePath: z.string().optional(),
  })
  .transform(({ projectId, ...rest }, ctx) => {
    const filter = ZActivityFilter.safeParse(
      Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== undefined && value !== "")),
    );
    if (!filter.success) {
      for (const issue of filter.error.issues) ctx.addIssue({ ...issue, code: "custom", message: issue.message });
      return z.NEVER;
    }
    return { projectId, filter: filter.data };
  });
