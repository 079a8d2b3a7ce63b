import { cache } from "react";
import { readSession } from "~/server/auth/config";
import type { SessionUser } from "~/server/auth/session-user";

export type { SessionUser };

export interface Session {
  user: SessionUser;
}

/**
 * The session of the current request (route handlers and server components), see readSession. Cached per request
 * while rendering, so the layout, the page and its prefetches read the user once.
 */
export const getSession = cache(async function getSession(): Promise<Session | null> {
  const user = await readSession();
  return user ? { user } : null;
});
