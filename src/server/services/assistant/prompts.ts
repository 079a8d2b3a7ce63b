/**
 * What a turn says to the model and to the user: the system prompts, the prompt-caching breakpoints on the
 * messages, the tool result for a tool call cut off at the output limit, and the sentences for a failed or
 * cancelled turn.
 */
import Anthropic from "@anthropic-ai/sdk";
import { IncompleteStream, MalformedToolInput } from "./model-call";
import type { RunningTurn } from "./registry";
import type { TurnStart } from "./turn-types";

/** The output limit of every model call of a turn. */
export const MAX_TOKENS = 8192;

/**
 * The messages as sent: prompt-caching breakpoints (cache_control) on the last block of the last message and of
 * the user message before it, so every call reads the prefix the previous call wrote (the API looks back at
 * most 20 blocks from a breakpoint). With the system prompt's that is 3 breakpoints; the API allows 4.
 */
export function withCacheBreakpoints(messages: Anthropic.MessageParam[]): Anthropic.MessageParam[] {
  const marked = new Set<number>([messages.length - 1]);
  for (let at = messages.length - 2; at >= 0; at--) {
    if (messages[at]!.role === "user") {
      marked.add(at);
      break;
    }
  }
  return messages.map((message, at) => {
    if (!marked.has(at) || (message.role !== "user" && message.role !== "assistant")) return message;
    const blocks: Anthropic.ContentBlockParam[] =
      typeof message.content === "string" ? [{ type: "text", text: message.content }] : [...message.content];
    const last = blocks.at(-1);
    if (!last || last.type === "thinking" || last.type === "redacted_thinking") return message;
    blocks[blocks.length - 1] = { ...last, cache_control: { type: "ephemeral" } };
    return { role: message.role, content: blocks } as Anthropic.MessageParam;
  });
}

/** The tool result for a tool call whose input the output limit cut off (it was not run). */
export const TRUNCATED_TOOL_USE =
  `Your output was cut off at the output limit (${MAX_TOKENS} tokens) in the middle of this tool call, so it was ` +
  "not run. Write smaller pieces: use edit_file for changes to an existing file, and split a large new file into " +
  "a short write_file followed by edit_file calls that add to it.";

export function systemPrompt(kind: TurnStart["kind"], projectName: string): string {
  if (kind === "project_creation") {
    return [
      `You are Claude, working inside the Vaporform web IDE. The user has just created the project "${projectName}"`,
      "and described the app they want; so far it holds only a README.md. Create the app's first files with the",
      "tools (write_file for each file; paths are relative to the project root): a small, working starting point",
      "with a sensible layout, the files it needs to run (a package manifest or similar, an entry point, a README.md",
      "saying how to run it), and no placeholder files. Keep it focused on what the user described. Your files are",
      "saved together when you finish, so the user sees them as one change they can undo. End with a short summary",
      "of what you created and how to run it.",
    ].join(" ");
  }
  return [
    `You are Claude, working inside the Vaporform web IDE on the project "${projectName}".`,
    "Use the tools to look at and change the project's files; paths are relative to the project root.",
    "Prefer edit_file with a unique old_text for small changes. Your changes are saved together when you finish,",
    "so the user sees them as one change they can review or undo. Answer briefly and say what you changed.",
  ].join(" ");
}

/** The user-facing sentence for a failed call. */
export function describeFailure(error: unknown): string {
  if (error instanceof MalformedToolInput) return error.message;
  if (error instanceof IncompleteStream) return error.message;
  if (error instanceof Anthropic.APIConnectionError) {
    return "Could not reach the Anthropic API (a network problem or a timeout). Try again.";
  }
  if (error instanceof Anthropic.APIError) {
    const body = error.error as { error?: { type?: string; message?: string } } | undefined;
    const detail = body?.error?.message ?? "";
    const type = body?.error?.type ?? error.type ?? "";
    if (error.status === undefined) {
      // An `error` event in the middle of the stream: the SDK raises it without a status.
      return `The Anthropic API stopped in the middle of its answer (${type || "error"}${detail ? `: ${detail}` : ""}). Try again.`;
    }
    if (error.status === 429) return "The Anthropic API's rate limit was reached (429). Wait a moment, then try again.";
    if (error.status === 529) return "The Anthropic API is overloaded (529). Try again in a little while.";
    if (error.status === 401 || error.status === 403) {
      return `The Anthropic API refused the key (${error.status}): check ANTHROPIC_API_KEY.`;
    }
    if (error.status >= 500) return `The Anthropic API had an internal error (${error.status}). Try again.`;
    return `The Anthropic API refused the request (${error.status}${detail ? `: ${detail}` : ""}).`;
  }
  return "Something went wrong on our side while running this turn.";
}

export function cancelMessage(turn: RunningTurn): string {
  return turn.stopping
    ? "The server was stopped during this turn; no file was changed. Ask again."
    : "Cancelled; no file was changed.";
}
