import { afterAll, beforeAll, beforeEach } from "vitest";
import { env } from "~/env";
import { runningTurn } from "~/server/services/assistant";
import { pool } from "../db";
import { signedInUser, type Caller } from "../files/support";
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

/** The list prices of MODEL in the tests (input 2, output 10, 5-min write 2.5, 1-h write 4, read 0.2 per MTok). */
export async function priceTestModel(): Promise<void> {
  await pool.query(
    `INSERT INTO model_prices (model, effective_from, input_per_mtok, output_per_mtok, cache_write_per_mtok,
                               cache_write_1h_per_mtok, cache_read_per_mtok)
     VALUES ($1, '2026-01-01T00:00:00Z', 2, 10, 2.5, 4, 0.2)`,
    [MODEL],
  );
}

/**
 * A suite against the fake Messages API, signed in as a new user: the fake starts before the tests (and MODEL is
 * priced when `priced`), its script and log are emptied before each test, and it stops after them. Read the fields
 * inside tests (they are set in beforeAll).
 */
export function assistantSuite(options: { priced?: boolean } = {}) {
  const suite = {} as { fake: FakeAnthropic; api: Caller; userId: string };
  beforeAll(async () => {
    suite.fake = await fakeClaude();
    const user = await signedInUser();
    suite.api = user.api;
    suite.userId = user.userId;
    if (options.priced) await priceTestModel();
  });
  afterAll(async () => {
    await suite.fake.close();
  });
  beforeEach(() => suite.fake.reset());
  return suite;
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
