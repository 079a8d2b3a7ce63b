/** Inputs of the admin's background jobs page (issue 11). Client-safe (zod only). */
import { z } from "zod";

/** A job's queue name, as the registry names them (lower-case words joined by dots). */
export const ZJobName = z
  .string()
  .max(100)
  .regex(/^[a-z][a-z0-9]*(\.[a-z][a-z0-9-]*)+$/, "Not a job name.");

export const ZRunJobInput = z.object({ name: ZJobName });
export type TRunJobInput = z.infer<typeof ZRunJobInput>;
