import { z } from "zod";

export const ZCountPublicTemplatesInput = z
  .object({ category: z.string().trim().min(1).max(100).optional() })
  .optional();
export type TCountPublicTemplatesInput = z.infer<typeof ZCountPublicTemplatesInput>;
