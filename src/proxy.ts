import { NextResponse, type NextRequest } from "next/server";
import { env } from "~/env";
import { CSRF_COOKIE } from "~/lib/csrf";
import { isHttpsRequest } from "~/server/client-ip";

/**
 * The live previews' origins (src/server/services/preview): each port of the range, listed one by one so that no
 * other port of the host may be framed; a very wide range falls back to the host's every port.
 */
function previewFrameSources(): string {
  const { first, last } = env.PREVIEW_PORT_RANGE;
  if (last - first >= 500) return `http://${env.PREVIEW_HOST}:*`;
  const origins: string[] = [];
  for (let port = first; port <= last; port += 1) origins.push(`http://${env.PREVIEW_HOST}:${port}`);
  return origins.join(" ");
}

const PREVIEW_FRAME_SOURCES = previewFrameSources();

/** The Content Security Policy of a page: scripts only from us, with this response's nonce. */
function contentSecurityPolicy(nonce: string): string {
  const dev = env.NODE_ENV === "development";
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    // Monaco and Radix position elements with inline styles.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob: https:",
    "font-src 'self' data:",
    `connect-src 'self'${dev ? " ws:" : ""}`,
    "worker-src 'self' blob:",
    `frame-src 'self' ${PREVIEW_FRAME_SOURCES}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

function randomToken(): string {
  const bytes = new Uint8Array(32);
  crypto.getRandomValues(bytes);
  return Buffer.from(bytes).toString("base64url");
}

/**
 * Runs before every page and API request: a fresh CSP nonce (Next applies it to its own scripts; the layout to
 * ours) and the CSRF cookie. Authorization is not done here: it is a procedure type (src/server/api/trpc.ts).
 */
export function proxy(request: NextRequest) {
  const nonce = randomToken();
  const csp = contentSecurityPolicy(nonce);
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("Content-Security-Policy", csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", csp);
  if (!request.cookies.get(CSRF_COOKIE)) {
    response.cookies.set(CSRF_COOKIE, randomToken(), {
      path: "/",
      sameSite: "lax",
      // Behind a TLS-terminating proxy the request reaching us is plain http: ask what the browser used.
      secure: isHttpsRequest(request.headers),
      httpOnly: false,
      maxAge: 60 * 60 * 24 * 365,
    });
  }
  return response;
}

/**
 * Every path but static assets and the API routes that receive large bodies: for a route it runs on, Next keeps a
 * copy of the request body for the proxy and cuts it at 10 MiB (`proxyClientMaxBodySize`). tRPC (a zip import in
 * base64, a "save all") and the raw archive upload must be read whole and as a stream; they need neither a CSP
 * nonce (they serve no page) nor the CSRF cookie (pages set it; these routes check it). Their bounds are set by
 * scripts/server.ts (src/server/http-limits.ts).
 */
export const config = {
  matcher: [
    { source: "/((?!_next/static|_next/image|icon.svg|favicon.ico|api/trpc(?:/|$)|api/projects/[^/]+/import$).*)" },
  ],
};
