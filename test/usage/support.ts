import { randomBytes } from "node:crypto";
import { createCaller } from "~/server/api/root";
import { createTRPCContext } from "~/server/api/trpc";
import type { Session } from "~/server/auth/session";
import { loadSessionUser } from "~/server/auth/session-user";
import { db } from "~/server/db/client";
import { pool } from "../db";

export type Caller = ReturnType<typeof createCaller>;

export function tag(): string {
  return randomBytes(4).toString("hex");
}

/** A new user (admin or not, premium or not) with a session and a caller acting as them. */
export async function person(options: { role?: "user" | "admin"; premium?: boolean } = {}) {
  const t = tag();
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO users (email, username, full_name, password_hash, role, is_premium)
     VALUES ($1, $2, $3, 'x', $4, $5) RETURNING id`,
    [`usage-${t}@example.com`, `usage_${t}`, `Usage ${t}`, options.role ?? "user", options.premium ?? false],
  );
  const user = await loadSessionUser({ db, userId: rows[0]!.id, sessionVersion: 0 });
  if (!user) throw new Error("user not loaded");
  const session: Session = { user };
  const api = createCaller(await createTRPCContext({ headers: new Headers(), session, ip: "198.51.100.21" }));
  return { userId: user.id, session, api };
}

export async function project(userId: string): Promise<string> {
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO projects (user_id, name, description, tech_stack) VALUES ($1, $2, 'p', '{}') RETURNING id`,
    [userId, `usage-${tag()}`],
  );
  return rows[0]!.id;
}

export interface InteractionValues {
  model?: string;
  type?: string;
  createdAt?: string;
  input?: number;
  output?: number;
  cacheRead?: number;
  cacheWrite?: number;
  cacheWrite1h?: number;
  ms?: number;
  success?: boolean;
  status?: "running" | "succeeded" | "failed" | "cancelled";
  costUsd?: string | null;
  priceId?: string | null;
  calls?: unknown;
}

/** A finished interaction row, written as the assistant writes one (cost stored, price row named). */
export async function interaction(projectId: string, userId: string, v: InteractionValues = {}): Promise<string> {
  const success = v.success ?? true;
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO claude_interactions (project_id, user_id, interaction_type, user_message, claude_response, model,
                                      success, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens,
                                      cache_write_1h_tokens, total_tokens, execution_time_ms, created_at, status,
                                      cost_usd, price_id, context_data)
     VALUES ($1, $2, $3, 'hi', 'hello', $4, $5, $6::int, $7::int, $8::int, $9::int, $10::int, $6::int + $7::int + $8::int + $9::int + $10::int, $11,
             COALESCE($12::timestamptz, now()), $13, $14::numeric, $15::uuid, $16::jsonb)
     RETURNING id`,
    [
      projectId,
      userId,
      v.type ?? "chat",
      v.model ?? "claude-test",
      success,
      v.input ?? 100,
      v.output ?? 50,
      v.cacheRead ?? 0,
      v.cacheWrite ?? 0,
      v.cacheWrite1h ?? 0,
      v.ms ?? 1000,
      v.createdAt ?? null,
      v.status ?? (success ? "succeeded" : "failed"),
      v.costUsd ?? null,
      v.priceId ?? null,
      JSON.stringify(v.calls === undefined ? {} : { calls: v.calls }),
    ],
  );
  return rows[0]!.id;
}

/** The rollup of everything, and the same computed from the raw table: they must be equal. */
export async function rollupVersusRaw() {
  const rollup = await pool.query(
    `SELECT COALESCE(sum(interactions), 0)::text AS turns, COALESCE(sum(cost_usd), 0)::numeric(18,6)::text AS cost,
            COALESCE(sum(input_tokens + output_tokens + cache_read_tokens + cache_write_tokens + cache_write_1h_tokens), 0)::text AS tokens,
            COALESCE(sum(unpriced_interactions), 0)::text AS unpriced
       FROM claude_usage_daily`,
  );
  const raw = await pool.query(
    `SELECT count(*)::text AS turns, COALESCE(sum(COALESCE(cost_usd, 0)), 0)::numeric(18,6)::text AS cost,
            COALESCE(sum(COALESCE(input_tokens, 0) + COALESCE(output_tokens, 0) + cache_read_tokens + cache_write_tokens + cache_write_1h_tokens), 0)::text AS tokens,
            count(*) FILTER (WHERE cost_usd IS NULL)::text AS unpriced
       FROM claude_interactions WHERE status <> 'running'`,
  );
  return { rollup: rollup.rows[0] as Record<string, string>, raw: raw.rows[0] as Record<string, string> };
}
