/**
 * One streamed Messages API call. The raw events are accumulated here (not by the SDK's MessageStream) so that a
 * tool input that is not valid JSON is told apart from every other failure: it is parsed strictly once its block
 * ends, and refused as MalformedToolInput.
 */
import Anthropic from "@anthropic-ai/sdk";
import type { CallUsage } from "~/lib/pricing";

export type ContentBlock =
  | { type: "text"; text: string }
  /** `truncated`: the output limit cut its input off (stop reason max_tokens); `input` is then {}. */
  | { type: "tool_use"; id: string; name: string; input: unknown; truncated?: true };

export interface CallResult {
  requestId: string | null;
  model: string;
  content: ContentBlock[];
  stopReason: string | null;
  usage: CallUsage;
  /** The call failed or was cancelled mid-way (its usage is what the API had reported until then). */
  partial?: true;
}

/** Claude sent tool input that is not JSON: the turn fails (nothing of it is written). */
export class MalformedToolInput extends Error {
  override name = "MalformedToolInput";
  constructor(
    readonly tool: string,
    readonly requestId: string | null,
  ) {
    super(`Claude sent malformed input for the tool ${tool} (not valid JSON); nothing was written.`);
  }
}

/** The stream ended before message_stop (the connection dropped). */
export class IncompleteStream extends Error {
  override name = "IncompleteStream";
}

/**
 * A call that failed or was cancelled after it started: the usage the API reported so far (message_start, and
 * message_delta when it came) and the request id, so the turn still records the tokens it was billed for.
 */
export class CallFailed extends Error {
  override name = "CallFailed";
  constructor(
    readonly call: CallResult,
    override readonly cause: unknown,
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
  }
}

type RawUsage = {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  cache_creation?: { ephemeral_5m_input_tokens?: number | null; ephemeral_1h_input_tokens?: number | null } | null;
};

/** The API's usage as our token kinds (cache writes split 5 min / 1 h; without a split they are all 5 min). */
export function callUsage(usage: RawUsage): CallUsage {
  const split = usage.cache_creation;
  return {
    inputTokens: usage.input_tokens ?? 0,
    outputTokens: usage.output_tokens ?? 0,
    cacheReadTokens: usage.cache_read_input_tokens ?? 0,
    cacheWrite5mTokens: split ? (split.ephemeral_5m_input_tokens ?? 0) : (usage.cache_creation_input_tokens ?? 0),
    cacheWrite1hTokens: split ? (split.ephemeral_1h_input_tokens ?? 0) : 0,
  };
}

export async function streamModelCall(
  client: Anthropic,
  params: Omit<Anthropic.MessageCreateParamsStreaming, "stream">,
  { signal, onText }: { signal: AbortSignal; onText: (delta: string) => void },
): Promise<CallResult> {
  let requestId: string | null = null;
  let response: Response;
  let stream: AsyncIterable<Anthropic.RawMessageStreamEvent>;
  try {
    ({ data: stream, response } = await client.messages.create({ ...params, stream: true }, { signal }).withResponse());
  } catch (error) {
    // Refused before any token (429, 529, 5xx, network): no usage, but the request id when the API sent one.
    const id = error instanceof Anthropic.APIError ? (error.requestID ?? null) : null;
    throw new CallFailed(
      { requestId: id, model: params.model, content: [], stopReason: null, usage: callUsage({}) },
      error,
    );
  }
  requestId = response.headers.get("request-id");
  const blocks: (ContentBlock & { json?: string })[] = [];
  let usage: RawUsage = {};
  let model = params.model;
  let stopReason: string | null = null;
  let stopped = false;
  // Set by readEvents (a closure, so TypeScript would not see it change a plain `let`).
  const cut: { unparsed: (ContentBlock & { json?: string }) | null } = { unparsed: null };
  const partial = (): CallResult => ({
    requestId,
    model,
    content: blocks.filter((block): block is ContentBlock => block !== undefined && block.type === "text"),
    stopReason: null,
    usage: callUsage(usage),
  });

  try {
    await readEvents();
  } catch (error) {
    throw new CallFailed(partial(), error);
  }
  // An abort ends the SDK's iteration quietly: the caller checks its signal.
  if (signal.aborted) throw new CallFailed(partial(), new Anthropic.APIUserAbortError());
  if (!stopped) {
    throw new CallFailed(
      partial(),
      new IncompleteStream("The answer from the Anthropic API ended before it was complete."),
    );
  }
  const unparsed = cut.unparsed;
  if (unparsed?.type === "tool_use") {
    const cutOff = stopReason === "max_tokens" && blocks.at(-1) === unparsed;
    if (!cutOff) throw new CallFailed(partial(), new MalformedToolInput(unparsed.name, requestId));
    unparsed.input = {};
    unparsed.truncated = true;
    delete unparsed.json;
  }
  return {
    requestId,
    model,
    content: blocks.filter((block): block is ContentBlock => block !== undefined),
    stopReason,
    usage: callUsage(usage),
  };

  async function readEvents(): Promise<void> {
    for await (const event of stream) {
      switch (event.type) {
        case "message_start":
          usage = { ...event.message.usage };
          model = event.message.model;
          break;
        case "content_block_start":
          if (event.content_block.type === "text") blocks[event.index] = { type: "text", text: "" };
          else if (event.content_block.type === "tool_use") {
            blocks[event.index] = {
              type: "tool_use",
              id: event.content_block.id,
              name: event.content_block.name,
              input: {},
              json: "",
            };
          }
          break;
        case "content_block_delta": {
          const block = blocks[event.index];
          if (event.delta.type === "text_delta" && block?.type === "text") {
            block.text += event.delta.text;
            onText(event.delta.text);
          } else if (event.delta.type === "input_json_delta" && block?.type === "tool_use") {
            block.json = (block.json ?? "") + event.delta.partial_json;
          }
          break;
        }
        case "content_block_stop": {
          const block = blocks[event.index];
          if (block?.type === "tool_use") {
            const json = block.json ?? "";
            let input: unknown;
            try {
              input = json.trim() === "" ? {} : (JSON.parse(json) as unknown);
            } catch {
              // Judged at the end: cut off by the output limit (max_tokens) it is answered as such; else malformed.
              cut.unparsed = block;
              break;
            }
            if (input === null || typeof input !== "object" || Array.isArray(input)) {
              throw new MalformedToolInput(block.name, requestId);
            }
            block.input = input;
            delete block.json;
          }
          break;
        }
        case "message_delta": {
          stopReason = event.delta.stop_reason;
          // Counters in message_delta are whole-message totals: they replace, never add.
          const delta = event.usage as RawUsage;
          usage = {
            ...usage,
            output_tokens: delta.output_tokens ?? usage.output_tokens,
            ...(delta.input_tokens != null ? { input_tokens: delta.input_tokens } : {}),
            ...(delta.cache_read_input_tokens != null
              ? { cache_read_input_tokens: delta.cache_read_input_tokens }
              : {}),
            ...(delta.cache_creation_input_tokens != null
              ? { cache_creation_input_tokens: delta.cache_creation_input_tokens }
              : {}),
            ...(delta.cache_creation != null ? { cache_creation: delta.cache_creation } : {}),
          };
          break;
        }
        case "message_stop":
          stopped = true;
          break;
      }
    }
  }
}
