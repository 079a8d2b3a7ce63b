/** "Use this template": a new project from the template's current version (from the gallery, its page, the dialog). */
import type { Database } from "~/server/db/client";
import type { Actor } from "~/server/db/write";
import { createProject } from "../project";

/**
 * Creates a project of `userId` from a template they may see (public, or their own): its current version's files
 * in one transaction through the write path, the version recorded on the project, `usage_count` incremented by
 * the database in the same transaction, and a `template_used` activity row.
 */
export async function createFromTemplate(options: {
  db: Database;
  actor: Actor;
  userId: string;
  templateId: string;
  name: string;
  description: string;
}) {
  const { db, actor, userId, templateId, name, description } = options;
  return createProject({ db, actor, userId, name, description, templateId });
}
