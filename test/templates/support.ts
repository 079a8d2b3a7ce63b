import { randomBytes } from "node:crypto";
import { createCaller } from "~/server/api/root";
import { createTRPCContext } from "~/server/api/trpc";
import { loadSessionUser } from "~/server/auth/session-user";
import { db } from "~/server/db/client";
import { pool } from "../db";
import { signedInUser, type Caller } from "../files/support";

export { expectFailure, newProject, signedInUser, type Caller } from "../files/support";

/** A unique word, so each test's templates are found by search and filters without seeing other tests'. */
export function uniqueWord(prefix = "zq"): string {
  return `${prefix}${randomBytes(4)
    .toString("hex")
    .replace(/[0-9]/g, (d) => "abcdefghij"[Number(d)]!)}`;
}

/** Publishes a fresh project of `api` (with `files` written over its README) as a public template. */
export async function publishedTemplate(
  api: Caller,
  options: {
    name?: string;
    tags?: string[];
    category?: "web-app" | "api" | "cli";
    files?: Record<string, string>;
  } = {},
): Promise<{ templateId: string; projectId: string }> {
  const projectId = (await api.project.create({ name: `Source ${randomBytes(3).toString("hex")}` })).id;
  for (const [path, content] of Object.entries(options.files ?? {})) {
    await api.file.create({ projectId, path, content });
  }
  const { templateId } = await api.template.publish({
    mode: "new",
    projectId,
    name: options.name ?? `Template ${uniqueWord()}`,
    description: "A template made by a test.",
    category: options.category ?? "web-app",
    tags: options.tags ?? ["test"],
    isPublic: true,
  });
  return { templateId, projectId };
}

/** Sets a template's aggregates directly (the trigger is tested in test/db/templates.test.ts). */
export async function setRatings(templateId: string, sum: number, count: number, usage = 0): Promise<void> {
  await pool.query(
    `UPDATE project_templates SET rating_sum = $2::int, rating_count = $3::int, usage_count = $4::int,
            rating_average = CASE WHEN $3::int > 0 THEN round($2::int::numeric / $3::int, 2) ELSE 0 END WHERE id = $1`,
    [templateId, sum, count, usage],
  );
}

/** A caller acting as a new admin. */
export async function adminCaller(): Promise<Caller> {
  const { userId } = await signedInUser();
  await pool.query(`UPDATE users SET role = 'admin' WHERE id = $1`, [userId]);
  const user = await loadSessionUser({ db, userId, sessionVersion: 0 });
  if (!user) throw new Error("admin not loaded");
  return createCaller(await createTRPCContext({ headers: new Headers(), session: { user }, ip: "198.51.100.21" }));
}

/** A caller that is signed out. */
export async function anonymousCaller(): Promise<Caller> {
  return createCaller(await createTRPCContext({ headers: new Headers(), session: null, ip: "198.51.100.20" }));
}
