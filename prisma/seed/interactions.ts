/** Claude interactions of the demo: scripted and generated, priced and inserted. */
import type { WriteTx } from "~/server/db/write";
import { failureModes, messagePools, type DemoOwner, type ProjectKey } from "./demo-content";
import { type Model, seedUuid, createRandom, at } from "./helpers";
import type { DemoContext, ProjectState } from "./demo";

export interface InteractionRow {
  id: string;
  projectId: string;
  userId: string;
  type: "chat" | "file_modification" | "debug" | "project_creation";
  userMessage: string;
  response: string;
  contextData: Record<string, unknown>;
  affectedFiles: string[] | null;
  commands: string[] | null;
  success: boolean;
  errorMessage: string | null;
  executionTimeMs: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  cacheWrite1hTokens: number;
  model: Model;
  stopReason: string | null;
  conversationId: string;
  createdAt: Date;
}

/** Per model: fresh input tokens, output tokens and generation speed (ms per output token). */
const MODEL_SHAPES: Record<Model, { input: [number, number]; output: [number, number]; msPerToken: number }> = {
  "claude-opus-4-1": { input: [1_500, 9_000], output: [400, 4_500], msPerToken: 28 },
  "claude-sonnet-4-5": { input: [1_200, 12_000], output: [250, 5_000], msPerToken: 14 },
  "claude-haiku-4-5": { input: [600, 5_000], output: [80, 1_500], msPerToken: 6 },
};

interface InteractionInput {
  id: string;
  project: { id: string; ownerId: string };
  type: InteractionRow["type"];
  model: Model;
  userMessage: string;
  response: string;
  files: string[];
  createdAt: Date;
  conversationId: string;
  /** Position in its conversation: later turns read the cached context of earlier ones. */
  turn: number;
  forceSuccess?: boolean;
}

export function buildInteraction(random: ReturnType<typeof createRandom>, input: InteractionInput): InteractionRow {
  const shape = MODEL_SHAPES[input.model];
  const heavy = input.type === "file_modification" || input.type === "project_creation";
  const failure = input.forceSuccess || random.next() >= 0.05 ? null : random.pick(failureModes);
  const billed = failure === null || failure.billed;

  let inputTokens = random.int(...shape.input) * (heavy ? 2 : 1);
  let outputTokens = Math.round(random.int(...shape.output) * (heavy ? 1.6 : 1));
  // A conversation's first turn writes the system prompt and files to the cache; later turns read them back.
  const contextTokens = random.int(6_000, 28_000);
  const oneHourCache = input.turn === 0 && input.model === "claude-opus-4-1" && random.next() < 0.3;
  let cacheReadTokens = input.turn === 0 ? 0 : contextTokens + input.turn * random.int(1_500, 6_000);
  let cacheWriteTokens = input.turn === 0 ? (oneHourCache ? 0 : contextTokens) : random.int(300, 3_000);
  let cacheWrite1hTokens = oneHourCache ? contextTokens : 0;
  if (!billed) {
    inputTokens = 0;
    outputTokens = 0;
    cacheReadTokens = 0;
    cacheWriteTokens = 0;
    cacheWrite1hTokens = 0;
  }
  if (failure?.billed) outputTokens = Math.round(outputTokens / 3);

  const executionTimeMs =
    failure && !failure.billed
      ? failure.timeMs + random.int(0, 400)
      : random.int(400, 1_800) + outputTokens * shape.msPerToken + (heavy ? random.int(1_000, 9_000) : 0);

  const stopReason = failure
    ? failure.billed
      ? "end_turn"
      : null
    : random.weighted(
        heavy
          ? ([
              ["end_turn", 80],
              ["tool_use", 15],
              ["max_tokens", 5],
            ] as const)
          : ([
              ["end_turn", 95],
              ["max_tokens", 5],
            ] as const),
      );
  const file = input.files[0] ?? "the project";

  return {
    id: input.id,
    projectId: input.project.id,
    userId: input.project.ownerId,
    type: input.type,
    userMessage: input.userMessage,
    response: failure && !failure.billed ? "" : input.response,
    contextData: {
      turn: input.turn,
      files_in_context: input.files.slice(0, 5),
      client: "vaporform-ide",
    },
    affectedFiles: heavy ? input.files : null,
    commands:
      input.type === "file_modification" && random.next() < 0.4
        ? ["npm test"]
        : input.type === "debug"
          ? [random.pick(["npm test", "npm run build", "docker logs --tail 50 app"])]
          : null,
    success: failure === null,
    errorMessage: failure ? failure.message.replace("{file}", file) : null,
    executionTimeMs,
    inputTokens,
    outputTokens,
    cacheReadTokens,
    cacheWriteTokens,
    cacheWrite1hTokens,
    model: input.model,
    stopReason,
    conversationId: input.conversationId,
    createdAt: input.createdAt,
  };
}

/**
 * Three to six conversations a weekday and one to three a weekend day over the 60 days before today, mostly by the
 * demo user. Only offsets from today's UTC midnight are used, never the calendar or the time of day: the quiet days
 * are every 7th and 8th day back rather than the real Saturdays and Sundays, and today is left out, so every fresh
 * database gets the same rows (same count, same content, same offsets) whatever the date and the hour: a cut-off
 * at "now" would skip a session, and with it the random draws every later row depends on.
 */
