import { z } from "zod";

export const ZListActivityInput = z.object({
  projectId: z.uuid(),
  /** Only this file's entries (the IDE's activity tab can follow the open file). */
  filePath: z.string().min(1).max(1024).optional(),
  limit: z.number().int().min(1).max(100).default(50),
  /** createdAt of the last entry already shown: the next page starts after it (tRPC's infinite-query cursor). */
  cursor: z.date().nullish(),
});
export type TListActivityInput = z.input<typeof ZListActivityInput>;
