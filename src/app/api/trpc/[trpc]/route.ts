import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter } from "~/server/api/root";
import { createTRPCContext } from "~/server/api/trpc";
import { csrfTokenMatches } from "~/server/auth/csrf";

function handler(req: Request) {
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    createContext: () => createTRPCContext({ headers: req.headers, csrfVerified: csrfTokenMatches(req.headers) }),
  });
}

export { handler as GET, handler as POST };
