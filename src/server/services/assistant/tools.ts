/**
 * The tools Claude may call in a turn, with these names and inputs: list_files {}, read_file {path},
 * write_file {path, content}, edit_file {path, old_text, new_text}, delete_file {path}, search_files {query, mode?}.
 * Input is validated with zod (paths by the app's own rules, content by FILE_MAX_BYTES); anything refused is a tool
 * error result the model sees, and nothing is staged.
 */
import type Anthropic from "@anthropic-ai/sdk";
import { z } from "zod";
import { env } from "~/env";
import { ZFilePath } from "~/lib/paths";
import { SEARCH_MODES } from "~/lib/schemas/search";
import { mib } from "~/server/services/zip";
import type { Workspace } from "./workspace";

/** The most one tool result may hold (UTF-8 bytes), so one large file or listing cannot fill the context. */
export const TOOL_RESULT_MAX_BYTES = 64 * 1024;
/** The most files list_files names, and search results search_files answers. */
export const LIST_MAX_FILES = 1_000;
export const SEARCH_MAX_FILES = 50;

/** `text` cut to at most `max` UTF-8 bytes (never inside a character), and whether it was cut. */
export function cutToBytes(text: string, max: number): { text: string; cut: boolean } {
  const bytes = Buffer.from(text, "utf8");
  if (bytes.length <= max) return { text, cut: false };
  let end = max;
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  return { text: bytes.subarray(0, end).toString("utf8"), cut: true };
}

/** Room left for the content of a result that ends with a note of at most this many bytes. */
const NOTE_ROOM = 300;

/** Lines start..end (1-based, inclusive) of `content`, within TOOL_RESULT_MAX_BYTES, saying when it was cut. */
function readLines(path: string, content: string, start?: number, end?: number): string {
  const whole = start === undefined && end === undefined;
  if (whole && Buffer.byteLength(content, "utf8") <= TOOL_RESULT_MAX_BYTES) return content;
  const lines = content.split("\n");
  if (content.endsWith("\n")) lines.pop();
  const first = start ?? 1;
  const last = Math.min(end ?? lines.length, lines.length);
  if (first > lines.length) return `${path} has ${lines.length} lines; there is no line ${first}.`;
  const out: string[] = [];
  let bytes = 0;
  let shown = first - 1;
  for (let line = first; line <= last; line++) {
    const size = Buffer.byteLength(lines[line - 1]!, "utf8") + 1;
    if (bytes + size > TOOL_RESULT_MAX_BYTES - NOTE_ROOM) break;
    out.push(lines[line - 1]!);
    bytes += size;
    shown = line;
  }
  if (shown < first) {
    // One line alone is over the limit: its start is shown.
    const { text } = cutToBytes(lines[first - 1]!, TOOL_RESULT_MAX_BYTES - NOTE_ROOM);
    return `${text}\n[… cut: line ${first} of ${path} alone is larger than ${TOOL_RESULT_MAX_BYTES / 1024} KB; only its start is shown]`;
  }
  const body = out.join("\n") + "\n";
  if (shown < last) {
    return `${body}[… cut at the ${TOOL_RESULT_MAX_BYTES / 1024} KB a tool result may hold: lines ${first}-${shown} of ${lines.length} are shown; read on with start_line ${shown + 1}]`;
  }
  return whole ? body : `${body}[lines ${first}-${shown} of ${lines.length}]`;
}

const ZContent = z
  .string()
  .refine((value) => !value.includes("\u0000"), "content cannot contain NUL bytes")
  .refine((value) => Buffer.byteLength(value, "utf8") <= env.FILE_MAX_BYTES, {
    error: () => `content is larger than the ${mib(env.FILE_MAX_BYTES)} a file may have`,
  });

export const TOOL_INPUTS = {
  list_files: z.object({}).strict(),
  read_file: z
    .object({
      path: ZFilePath,
      start_line: z.number().int().min(1).optional(),
      end_line: z.number().int().min(1).optional(),
    })
    .strict()
    .refine((input) => !input.start_line || !input.end_line || input.end_line >= input.start_line, {
      error: "end_line must not be before start_line",
    }),
  write_file: z.object({ path: ZFilePath, content: ZContent }).strict(),
  edit_file: z
    .object({ path: ZFilePath, old_text: z.string().min(1, "old_text cannot be empty"), new_text: z.string() })
    .strict(),
  delete_file: z.object({ path: ZFilePath }).strict(),
  search_files: z.object({ query: z.string().trim().min(1).max(300), mode: z.enum(SEARCH_MODES).optional() }).strict(),
} as const;

