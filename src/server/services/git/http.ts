/**
 * The HTTP client isomorphic-git talks to remotes through (in place of `isomorphic-git/http/node`): every
 * request's URL is checked by src/server/net/outbound.ts (http(s) only, its address public unless
 * OUTBOUND_ALLOW_PRIVATE) and the connection pinned to the checked address; no redirect is followed; the bytes of
 * all responses of one operation are counted as they arrive, and the download stops at the limit (a repository
 * over the limits stops while it downloads); an abort signal (a cancel) stops the request in flight.
 */
import http from "node:http";
import https from "node:https";
import { isIP } from "node:net";
import type { GitHttpRequest, GitHttpResponse, HttpClient } from "isomorphic-git";
import { env } from "~/env";
import { resolveOutbound } from "~/server/net/outbound";
import { checkPack, packOfUploadResponse, type PackLimits, type PackTally } from "./pack-check";

/** The download went past its byte limit. */
export class DownloadTooLarge extends Error {
  override name = "DownloadTooLarge";
  constructor(readonly limit: number) {
    super("The download is larger than its limit.");
  }
}

/** No answer within the time allowed. */
export class GitTimeout extends Error {
  override name = "GitTimeout";
  constructor() {
    super("The remote did not answer in time.");
  }
}

export interface GitHttpOptions {
  /** The most response bytes all the requests of this client may read together. */
  maxBytes: number;
  /** Stops the request in flight (its reason is thrown). */
  signal?: AbortSignal;
  /** Called with the bytes read so far, as they arrive. */
  onBytes?: (loaded: number) => void;
  /** The longest silence of a connection (default 30 s). */
  idleTimeoutMs?: number;
  /** All the requests of this client together, first byte to last (default GIT_OPERATION_MAX_MS). */
  totalTimeoutMs?: number;
  /** What the fetched packs may unpack to (default packLimits()). */
  pack?: PackLimits;
}

/**
 * What the packs of one operation may unpack to: one object at most the import's total (no file the import takes
 * is larger), all of them four times it (a pull's history holds older versions too), and twenty objects per file
 * the import allows (trees, commits, history).
 */
export function packLimits(): PackLimits {
  return {
    maxObjectBytes: env.IMPORT_MAX_TOTAL_BYTES,
    maxUnpackedBytes: 4 * env.IMPORT_MAX_TOTAL_BYTES,
    maxObjects: 20 * env.IMPORT_MAX_FILES,
  };
}

/** The longest a git operation's network work may take, so a remote dripping bytes cannot hold it for hours. */
export const GIT_OPERATION_MAX_MS = 15 * 60 * 1000;

async function collect(body: AsyncIterableIterator<Uint8Array> | undefined): Promise<Buffer | undefined> {
  if (!body) return undefined;
  const chunks: Uint8Array[] = [];
  for await (const chunk of body) chunks.push(chunk);
  return Buffer.concat(chunks);
}

function bareHost(hostname: string): string {
  return hostname.startsWith("[") && hostname.endsWith("]") ? hostname.slice(1, -1) : hostname;
}

/** A client for one operation: its byte budget is shared by every request it makes. */
export function guardedGitHttp(options: GitHttpOptions): HttpClient & { loaded: () => number } {
  let loaded = 0;
  const limits = options.pack ?? packLimits();
  const tally: PackTally = { objects: 0, unpacked: 0 };
  const idleTimeoutMs = options.idleTimeoutMs ?? 30_000;
  const deadline = Date.now() + (options.totalTimeoutMs ?? GIT_OPERATION_MAX_MS);
  const assertInTime = () => {
    if (Date.now() > deadline) throw new GitTimeout();
  };

  async function request(req: GitHttpRequest): Promise<GitHttpResponse> {
    options.signal?.throwIfAborted();
    assertInTime();
    const { url, address, family } = await resolveOutbound(req.url);
    // Sent whole: git's request bodies (the wants, a push's pack) are made by us and bounded by the project.
    const body = await collect(req.body);
    const client = url.protocol === "https:" ? https : http;
    const response = await new Promise<http.IncomingMessage>((resolve, reject) => {
      const outgoing = client.request(url, {
        method: req.method ?? "GET",
        headers: { "user-agent": "git/isomorphic-git (Vaporform)", ...req.headers },
        lookup: (_host, lookupOptions, callback) =>
          lookupOptions.all ? callback(null, [{ address, family }]) : callback(null, address, family),
        servername: isIP(bareHost(url.hostname)) ? undefined : bareHost(url.hostname),
        agent: false,
        signal: options.signal,
      });
      outgoing.setTimeout(idleTimeoutMs, () => outgoing.destroy(new GitTimeout()));
      outgoing.on("response", resolve);
      outgoing.on("error", (error) => reject(options.signal?.aborted ? options.signal.reason : error));
      outgoing.end(body);
    });
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(response.headers)) {
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(", ") : value;
    }
    // A fetch's pack is checked whole before isomorphic-git reads any of it (./pack-check.ts).
    const fetchesPack =
      req.method === "POST" && url.pathname.endsWith("/git-upload-pack") && response.statusCode === 200;
    return {
      url: url.toString(),
      method: req.method ?? "GET",
      statusCode: response.statusCode ?? 0,
      statusMessage: response.statusMessage ?? "",
      headers,
      body: fetchesPack ? checkedPack(countBytes(response)) : countBytes(response),
    };
  }

  async function* checkedPack(body: AsyncIterableIterator<Uint8Array>): AsyncIterableIterator<Uint8Array> {
    const whole = (await collect(body)) ?? Buffer.alloc(0);
    const pack = packOfUploadResponse(whole);
    if (pack) checkPack(pack, limits, tally);
    options.signal?.throwIfAborted();
    yield new Uint8Array(whole.buffer, whole.byteOffset, whole.byteLength);
  }

  async function* countBytes(response: http.IncomingMessage): AsyncIterableIterator<Uint8Array> {
    try {
      for await (const chunk of response as AsyncIterable<Buffer>) {
        loaded += chunk.length;
        if (loaded > options.maxBytes) throw new DownloadTooLarge(options.maxBytes);
        assertInTime();
        options.onBytes?.(loaded);
        yield new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
      }
    } catch (error) {
      throw options.signal?.aborted ? options.signal.reason : error;
    } finally {
      // Leaving early (the limit, a cancel, a parse error) closes the connection: the rest is never read.
      response.destroy();
    }
  }

  return { request, loaded: () => loaded };
}
