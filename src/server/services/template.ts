import type { Database } from "~/server/db/client";

/** Counts the templates anyone can see, optionally in one category. */
export async function countPublicTemplates(options: { db: Database; category?: string }): Promise<number> {
  return options.db.projectTemplate.count({
    where: { isPublic: true, ...(options.category ? { category: options.category } : {}) },
  });
}

/** The templates anyone may start a project from, official and featured first (for the new-project dialog). */
export async function listPublicTemplates(options: { db: Database }) {
  return options.db.projectTemplate.findMany({
    where: { isPublic: true },
    orderBy: [{ isOfficial: "desc" }, { isFeatured: "desc" }, { usageCount: "desc" }, { name: "asc" }],
    select: { id: true, name: true, description: true, category: true, tags: true, isOfficial: true },
    take: 200,
  });
}