export type ToolName = keyof typeof TOOL_INPUTS;

/** The tools as the Messages API takes them. */
export const TOOL_DEFINITIONS: Anthropic.Tool[] = [
  {
    name: "list_files",
    description: "List every file of the project with its size in bytes.",
    input_schema: { type: "object", properties: {}, additionalProperties: false },
  },
  {
    name: "read_file",
    description:
      "Read a text file of the project. Paths are relative to the project root, like src/app.tsx. A result holds at most 64 KB: for a larger file, read it in parts with start_line and end_line (1-based, inclusive).",
    input_schema: {
      type: "object",
      properties: {
        path: { type: "string", description: "Path relative to the project root" },
        start_line: { type: "integer", minimum: 1, description: "First line to read (1-based)" },
        end_line: { type: "integer", minimum: 1, description: "Last line to read (inclusive)" },
      },
      required: ["path"],
      additionalProperties: false,
    },
  },
  {
    name: "write_file",
    description: "Create a file, or replace the whole content of an existing one.",
    input_schema: {
      type: "object",
      properties: { path: { type: "string" }, content: { type: "string" } },
      required: ["path", "content"],
      additionalProperties: false,
    },
  },
  {
    name: "edit_file",
    description:
      "Replace one exact occurrence of old_text with new_text in a file. old_text must occur exactly once: include enough surrounding lines to make it unique. Prefer this to write_file for small changes.",
    input_schema: {
      type: "object",
      properties: { path: { type: "string" }, old_text: { type: "string" }, new_text: { type: "string" } },
      required: ["path", "old_text", "new_text"],
      additionalProperties: false,
    },
  },
  {
    name: "delete_file",
    description: "Delete a file of the project.",
    input_schema: {
      type: "object",
      properties: { path: { type: "string" } },
      required: ["path"],
      additionalProperties: false,
    },
  },
  {
    name: "search_files",
    description:
      "Search the project's files. mode: words (default, ranked words), exact (the text as given) or regex (a POSIX regular expression).",
    input_schema: {
      type: "object",
      properties: { query: { type: "string" }, mode: { type: "string", enum: [...SEARCH_MODES] } },
      required: ["query"],
      additionalProperties: false,
    },
  },
];

export interface ToolOutcome {
  /** What the model gets back. */
  result: string;
  ok: boolean;
  /** What the panel shows: "read src/app.tsx". */
  summary: string;
}

function pathOf(input: unknown): string {
  const path = (input as { path?: unknown } | null)?.path;
  // Shown in the panel: control and bidirectional characters of a hostile path are masked.
  return typeof path === "string"
    ? path.slice(0, 200).replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g, "?")
    : "";
}

const SUMMARIES: Record<ToolName, (path: string) => string> = {
  list_files: () => "listed the files",
  read_file: (path) => `read ${path}`,
  write_file: (path) => `wrote ${path}`,
  edit_file: (path) => `edited ${path}`,
  delete_file: (path) => `deleted ${path}`,
  search_files: () => "searched the files",
};

function countOccurrences(text: string, part: string): number {
  let count = 0;
  for (let at = text.indexOf(part); at !== -1; at = text.indexOf(part, at + part.length)) count++;
  return count;
}

/**
 * Runs one tool call against the turn's workspace; never throws for bad input (the model gets an error result).
 * A result never holds more than TOOL_RESULT_MAX_BYTES.
 */
export async function runTool(workspace: Workspace, name: string, input: unknown): Promise<ToolOutcome> {
  const outcome = await runToolUncapped(workspace, name, input);
  if (Buffer.byteLength(outcome.result, "utf8") <= TOOL_RESULT_MAX_BYTES) return outcome;
  const { text } = cutToBytes(outcome.result, TOOL_RESULT_MAX_BYTES - NOTE_ROOM);
  return { ...outcome, result: `${text}\n[… cut at the ${TOOL_RESULT_MAX_BYTES / 1024} KB a tool result may hold]` };
}

