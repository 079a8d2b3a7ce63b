import { timingSafeEqual } from "node:crypto";
import { CSRF_COOKIE, CSRF_HEADER } from "~/lib/csrf";
import { readCookie } from "./cookies";

/** What a mutation without a matching CSRF token is told (tRPC and the route handlers that write). */
export const CSRF_REFUSED = "Missing or invalid CSRF token. Reload the page and try again.";

/** True when the request's CSRF header matches its CSRF cookie (see src/lib/csrf.ts). */
export function csrfTokenMatches(headers: Headers): boolean {
  const cookie = readCookie(headers.get("cookie"), CSRF_COOKIE);
  const header = headers.get(CSRF_HEADER);
  if (!cookie || !header || cookie.length < 16) return false;
  const a = Buffer.from(cookie);
  const b = Buffer.from(header);
  return a.length === b.length && timingSafeEqual(a, b);
}
