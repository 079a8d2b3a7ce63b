import { notFound, redirect } from "next/navigation";
import { getSession, type Session } from "~/server/auth/session";

/** For pages: the session, or a trip to the sign-in page that comes back here afterwards. */
export async function requireSession(returnTo: string): Promise<Session> {
  const session = await getSession();
  if (!session) redirect(`/sign-in?callbackUrl=${encodeURIComponent(returnTo)}`);
  return session;
}

/** For admin pages: non-admins see "not found", as for anything they may not know exists. */
export async function requireAdmin(returnTo: string): Promise<Session> {
  const session = await requireSession(returnTo);
  if (session.user.role !== "admin") notFound();
  return session;
}
