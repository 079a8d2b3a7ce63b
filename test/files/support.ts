import { randomBytes } from "node:crypto";
import type { TRPCError } from "@trpc/server";
import type pg from "pg";
import { expect } from "vitest";
import { createCaller } from "~/server/api/root";
import { createTRPCContext } from "~/server/api/trpc";
import type { Session } from "~/server/auth/session";
import { loadSessionUser } from "~/server/auth/session-user";
import { db } from "~/server/db/client";
import { pool } from "../db";
import { trpcError as failure } from "../support/trpc";

export type Caller = ReturnType<typeof createCaller>;

/** A new user with a session, and a caller acting as that user. */
export async function signedInUser(): Promise<{ session: Session; api: Caller; userId: string }> {
  const tag = randomBytes(4).toString("hex");
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO users (email, username, full_name, password_hash) VALUES ($1, $2, $3, 'x') RETURNING id`,
    [`files-${tag}@example.com`, `files_${tag}`, `Files ${tag}`],
  );
  const user = await loadSessionUser({ db, userId: rows[0]!.id, sessionVersion: 0 });
  if (!user) throw new Error("user not loaded");
  const session = { user };
  const api = createCaller(await createTRPCContext({ headers: new Headers(), session, ip: "198.51.100.9" }));
  return { session, api, userId: user.id };
}

/** A blank project of the caller (it starts with a README.md). */
export async function newProject(api: Caller, name = `Project ${randomBytes(3).toString("hex")}`): Promise<string> {
  return (await api.project.create({ name })).id;
}

export { failure };

export async function expectFailure(
  promise: Promise<unknown>,
  code: TRPCError["code"],
  message?: RegExp,
): Promise<TRPCError> {
  const error = await failure(promise);
  expect(error.code, error.message).toBe(code);
  if (message) expect(error.message).toMatch(message);
  return error;
}

/** Everything a write could change about a project: files, versions, activity, counters (on `on`'s database). */
export async function projectState(projectId: string, on: Pick<pg.Pool, "query"> = pool) {
  const { rows } = await on.query(
    `SELECT (SELECT json_agg(json_build_object('path', file_path, 'version', version, 'hash', content_hash) ORDER BY file_path)
               FROM project_files WHERE project_id = $1) AS files,
            (SELECT count(*)::int FROM project_file_versions WHERE project_id = $1) AS versions,
            (SELECT count(*)::int FROM project_activity WHERE project_id = $1) AS activity,
            p.total_files, p.total_size_bytes::text
       FROM projects p WHERE p.id = $1`,
    [projectId],
  );
  return rows[0] as Record<string, unknown>;
}
