/**
 * The client's address, as our HTTP server (scripts/server.ts) saw it: it overwrites this header on every request
 * with the socket's address, or, when TRUST_PROXY is set, with the address the reverse proxy in front of it
 * reported (the last X-Forwarded-For entry). A client cannot set it itself.
 */
export const CLIENT_IP_HEADER = "x-vaporform-client-ip";

/** Reads the address from a Headers object or a plain header record (next-auth hands us the latter). */
export function clientIpFrom(headers: Headers | Record<string, unknown> | undefined): string {
  const value = headers instanceof Headers ? headers.get(CLIENT_IP_HEADER) : headers?.[CLIENT_IP_HEADER];
  return typeof value === "string" && value !== "" ? value : "unknown";
}
