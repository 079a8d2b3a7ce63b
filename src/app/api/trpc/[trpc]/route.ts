import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { TRPC_MAX_BATCH_ITEMS } from "~/lib/trpc-limits";
import { appRouter } from "~/server/api/root";
import { createTRPCContext } from "~/server/api/trpc";
import { csrfTokenMatches } from "~/server/auth/csrf";

function handler(req: Request) {
  return fetchRequestHandler({
    endpoint: "/api/trpc",
    req,
    router: appRouter,
    // A larger batch answers 400 before any of its calls runs; the body's size is bounded by scripts/server.ts.
    maxBatchSize: TRPC_MAX_BATCH_ITEMS,
    // Queries whose input holds a secret come as POST (QUERIES_WITH_SECRETS), never with it in the URL.
    allowMethodOverride: true,
    createContext: () => createTRPCContext({ headers: req.headers, csrfVerified: csrfTokenMatches(req.headers) }),
  });
}

export { handler as GET, handler as POST };
