import { env } from "~/env";

/**
 * The client's address, as our HTTP server (scripts/server.ts) saw it: on every request it overwrites this header
 * with `<token> <address>`, the address being the socket's or, with TRUST_PROXY, the last X-Forwarded-For entry
 * (the one your proxy added). The token is a secret of the running process, so a client that sends the header
 * itself (say, to a bare `next start`) is not believed.
 */
export const CLIENT_IP_HEADER = "x-vaporform-client-ip";

/** Reads the address from a Headers object or a plain header record (next-auth hands us the latter). */
export function clientIpFrom(headers: Headers | Record<string, unknown> | undefined): string {
  const value = headers instanceof Headers ? headers.get(CLIENT_IP_HEADER) : headers?.[CLIENT_IP_HEADER];
  if (typeof value !== "string" || !env.VAPORFORM_CLIENT_IP_TOKEN) return "unknown";
  const [token, address] = value.split(" ");
  return token === env.VAPORFORM_CLIENT_IP_TOKEN && address ? address : "unknown";
}

const LOOPBACK = new Set(["127.0.0.1", "::1", "::ffff:127.0.0.1"]);

/** Whether a request comes from the machine the app runs on. */
export function isLoopback(ip: string): boolean {
  return LOOPBACK.has(ip);
}
