/**
 * A fake Anthropic Messages API for tests: `POST /v1/messages` on loopback answers, one request at a time, the
 * next response scripted by the test, streamed as server-sent events exactly as the API sends them
 * (`message_start` with usage, `content_block_start` / `content_block_delta` (`text_delta`, `input_json_delta`) /
 * `content_block_stop`, `message_delta` with the stop reason and usage, `message_stop`; every frame with its
 * `event:` line), or an error status (429, 529, 500) with the API's error body, or an `event: error` frame in the
 * middle of a stream. With nothing scripted it answers one short text.
 *
 * In-process: `const fake = await startFakeAnthropic()`, then `fake.script(...)`, `fake.requests`, `fake.close()`.
 * Over HTTP (Playwright; `tsx test/support/fake-anthropic.ts --port 3222`): `POST /__script` with a JSON array of
 * responses appends them, `POST /__reset` empties the script and the log, `GET /__requests` answers the log.
 * Specs running in parallel each script their own queue: `POST /__script?match=<text>` appends to a queue that only
 * requests whose body contains <text> (e.g. the test's prompt) take from, and `POST /__reset?match=<text>` empties
 * just that queue. Requests matching no queue take from the default one.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";

export interface FakeUsage {
  input_tokens?: number;
  output_tokens?: number;
  cache_read_input_tokens?: number;
  /** Sent as `cache_creation_input_tokens` and, with `cache_write_1h`, as the `cache_creation` split. */
  cache_write_5m?: number;
  cache_write_1h?: number;
  /** false: leave out the `cache_creation` split (older API answers: only `cache_creation_input_tokens`). */
  split?: boolean;
}

export type FakeBlock =
  | { type: "text"; text: string }
  /** `input` is sent as JSON in a few `input_json_delta` chunks; `rawJson` is sent as is (malformed on purpose). */
  | { type: "tool_use"; name: string; id?: string; input?: unknown; rawJson?: string };

export type FakeResponse =
  | {
      kind?: "message";
      blocks: FakeBlock[];
      stopReason?: "end_turn" | "tool_use" | "max_tokens" | "stop_sequence" | "refusal";
      usage?: FakeUsage;
      requestId?: string;
      /**
       * Stop after the first text delta and keep the connection open until the client goes away or `release()`
       * is called (a turn that is still streaming, to cancel it or watch it live).
       */
      hold?: boolean;
    }
  | {
      kind: "status";
      status: number;
      errorType?: string;
      message?: string;
      /** The API's `x-should-retry` header: false (the default here) keeps the SDK from retrying. */
      shouldRetry?: boolean;
      requestId?: string;
    }
  | {
      /** Streams `blocks` (message_start with `usage` first), then an `event: error` frame, then closes. */
      kind: "stream-error";
      blocks?: FakeBlock[];
      usage?: FakeUsage;
      errorType?: string;
      message?: string;
      requestId?: string;
    };

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
}

export interface FakeAnthropic {
  url: string;
  port: number;
  requests: RecordedRequest[];
  script(...responses: FakeResponse[]): void;
  /** Lets held responses (`hold: true`) finish their stream. */
  release(): void;
  /** Resolves once a held response has sent its first delta (the turn is streaming). */
  held(): Promise<void>;
  reset(): void;
  close(): Promise<void>;
}

const ERROR_TYPES: Record<number, string> = {
  400: "invalid_request_error",
  401: "authentication_error",
  429: "rate_limit_error",
  500: "api_error",
  529: "overloaded_error",
};

let counter = 0;
const nextId = (prefix: string) => `${prefix}_fake${(++counter).toString(36).padStart(6, "0")}`;

