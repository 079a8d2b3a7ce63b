/**
 * The CONFLICT payload of file.save and file.restore, one schema for both sides: the server builds it with
 * fileConflict(), the IDE parses it with ZFileConflict (src/components/editor/conflict.ts). Client-safe.
 */
import { z } from "zod";

/** The live file a refused save or restore offers instead. */
export const ZConflictFile = z.object({
  /** Another id than the one the tab was based on: the path was deleted and created again. */
  fileId: z.uuid(),
  version: z.number().int(),
  content: z.string(),
  contentHash: z.string().nullable(),
  updatedAt: z.coerce.date(),
  updatedBy: z.object({ id: z.string(), name: z.string() }).nullable(),
  sourceType: z.string(),
});
export type TConflictFile = z.infer<typeof ZConflictFile>;

/** "changed": someone saved (or created the path again) since; "deleted": there is no live file at the path. */
export const ZFileConflict = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("changed"), current: ZConflictFile }),
  z.object({ kind: z.literal("deleted"), current: z.null() }),
]);
export type TFileConflict = z.infer<typeof ZFileConflict>;

/** The payload for the live file now at a path (`null`: none). */
export function fileConflict(current: TConflictFile | null): TFileConflict {
  return current ? { kind: "changed", current } : { kind: "deleted", current: null };
}
