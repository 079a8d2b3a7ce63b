/**
 * Requests to URLs that users typed (an integration's endpoint, a Git remote): the one way out of the server to a
 * place chosen by someone else. A URL must be http(s); its host is resolved once, every address it resolves to must
 * be public (src/server/net/address.ts), and the connection goes to exactly the address that was checked (a custom
 * `lookup`), so a DNS answer that changes between the check and the connect (rebinding) cannot reach a private
 * address. The Host header and TLS server name stay the URL's host name. OUTBOUND_ALLOW_PRIVATE=true lifts the
 * address check (tests; an install whose integrations live on its own network).
 *
 * API: `checkOutboundUrl(url)` (parse + scheme check, throws OutboundError), `resolveOutbound(url)` (plus DNS and
 * the address check), `outboundRequest(url, options)` (the request itself, bounded in time and size), and
 * `guardedLookup`, a `lookup` for node:http(s) agents that applies the same check at connect time.
 */
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import http from "node:http";
import https from "node:https";
import { isIP, type LookupFunction } from "node:net";
import { env } from "~/env";
import { blockedReason } from "./address";

/** A refused or failed outbound request; the message is safe to show to the user who gave the URL. */
export class OutboundError extends Error {
  override name = "OutboundError";
  constructor(
    readonly reason: "invalid_url" | "blocked_address" | "dns" | "timeout" | "too_large" | "network" | "redirect",
    message: string,
  ) {
    super(message);
  }
}

function allowPrivate(): boolean {
  return env.OUTBOUND_ALLOW_PRIVATE;
}

/** Parses `url` and requires http(s) with a host and no credentials in it. */
export function checkOutboundUrl(url: string | URL): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new OutboundError("invalid_url", "Not a valid URL.");
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new OutboundError("invalid_url", "Only http:// and https:// URLs can be called.");
  }
  if (parsed.hostname === "") throw new OutboundError("invalid_url", "The URL has no host.");
  if (parsed.username !== "" || parsed.password !== "") {
    throw new OutboundError("invalid_url", "Put credentials in a header or the API key, not in the URL.");
  }
  return parsed;
}

/** Without brackets: URL keeps an IPv6 host as `[::1]`. */
function bareHost(hostname: string): string {
  return hostname.startsWith("[") && hostname.endsWith("]") ? hostname.slice(1, -1) : hostname;
}

function refuse(host: string, address: string, reason: string): OutboundError {
  const shown = host === address ? address : `${host} (${address})`;
  return new OutboundError(
    "blocked_address",
    `${shown} is a ${reason} address; requests to it are refused (the install can allow them with OUTBOUND_ALLOW_PRIVATE=true).`,
  );
}

/** Every address of `host`, each checked; the first is the one to connect to. */
async function resolveHost(host: string): Promise<LookupAddress[]> {
  const literal = isIP(host);
  const addresses: LookupAddress[] = literal
    ? [{ address: host, family: literal }]
    : await new Promise((resolve, reject) =>
        dnsLookup(host, { all: true, verbatim: true }, (error, found) => {
          if (error)
            reject(new OutboundError("dns", `The host ${host} could not be resolved (${error.code ?? "error"}).`));
          else resolve(found);
        }),
      );
  if (addresses.length === 0) throw new OutboundError("dns", `The host ${host} has no address.`);
  if (!allowPrivate()) {
    // All of them: a name with one public and one private address must not pass on the public one.
    for (const { address } of addresses) {
      const reason = blockedReason(address);
      if (reason) throw refuse(host, address, reason);
    }
  }
  return addresses;
}

/** The checked URL and the address its connection must use. */
export async function resolveOutbound(url: string | URL): Promise<{ url: URL; address: string; family: number }> {
  const parsed = checkOutboundUrl(url);
  const [first] = await resolveHost(bareHost(parsed.hostname));
  return { url: parsed, address: first!.address, family: first!.family };
}

/**
 * A `lookup` for node:http(s) (`http.request({ lookup })`, an Agent's options): resolves, refuses blocked addresses
 * and answers the checked one, so the socket connects to what was checked. Node skips `lookup` for IP literals:
 * check those with resolveOutbound first (outboundRequest does).
 */
