import { randomUUID } from "node:crypto";
import type pg from "pg";
import { pool } from "../db";

/** A pool or a client inside a transaction: both run the same raw SQL. */
export type Db = Pick<pg.PoolClient, "query">;

export const db: Db = pool as unknown as Db;

export function suffix(): string {
  return randomUUID().slice(0, 8);
}

/** Runs `sql` and returns its rows. */
export async function rows<R extends pg.QueryResultRow>(conn: Db, sql: string, values: unknown[] = []): Promise<R[]> {
  const result = await conn.query<R>(sql, values);
  return result.rows;
}

/** Runs `sql` and returns its only row (failing when there is none). */
export async function one<R extends pg.QueryResultRow>(conn: Db, sql: string, values: unknown[] = []): Promise<R> {
  const [row] = await rows<R>(conn, sql, values);
  if (!row) throw new Error(`expected one row from: ${sql}`);
  return row;
}

export async function createUser(conn: Db = db): Promise<{ id: string; email: string; username: string }> {
  const tag = suffix();
  return one(
    conn,
    `INSERT INTO users (email, username, full_name, password_hash)
     VALUES ($1, $2, 'Test User', 'not-a-hash') RETURNING id, email::text, username::text`,
    [`user-${tag}@example.com`, `user_${tag}`],
  );
}

export async function createTemplate(conn: Db = db, createdBy: string | null = null): Promise<string> {
  const row = await one<{ id: string }>(
    conn,
    `INSERT INTO project_templates (created_by, name, description, category, tech_stack, file_structure)
     VALUES ($1, $2, 'A template', 'web-app', '{"frontend":"next"}', '{}') RETURNING id`,
    [createdBy, `template-${suffix()}`],
  );
  return row.id;
}

export async function createProject(
  conn: Db = db,
  userId?: string,
  options: { templateId?: string; environmentVars?: unknown } = {},
): Promise<{ id: string; userId: string }> {
  const owner = userId ?? (await createUser(conn)).id;
  const row = await one<{ id: string }>(
    conn,
    `INSERT INTO projects (user_id, name, description, tech_stack, template_id, environment_vars)
     VALUES ($1, $2, 'A project', '{"frontend":"next"}', $3, COALESCE($4::jsonb, '{}'::jsonb)) RETURNING id`,
    [
      owner,
      `project-${suffix()}`,
      options.templateId ?? null,
      options.environmentVars === undefined ? null : JSON.stringify(options.environmentVars),
    ],
  );
  return { id: row.id, userId: owner };
}

export interface FileInput {
  path: string;
  content?: string;
  sizeBytes?: number;
  createdBy?: string | null;
  updatedBy?: string | null;
  isBinary?: boolean;
  encoding?: string;
}

/** Inserts one file (size defaults to the content's UTF-8 length) and returns its id. */
export async function insertFile(conn: Db, projectId: string, file: FileInput): Promise<string> {
  const content = file.content ?? `// ${file.path}\n`;
  const row = await one<{ id: string }>(
    conn,
    `INSERT INTO project_files (project_id, file_path, file_name, content, size_bytes, created_by, updated_by,
                                is_binary, encoding)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
    [
      projectId,
      file.path,
      file.path.split("/").pop() ?? file.path,
      content,
      file.sizeBytes ?? Buffer.byteLength(content),
      file.createdBy ?? null,
      file.updatedBy ?? null,
      file.isBinary ?? false,
      file.encoding ?? (file.isBinary ? "base64" : "utf-8"),
    ],
  );
  return row.id;
}

export async function projectStats(conn: Db, projectId: string) {
  return one<{ total_files: number; total_size_bytes: string; real_files: number; real_size: string }>(
    conn,
    `SELECT p.total_files, p.total_size_bytes::text,
            (SELECT count(*)::int FROM project_files f WHERE f.project_id = p.id) AS real_files,
            (SELECT COALESCE(sum(size_bytes), 0)::text FROM project_files f WHERE f.project_id = p.id) AS real_size
       FROM projects p WHERE p.id = $1`,
    [projectId],
  );
}

/** Sets the transaction-local actor context read by the triggers (as withWrite in src/server/db/write.ts does). */
export async function setActor(
  conn: Db,
  actor: { userId?: string | null; source?: string; interactionId?: string | null },
): Promise<void> {
  await conn.query(
    `SELECT set_config('vaporform.actor_id', $1, true), set_config('vaporform.source_type', $2, true),
            set_config('vaporform.interaction_id', $3, true)`,
    [actor.userId ?? "", actor.source ?? "", actor.interactionId ?? ""],
  );
}

export async function createInteraction(
  conn: Db,
  projectId: string,
  userId: string,
  values: Partial<{
    type: string;
    model: string;
    success: boolean;
    inputTokens: number;
    outputTokens: number;
    cacheReadTokens: number;
    cacheWriteTokens: number;
    cacheWrite1hTokens: number;
    executionTimeMs: number;
    createdAt: string;
    status: "running" | "succeeded" | "failed" | "cancelled";
    costUsd: string | null;
  }> = {},
): Promise<string> {
  const success = values.success ?? true;
  const row = await one<{ id: string }>(
    conn,
    `INSERT INTO claude_interactions (project_id, user_id, interaction_type, user_message, claude_response, model,
                                      success, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens,
                                      cache_write_1h_tokens, execution_time_ms, created_at, status, cost_usd)
     VALUES ($1, $2, $3, 'hi', 'hello', $4, $5, $6, $7, $8, $9, $10, $11, COALESCE($12::timestamptz, now()), $13, $14)
     RETURNING id`,
    [
      projectId,
      userId,
      values.type ?? "chat",
      values.model ?? "claude-test",
      success,
      values.inputTokens ?? 100,
      values.outputTokens ?? 50,
      values.cacheReadTokens ?? 0,
      values.cacheWriteTokens ?? 0,
      values.cacheWrite1hTokens ?? 0,
      values.executionTimeMs ?? 1000,
      values.createdAt ?? null,
      values.status ?? (success ? "succeeded" : "failed"),
      values.costUsd ?? null,
    ],
  );
  return row.id;
}

/** Expects `promise` to fail with the given SQLSTATE (e.g. 23505 unique_violation, 23514 check_violation). */
export async function expectSqlState(promise: Promise<unknown>, code: string): Promise<void> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  if (!caught) throw new Error(`expected SQLSTATE ${code}, but the statement succeeded`);
  const actual = (caught as { code?: string }).code;
  if (actual !== code) throw new Error(`expected SQLSTATE ${code}, got ${actual ?? "none"}: ${String(caught)}`);
}
