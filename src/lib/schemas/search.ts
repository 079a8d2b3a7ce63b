/** Input of code search (search.query). Client-safe. */
import { z } from "zod";

export const SEARCH_MODES = ["words", "exact", "regex"] as const;
export const SEARCH_MAX_FILES = 200;

export const ZSearchCodeInput = z.object({
  /** One of the caller's projects; omitted: all of them. */
  projectId: z.uuid().optional(),
  query: z.string().trim().min(1, "Type something to search for.").max(300, "Use a search of at most 300 characters."),
  /** words: ranked full-text; exact: the text as typed; regex: a POSIX regular expression. */
  mode: z.enum(SEARCH_MODES).default("words"),
  caseSensitive: z.boolean().default(false),
  wholeWord: z.boolean().default(false),
  /** Files to include: globs like `src/**\/*.ts` (comma-separated), or a part of the path. */
  pathFilter: z.string().trim().max(300, "Use a path filter of at most 300 characters.").optional(),
  /** How many files to answer at most (default 50). */
  limit: z.number().int().min(1).max(SEARCH_MAX_FILES).default(50),
});
export type TSearchCodeInput = z.input<typeof ZSearchCodeInput>;