async function runToolUncapped(workspace: Workspace, name: string, input: unknown): Promise<ToolOutcome> {
  if (!(name in TOOL_INPUTS)) {
    return { result: `There is no tool named ${name}.`, ok: false, summary: `called an unknown tool ${name}` };
  }
  const tool = name as ToolName;
  const summary = SUMMARIES[tool](pathOf(input));
  const parsed = TOOL_INPUTS[tool].safeParse(input);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".") || "input"}: ${issue.message}`);
    return { result: `Invalid input, nothing was changed. ${problems.join("; ")}`, ok: false, summary };
  }
  const fail = (result: string) => ({ result, ok: false, summary });
  const done = (result: string) => ({ result, ok: true, summary });

  switch (tool) {
    case "list_files": {
      const files = await workspace.list();
      if (files.length === 0) return done("The project has no files.");
      const lines: string[] = [];
      let bytes = 0;
      for (const file of files.slice(0, LIST_MAX_FILES)) {
        const line = `${file.path} (${file.sizeBytes} bytes)`;
        bytes += Buffer.byteLength(line, "utf8") + 1;
        if (bytes > TOOL_RESULT_MAX_BYTES - NOTE_ROOM) break;
        lines.push(line);
      }
      if (lines.length < files.length) {
        lines.push(
          `[… ${files.length - lines.length} more files not listed (${files.length} in all); use search_files to find a file]`,
        );
      }
      return done(lines.join("\n"));
    }
    case "read_file": {
      const { path, start_line, end_line } = TOOL_INPUTS.read_file.parse(input);
      const file = await workspace.read(path);
      if (!file) return fail(`There is no file at ${path}.`);
      if (file.isBinary) return fail(`${path} is a binary file (${file.sizeBytes} bytes); it cannot be read as text.`);
      return done(readLines(path, file.content, start_line, end_line));
    }
    case "write_file": {
      const { path, content } = TOOL_INPUTS.write_file.parse(input);
      const existing = await workspace.read(path);
      if (existing?.isBinary) return fail(`${path} is a binary file; it cannot be replaced with text.`);
      if (!existing) {
        const clash = await workspace.clash(path);
        if (clash) return fail(`${clash} Nothing was changed; choose another path.`);
      }
      const action = await workspace.write(path, content);
      return done(`${action === "created" ? "Created" : "Replaced"} ${path} (${Buffer.byteLength(content)} bytes).`);
    }
    case "edit_file": {
      const { path, old_text, new_text } = TOOL_INPUTS.edit_file.parse(input);
      const file = await workspace.read(path);
      if (!file) return fail(`There is no file at ${path}; nothing was changed.`);
      if (file.isBinary) return fail(`${path} is a binary file; it cannot be edited as text.`);
      const count = countOccurrences(file.content, old_text);
      if (count === 0) return fail(`old_text does not occur in ${path}; nothing was changed. Read the file again.`);
      if (count > 1) {
        return fail(
          `old_text occurs ${count} times in ${path}; nothing was changed. Include more surrounding text so it occurs once.`,
        );
      }
      const at = file.content.indexOf(old_text);
      const content = file.content.slice(0, at) + new_text + file.content.slice(at + old_text.length);
      const size = ZContent.safeParse(content);
      if (!size.success) return fail(`The edit would make ${path} too large: ${size.error.issues[0]?.message}.`);
      await workspace.write(path, content);
      return done(`Edited ${path}.`);
    }
    case "delete_file": {
      const { path } = TOOL_INPUTS.delete_file.parse(input);
      if (!(await workspace.delete(path))) return fail(`There is no file at ${path}.`);
      return done(`Deleted ${path}.`);
    }
    case "search_files": {
      const { query, mode } = TOOL_INPUTS.search_files.parse(input);
      try {
        const results = await workspace.search(query, mode ?? "words");
        if (results.length === 0) return done("No matches.");
        const shown = results.slice(0, SEARCH_MAX_FILES);
        const text = shown
          .map((result) =>
            [result.path, ...result.matches.map((match) => `  ${match.line}: ${match.preview}`)].join("\n"),
          )
          .join("\n");
        const cut = cutToBytes(text, TOOL_RESULT_MAX_BYTES - NOTE_ROOM);
        if (cut.cut || shown.length < results.length) {
          return done(`${cut.text}\n[… more matches not shown: make the query more precise]`);
        }
        return done(text);
      } catch (error) {
        if (error instanceof Error && error.name === "AppError") return fail(error.message);
        throw error;
      }
    }
  }
}