function frame(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

function usageOf(usage: FakeUsage | undefined, phase: "start" | "delta") {
  const u = usage ?? {};
  const write5m = u.cache_write_5m ?? 0;
  const write1h = u.cache_write_1h ?? 0;
  return {
    input_tokens: u.input_tokens ?? 10,
    cache_creation_input_tokens: write5m + write1h,
    cache_read_input_tokens: u.cache_read_input_tokens ?? 0,
    ...(u.split === false
      ? {}
      : { cache_creation: { ephemeral_5m_input_tokens: write5m, ephemeral_1h_input_tokens: write1h } }),
    // message_start carries the output so far (1); message_delta the final count.
    output_tokens: phase === "start" ? 1 : (u.output_tokens ?? 5),
  };
}

/** Splits a string in up to `parts` pieces (deltas arrive in chunks, JSON cut anywhere). */
function chunks(text: string, parts = 3): string[] {
  if (text.length <= 1) return [text];
  const size = Math.ceil(text.length / parts);
  const out: string[] = [];
  for (let at = 0; at < text.length; at += size) out.push(text.slice(at, at + size));
  return out;
}

export async function startFakeAnthropic(options: { port?: number; host?: string } = {}): Promise<FakeAnthropic> {
  const queue: FakeResponse[] = [];
  /** Queues by the text a request's body must contain to take from them (`?match=`), oldest first. */
  const matched = new Map<string, FakeResponse[]>();
  const requests: RecordedRequest[] = [];
  const nextResponse = (body: string): FakeResponse | undefined => {
    for (const [needle, responses] of matched) {
      if (body.includes(needle) && responses.length > 0) return responses.shift();
    }
    return queue.shift();
  };
  let releaseHeld: (() => void)[] = [];
  let heldWaiters: (() => void)[] = [];
  let heldCount = 0;

  const sendMessage = async (
    req: http.IncomingMessage,
    res: http.ServerResponse,
    model: string,
    response: Extract<FakeResponse, { blocks?: FakeBlock[] }>,
    streamError: { errorType: string; message: string } | null,
  ) => {
    const requestId = response.requestId ?? nextId("req");
    res.writeHead(200, {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache",
      "request-id": requestId,
    });
    const write = (event: string, data: unknown) => res.write(frame(event, data));
    write("message_start", {
      type: "message_start",
      message: {
        id: nextId("msg"),
        type: "message",
        role: "assistant",
        model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: usageOf(response.usage, "start"),
      },
    });
    write("ping", { type: "ping" });
    const blocks = response.blocks ?? [];
    const hold = "hold" in response && response.hold === true;
    let held = false;
    for (const [index, block] of blocks.entries()) {
      if (block.type === "text") {
        write("content_block_start", { type: "content_block_start", index, content_block: { type: "text", text: "" } });
        for (const piece of chunks(block.text)) {
          write("content_block_delta", {
            type: "content_block_delta",
            index,
            delta: { type: "text_delta", text: piece },
          });
          if (hold && !held) {
            held = true;
            heldCount++;
            for (const waiter of heldWaiters) waiter();
            heldWaiters = [];
            const closed = new Promise<void>((resolve) => {
              req.socket.once("close", resolve);
              releaseHeld.push(resolve);
            });
            await closed;
            if (res.destroyed || req.socket.destroyed) return;
          }
        }
      } else {
        const json = block.rawJson ?? JSON.stringify(block.input ?? {});
        write("content_block_start", {
          type: "content_block_start",
          index,
          content_block: { type: "tool_use", id: block.id ?? nextId("toolu"), name: block.name, input: {} },
        });
        for (const piece of chunks(json)) {
          write("content_block_delta", {
            type: "content_block_delta",
            index,
            delta: { type: "input_json_delta", partial_json: piece },
          });
        }
      }
      write("content_block_stop", { type: "content_block_stop", index });
    }
    if (streamError) {
      write("error", { type: "error", error: { type: streamError.errorType, message: streamError.message } });
      res.end();
      return;
    }
    const stopReason =
      ("stopReason" in response ? response.stopReason : undefined) ??
      (blocks.some((block) => block.type === "tool_use") ? "tool_use" : "end_turn");
    write("message_delta", {
      type: "message_delta",
      delta: { stop_reason: stopReason, stop_sequence: null },
      usage: usageOf(response.usage, "delta"),
    });
    write("message_stop", { type: "message_stop" });
    res.end();
  };

  const server = http.createServer((req, res) => {
    const body: Buffer[] = [];
    req.on("data", (chunk: Buffer) => body.push(chunk));
    req.on("end", () => {
      void (async () => {
        const text = Buffer.concat(body).toString("utf8");
        const url = new URL(req.url ?? "/", "http://fake");
        const match = url.searchParams.get("match");
        if (url.pathname === "/__requests" && req.method === "GET") {
          res.writeHead(200, { "content-type": "application/json" });
          res.end(
            JSON.stringify(
              match ? requests.filter((request) => JSON.stringify(request.body).includes(match)) : requests,
            ),
          );
          return;
        }
        if (url.pathname === "/__script" && req.method === "POST") {
          const added = JSON.parse(text) as FakeResponse[];
          const target = match ? (matched.get(match) ?? []) : queue;
          target.push(...added);
          if (match) matched.set(match, target);
          res.writeHead(200, { "content-type": "application/json" });
          res.end(JSON.stringify({ queued: target.length }));
          return;
        }
        if (url.pathname === "/__reset" && req.method === "POST" && match) {
          matched.delete(match);
          res.writeHead(200, { "content-type": "application/json" });
          res.end("{}");
          return;
        }
        if (url.pathname === "/__reset" && req.method === "POST") {
          queue.length = 0;
          matched.clear();
          requests.length = 0;
          res.writeHead(200, { "content-type": "application/json" });
          res.end("{}");
          return;
        }
        if (url.pathname !== "/v1/messages" || req.method !== "POST") {
          res.writeHead(404, { "content-type": "application/json" });
          res.end(JSON.stringify({ type: "error", error: { type: "not_found_error", message: "Not found" } }));
          return;
        }
        let parsed: { model?: string } & Record<string, unknown> = {};
        try {
          parsed = JSON.parse(text) as typeof parsed;
        } catch {
          // recorded as the raw text below
        }
        requests.push({ method: req.method, path: url.pathname, headers: req.headers, body: text ? parsed : null });
        const response = nextResponse(text) ?? { blocks: [{ type: "text", text: "Hello from the fake Claude." }] };
        const model = typeof parsed.model === "string" ? parsed.model : "claude-fake";
        if (response.kind === "status") {
          const requestId = response.requestId ?? nextId("req");
          res.writeHead(response.status, {
            "content-type": "application/json",
            "request-id": requestId,
            "x-should-retry": String(response.shouldRetry ?? false),
          });
          res.end(
            JSON.stringify({
              type: "error",
              error: {
                type: response.errorType ?? ERROR_TYPES[response.status] ?? "api_error",
                message: response.message ?? `Fake error ${response.status}`,
              },
              request_id: requestId,
            }),
          );
          return;
        }
        if (response.kind === "stream-error") {
          await sendMessage(req, res, model, response, {
            errorType: response.errorType ?? "overloaded_error",
            message: response.message ?? "Overloaded",
          });
          return;
        }
        await sendMessage(req, res, model, response, null);
      })().catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500);
        res.end(String(error));
      });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    script: (...responses) => queue.push(...responses),
    release: () => {
      const waiting = releaseHeld;
      releaseHeld = [];
      for (const resolve of waiting) resolve();
    },
    held: () =>
      new Promise<void>((resolve) => {
        if (heldCount > 0) {
          heldCount--;
          resolve();
        } else {
          heldWaiters.push(() => {
            heldCount--;
            resolve();
          });
        }
      }),
    reset: () => {
      queue.length = 0;
      requests.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const resolve of releaseHeld) resolve();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// As a command: `tsx test/support/fake-anthropic.ts --port 3222` (Playwright's second web server).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const at = process.argv.indexOf("--port");
  const port = at >= 0 ? Number(process.argv[at + 1]) : Number(process.env.FAKE_ANTHROPIC_PORT ?? 0);
  const fake = await startFakeAnthropic({ port });
  console.log(`fake Anthropic API listening on ${fake.url}`);
  const stop = () => void fake.close().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
