import type { Database } from "~/server/db/client";

/** Counts the templates anyone can see, optionally in one category. */
export async function countPublicTemplates(options: { db: Database; category?: string }): Promise<number> {
  return options.db.projectTemplate.count({
    where: { isPublic: true, ...(options.category ? { category: options.category } : {}) },
  });
}
