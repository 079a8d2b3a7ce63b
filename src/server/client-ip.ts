import { env } from "~/env";

/**
 * What our HTTP server (scripts/server.ts) knows of the client: on every request it overwrites this header with
 * `<token> <address> <protocol>`. The address is the socket's or, with TRUST_PROXY, the last X-Forwarded-For entry
 * (the one your proxy added); the protocol is `http`, or with TRUST_PROXY the last X-Forwarded-Proto entry (what
 * your TLS-terminating proxy saw). The token is a secret of the running process, so a client that sends the header
 * itself (say, to a bare `next start`) is not believed.
 */
export const CLIENT_IP_HEADER = "x-vaporform-client-ip";

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