export const guardedLookup: LookupFunction = (hostname, options, callback) => {
  resolveHost(bareHost(hostname)).then(
    (addresses) => {
      if (options.all) callback(null, addresses);
      else callback(null, addresses[0]!.address, addresses[0]!.family);
    },
    (error: NodeJS.ErrnoException) => callback(error, "", 0),
  );
};

export interface OutboundRequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  /** The whole exchange, connect to last byte (default 5 s). */
  timeoutMs?: number;
  /** The most response body kept; the rest is not read and `truncated` is set (default 64 KiB). */
  maxResponseBytes?: number;
  /** Redirects followed, each to a re-checked address (default 0: a 3xx is answered as it is). */
  maxRedirects?: number;
}

export interface OutboundResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  truncated: boolean;
  /** The URL that answered (after redirects). */
  url: string;
  durationMs: number;
}

/** One request to a user-given URL: address-checked, pinned to the checked address, bounded in time and size. */
export async function outboundRequest(
  url: string | URL,
  options: OutboundRequestOptions = {},
): Promise<OutboundResponse> {
  const started = Date.now();
  const timeoutMs = options.timeoutMs ?? 5000;
  const deadline = started + timeoutMs;
  let target = checkOutboundUrl(url);
  let method = (options.method ?? "GET").toUpperCase();
  let body = options.body;
  for (let redirects = 0; ; redirects++) {
    const response = await requestOnce(target, { ...options, method, body }, deadline, timeoutMs);
    const location = response.headers.location;
    if (
      response.status < 300 ||
      response.status >= 400 ||
      location === undefined ||
      redirects >= (options.maxRedirects ?? 0)
    ) {
      return { ...response, url: target.toString(), durationMs: Date.now() - started };
    }
    let next: URL;
    try {
      next = checkOutboundUrl(new URL(location, target));
    } catch {
      throw new OutboundError("redirect", "The endpoint redirected to a URL that cannot be called.");
    }
    if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === "POST")) {
      method = "GET";
      body = undefined;
    }
    target = next;
  }
}

async function requestOnce(
  url: URL,
  options: OutboundRequestOptions & { method: string },
  deadline: number,
  timeoutMs: number,
): Promise<Omit<OutboundResponse, "url" | "durationMs">> {
  const { address, family } = await resolveOutbound(url);
  const maxBytes = options.maxResponseBytes ?? 64 * 1024;
  const client = url.protocol === "https:" ? https : http;
  const remaining = deadline - Date.now();
  if (remaining <= 0) throw new OutboundError("timeout", `No answer within ${timeoutMs / 1000} s.`);
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outcome();
    };
    const request = client.request(
      url,
      {
        method: options.method,
        headers: { "user-agent": "Vaporform", ...options.headers },
        // Pinned: the connection goes to the address checked above, whatever DNS says by now.
        lookup: (_host, lookupOptions, callback) =>
          lookupOptions.all ? callback(null, [{ address, family }]) : callback(null, address, family),
        servername: isIP(bareHost(url.hostname)) ? undefined : bareHost(url.hostname),
        agent: false,
      },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const done = (truncated: boolean) =>
          settle(() =>
            resolve({
              status: response.statusCode ?? 0,
              headers: response.headers,
              body: Buffer.concat(chunks),
              truncated,
            }),
          );
        response.on("data", (chunk: Buffer) => {
          const room = maxBytes - size;
          if (chunk.length <= room) {
            chunks.push(chunk);
            size += chunk.length;
            return;
          }
          // Enough: the rest is never read.
          chunks.push(chunk.subarray(0, room));
          done(true);
          request.destroy();
        });
        response.on("end", () => done(false));
        response.on("error", (error) =>
          settle(() => reject(new OutboundError("network", `The connection failed: ${error.message}`))),
        );
      },
    );
    // The whole exchange, not only an idle socket: a server dripping one byte a second cannot hold us.
    const timer = setTimeout(
      () => request.destroy(new OutboundError("timeout", `No answer within ${timeoutMs / 1000} s.`)),
      remaining,
    );
    request.on("error", (error) =>
      settle(() =>
        reject(
          error instanceof OutboundError
            ? error
            : new OutboundError("network", `The connection failed: ${error.message}`),
        ),
      ),
    );
    request.end(options.body);
  });
}
