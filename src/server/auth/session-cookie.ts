import { decode } from "next-auth/jwt";
import { env } from "~/env";

const SESSION_COOKIE = /^(?:__Secure-)?next-auth\.session-token$/;

/**
 * Whether a Cookie header carries a session token that next-auth issued (signed and encrypted with our secret,
 * not expired). Used by scripts/server.ts before reading a large body; who the user is, and whether they may
 * still act, is decided afterwards as on every request.
 */
export async function hasValidSessionCookie(cookieHeader: string | undefined): Promise<boolean> {
  if (!cookieHeader || !env.NEXTAUTH_SECRET) return false;
  for (const part of cookieHeader.split(";")) {
    const separator = part.indexOf("=");
    if (separator < 0 || !SESSION_COOKIE.test(part.slice(0, separator).trim())) continue;
    try {
      const token = await decode({
        token: decodeURIComponent(part.slice(separator + 1).trim()),
        secret: env.NEXTAUTH_SECRET,
      });
      if (token && typeof token.uid === "string") return true;
    } catch {
      // Not ours, or tampered with: not a session.
    }
  }
  return false;
}
