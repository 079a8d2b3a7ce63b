import { decode } from "next-auth/jwt";
import { env } from "~/env";
import { readCookie } from "./cookies";

/** next-auth's session cookie, under its plain name or its `__Secure-` one (behind TLS). */
const SESSION_COOKIES = ["next-auth.session-token", "__Secure-next-auth.session-token"];

/**
 * Whether a Cookie header carries a session token that next-auth issued (signed and encrypted with our secret,
 * not expired). Used by scripts/server.ts before reading a large body; who the user is, and whether they may
 * still act, is decided afterwards as on every request.
 */
export async function hasValidSessionCookie(cookieHeader: string | undefined): Promise<boolean> {
  if (!env.NEXTAUTH_SECRET) return false;
  for (const name of SESSION_COOKIES) {
    const token = readCookie(cookieHeader, name);
    if (!token) continue;
    try {
      const payload = await decode({ token, secret: env.NEXTAUTH_SECRET });
      if (payload && typeof payload.uid === "string") return true;
    } catch {
      // Not ours, or tampered with: not a session.
    }
  }
  return false;
}