export function generateInteractions(
  ctx: DemoContext,
  projects: Map<ProjectKey, ProjectState>,
  random: ReturnType<typeof createRandom>,
  nextInteractionId: () => string,
): InteractionRow[] {
  const rows: InteractionRow[] = [];
  const all = [...projects.values()];
  let conversation = 0;

  // A session starts by 21:59 and its fifth turn comes under 40 minutes later: yesterday's all end before now.
  for (let daysAgo = 60; daysAgo >= 1; daysAgo -= 1) {
    const dayStart = at(ctx.now, daysAgo, "00:00");
    const weekend = daysAgo % 7 === 0 || daysAgo % 7 === 6;
    const sessions = weekend ? random.int(1, 3) : random.int(3, 6);
    for (let s = 0; s < sessions; s += 1) {
      const owner: DemoOwner = random.next() < 0.2 ? "admin" : "demo";
      const start = new Date(dayStart.getTime() + (random.int(7, 21) * 60 + random.int(0, 59)) * 60_000);
      const candidates = all.filter(
        (p) => p.spec.owner === owner && p.createdAt.getTime() + 3_600_000 < start.getTime(),
      );
      if (candidates.length === 0) continue;
      const project = random.pick(candidates);
      const model = random.weighted([
        ["claude-sonnet-4-5", 60],
        ["claude-haiku-4-5", 25],
        ["claude-opus-4-1", 15],
      ] as const);
      const conversationId = seedUuid(`conversation:${conversation++}`);
      const turns = random.weighted([
        [1, 30],
        [2, 30],
        [3, 25],
        [4, 10],
        [5, 5],
      ] as const);
      let time = start.getTime();
      for (let turn = 0; turn < turns; turn += 1) {
        const type = random.weighted([
          ["chat", 45],
          ["file_modification", 35],
          ["debug", 20],
        ] as const);
        const files = [...project.files.keys()];
        const file = random.pick(files);
        const [message, response] = random.pick(messagePools[type]);
        rows.push(
          buildInteraction(random, {
            id: nextInteractionId(),
            project,
            type,
            model,
            userMessage: message.replaceAll("{file}", file),
            response: response.replaceAll("{file}", file),
            files:
              type === "file_modification"
                ? [file]
                : [file, random.pick(files)].filter((f, i, a) => a.indexOf(f) === i),
            createdAt: new Date(time),
            conversationId,
            turn,
          }),
        );
        time += random.int(2, 9) * 60_000 + random.int(0, 59) * 1_000;
      }
    }
  }
  return rows;
}

/**
 * Inserts the demo's interactions in one statement, from one JSON array: the rollup trigger keeps
 * claude_usage_daily from them. (Prisma's createMany binds every value of every row, and takes far longer.)
 */
export async function insertInteractions(tx: WriteTx, rows: InteractionRow[]) {
  const records = rows.map((row) => ({
    ...row,
    // total_tokens is every token of the turn, cache reads and writes included (docs/schema.md).
    totalTokens:
      row.inputTokens + row.outputTokens + row.cacheReadTokens + row.cacheWriteTokens + row.cacheWrite1hTokens,
    completedAt: new Date(row.createdAt.getTime() + row.executionTimeMs),
  }));
  // Each conversation once, named after its first turn, dated by its latest.
  await tx.$executeRaw`
    INSERT INTO claude_conversations AS c (id, project_id, user_id, title, model, created_at, updated_at)
    SELECT DISTINCT ON (r."conversationId") r."conversationId", r."projectId", r."userId", left(r."userMessage", 80),
           r."model", min(r."createdAt") OVER w, max(r."createdAt") OVER w
      FROM jsonb_to_recordset(${JSON.stringify(records)}::jsonb) AS r(
             "conversationId" uuid, "projectId" uuid, "userId" uuid, "userMessage" text, "model" text,
             "createdAt" timestamptz)
    WINDOW w AS (PARTITION BY r."conversationId")
     ORDER BY r."conversationId", r."createdAt"
    ON CONFLICT (id) DO UPDATE SET updated_at = greatest(c.updated_at, EXCLUDED.updated_at)`;
  await tx.$executeRaw`
    INSERT INTO claude_interactions (id, project_id, user_id, interaction_type, user_message, claude_response,
                                     context_data, affected_files, commands_executed, success, error_message,
                                     execution_time_ms, input_tokens, output_tokens, total_tokens, model,
                                     cache_read_tokens, cache_write_tokens, cache_write_1h_tokens, stop_reason,
                                     conversation_id, service_tier, created_at, completed_at, status)
    SELECT r."id", r."projectId", r."userId", r."type", r."userMessage", r."response", r."contextData",
           r."affectedFiles", r."commands", r."success", r."errorMessage", r."executionTimeMs", r."inputTokens",
           r."outputTokens", r."totalTokens", r."model", r."cacheReadTokens", r."cacheWriteTokens",
           r."cacheWrite1hTokens", r."stopReason", r."conversationId", 'standard', r."createdAt", r."completedAt",
           CASE WHEN r."success" THEN 'succeeded' ELSE 'failed' END
      FROM jsonb_to_recordset(${JSON.stringify(records)}::jsonb) AS r(
             "id" uuid, "projectId" uuid, "userId" uuid, "type" text, "userMessage" text, "response" text,
             "contextData" jsonb, "affectedFiles" text[], "commands" text[], "success" boolean,
             "errorMessage" text, "executionTimeMs" int, "inputTokens" int, "outputTokens" int, "totalTokens" int,
             "model" text, "cacheReadTokens" int, "cacheWriteTokens" int, "cacheWrite1hTokens" int,
             "stopReason" text, "conversationId" uuid, "createdAt" timestamptz, "completedAt" timestamptz)`;
}
