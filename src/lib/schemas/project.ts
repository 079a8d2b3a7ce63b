/** Inputs of the project procedures. Client-safe. */
import { z } from "zod";

/** Letters and digits of any script, spaces, and . _ - ( ); NFC so look-alike encodings collide. */
export const ZProjectName = z
  .string()
  .trim()
  .normalize("NFC")
  .min(1, "Enter a project name.")
  .max(100, "Use a project name of at most 100 characters.")
  .regex(
    /^[\p{L}\p{N}][\p{L}\p{N} ._()-]*$/u,
    "Use letters, digits, spaces and . _ - ( ), starting with a letter or digit.",
  );

/**
 * A project name proposed from a template's name: project names allow letters, digits, spaces and . _ - ( ), so
 * "React + Vite" becomes "React Vite".
 */
export function projectNameFrom(templateName: string): string {
  const cleaned = templateName
    .normalize("NFC")
    .replace(/[^\p{L}\p{N} ._()-]/gu, " ")
    .replace(/\s+/g, " ")
    .replace(/^[^\p{L}\p{N}]+/u, "")
    .trim()
    .slice(0, 100)
    .trim();
  return cleaned || "My project";
}

export const ZProjectDescription = z
  .string()
  .trim()
  .max(2000, "Use a description of at most 2,000 characters.")
  .default("");

export const ZCreateProjectInput = z.object({
  name: ZProjectName,
  description: ZProjectDescription,
  /** Start from this template's files (a public template, or one of yours). */
  templateId: z.uuid().optional(),
});
export type TCreateProjectInput = z.input<typeof ZCreateProjectInput>;

export const ZGetProjectInput = z.object({ projectId: z.uuid() });
export type TGetProjectInput = z.infer<typeof ZGetProjectInput>;

/** `project.start`, `project.stop`, `project.preview`: the live preview of one of your projects. */
export const ZProjectPreviewInput = z.object({ projectId: z.uuid() });
export type TProjectPreviewInput = z.infer<typeof ZProjectPreviewInput>;
