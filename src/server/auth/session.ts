import { getServerSession } from "next-auth";
import { cache } from "react";
import { authOptions } from "~/server/auth/config";
import { loadSessionUser } from "~/server/auth/session-user";
import { db } from "~/server/db/client";

/** What a request knows about its signed-in user, re-read from the database on every request. */
export type SessionUser = NonNullable<Awaited<ReturnType<typeof loadSessionUser>>>;

export interface Session {
  user: SessionUser;
}

/**
 * The session of the current request (route handlers and server components): the JWT names the user, the
 * database decides. A deactivated user, or a session begun before a password change, gets null. Cached per
 * request while rendering, so the layout, the page and its prefetches read the user once.
 */
export const getSession = cache(async function getSession(): Promise<Session | null> {
  const jwtSession = (await getServerSession(authOptions)) as { user?: { id?: string; sv?: number } } | null;
  const userId = jwtSession?.user?.id;
  if (!userId) return null;
  const user = await loadSessionUser({ db, userId, sessionVersion: jwtSession?.user?.sv ?? 0 });
  return user ? { user } : null;
});
