import type { IncomingHttpHeaders } from "node:http";
import { env } from "~/env";

/**
 * What our HTTP server (scripts/server.ts) knows of the client: on every request it overwrites this header with
 * `<token> <address> <protocol>`, as `clientOf` decides them. The token is a secret of the running process, so a
 * client that sends the header itself (say, to a bare `next start`) is not believed.
 */
export const CLIENT_IP_HEADER = "x-vaporform-client-ip";

/** Whether a socket's peer address is this host's loopback (IPv4, IPv6, or IPv4 mapped into IPv6). */
export function isLoopback(address: string | undefined): boolean {
  const ipv4 = address?.startsWith("::ffff:") ? address.slice("::ffff:".length) : address;
  return ipv4 === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(ipv4 ?? "");
}

/**
 * The last entry of a comma-separated header (what the nearest proxy added), or undefined. Whitespace separates too:
 * an entry never carries a space into the space-separated CLIENT_IP_HEADER.
 */
function lastEntry(header: string | string[] | undefined): string | undefined {
  const entries = (Array.isArray(header) ? header.join(",") : (header ?? "")).split(/[\s,]+/);
  return entries.filter(Boolean).at(-1);
}

/**
 * The client's address and protocol for a request that reached our socket from `peer`. With `trustProxy`, and only
 * when the peer is a loopback address (the reverse proxy on this host), the last X-Forwarded-For entry (the one the
 * proxy added) and the last X-Forwarded-Proto entry (what the TLS-terminating proxy saw) are believed. Anyone else
 * reaching the port directly could write those headers as they like, so their requests get the socket's address and
 * plain `http`.
 */
export function clientOf(
  peer: string | undefined,
  headers: IncomingHttpHeaders,
  trustProxy: boolean,
): { address: string; protocol: "https" | "http" } {
  const fromProxy = trustProxy && isLoopback(peer);
  const protocol = fromProxy && lastEntry(headers["x-forwarded-proto"])?.toLowerCase() === "https" ? "https" : "http";
  return { address: (fromProxy ? lastEntry(headers["x-forwarded-for"]) : undefined) ?? peer ?? "unknown", protocol };
}

function stamp(headers: Headers | Record<string, unknown> | undefined): string[] {
  const value = headers instanceof Headers ? headers.get(CLIENT_IP_HEADER) : headers?.[CLIENT_IP_HEADER];
  if (typeof value !== "string" || !env.VAPORFORM_CLIENT_IP_TOKEN) return [];
  const [token, ...fields] = value.split(" ");
  return token === env.VAPORFORM_CLIENT_IP_TOKEN ? fields : [];
}

/** Reads the address from a Headers object or a plain header record (next-auth hands us the latter). */
export function clientIpFrom(headers: Headers | Record<string, unknown> | undefined): string {
  return stamp(headers)[0] || "unknown";
}

/**
 * Whether the browser reached us over HTTPS, so every cookie must be `Secure`: an https NEXTAUTH_URL says so for
 * every request, a TLS-terminating proxy (TRUST_PROXY with `X-Forwarded-Proto: https`) for the requests it forwards.
 */
export function isHttpsRequest(headers: Headers | Record<string, unknown> | undefined): boolean {
  return env.NEXTAUTH_URL?.startsWith("https:") === true || stamp(headers)[1] === "https";
}
