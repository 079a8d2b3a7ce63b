import { env } from "~/env";
import { runningTurn } from "~/server/services/assistant";
import { pool } from "../db";
import { startFakeAnthropic, type FakeAnthropic, type FakeBlock, type FakeUsage } from "../support/fake-anthropic";

export const MODEL = "claude-sonnet-5-5";
export const API_KEY = "sk-ant-test-key";

/** Starts the fake Messages API and points the app's client at it (env is read when the client is built). */
export async function fakeClaude(): Promise<FakeAnthropic> {
  const fake = await startFakeAnthropic();
  env.ANTHROPIC_API_KEY = API_KEY;
  env.ANTHROPIC_BASE_URL = fake.url;
  return fake;
}

/** Waits until the turn has been recorded (it runs in this process). */
export async function settled(interactionId: string): Promise<void> {
  await runningTurn(interactionId)?.finished;
}

export const text = (value: string): FakeBlock => ({ type: "text", text: value });
export const tool = (name: string, input: unknown): FakeBlock => ({ type: "tool_use", name, input });
export const usage = (values: FakeUsage): FakeUsage => values;

/** The interaction row as stored. */
export async function interaction(id: string) {
  const { rows } = await pool.query(
    `SELECT i.*, i.cost_usd::text AS cost_text FROM claude_interactions i WHERE i.id = $1`,
    [id],
  );
  return rows[0] as Record<string, unknown> & { context_data: Record<string, unknown> };
}

/** The live file at `path` (content and flags), or undefined. */
export async function liveFile(projectId: string, path: string) {
  const { rows } = await pool.query<{ id: string; content: string; version: number; is_generated: boolean }>(
    `SELECT id, content, version, is_generated FROM project_files WHERE project_id = $1 AND file_path = $2`,
    [projectId, path],
  );
  return rows[0];
}

/** The tool_result blocks the app sent back in request `index` of the fake's log. */
export function toolResults(fake: FakeAnthropic, index: number) {
  const body = fake.requests[index]?.body as { messages: { role: string; content: unknown }[] };
  const last = body.messages.at(-1)!;
  return (last.content as { type: string; content: string; is_error?: boolean }[]).filter(
    (block) => block.type === "tool_result",
  );
}
