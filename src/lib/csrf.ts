/**
 * Double-submit CSRF protection for tRPC: the proxy gives every browser a random token in a cookie that only
 * pages of this origin can read; the tRPC client echoes it in a header; mutations without a matching header are
 * refused. A cross-site page can make the browser send the cookie, but cannot read it to forge the header.
 */
export const CSRF_COOKIE = "vf-csrf";
export const CSRF_HEADER = "x-csrf-token";

/** The token from `document.cookie`, in the browser. */
export function readCsrfToken(): string | undefined {
  if (typeof document === "undefined") return undefined;
  const entry = document.cookie.split("; ").find((part) => part.startsWith(`${CSRF_COOKIE}=`));
  return entry ? decodeURIComponent(entry.slice(CSRF_COOKIE.length + 1)) : undefined;
}
