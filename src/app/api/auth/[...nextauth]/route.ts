import NextAuth from "next-auth";
import type { NextRequest } from "next/server";
import { authOptionsFor } from "~/server/auth/config";

/** next-auth with the options of this request (its cookies are Secure when the browser came over HTTPS). */
function handler(request: NextRequest, context: { params: Promise<{ nextauth: string[] }> }) {
  return NextAuth(request, context, authOptionsFor(request.headers)) as Promise<Response>;
}

export { handler as GET, handler as POST };
