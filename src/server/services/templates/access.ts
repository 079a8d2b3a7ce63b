/** Who may see a template: anyone a public one; its author and admins a private one. Others get NOT_FOUND. */
import type { Prisma } from "~/generated/prisma/client";

export interface Viewer {
  id: string;
  role: "user" | "admin";
}

/** The `where` of the templates `viewer` may see. */
export function visibleTo(viewer: Viewer | null): Prisma.ProjectTemplateWhereInput {
  if (viewer?.role === "admin") return {};
  return viewer ? { OR: [{ isPublic: true }, { createdById: viewer.id }] } : { isPublic: true };
}
