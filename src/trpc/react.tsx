"use client";

import { QueryClientProvider, type QueryClient } from "@tanstack/react-query";
import { createTRPCClient, httpBatchLink, httpLink, splitLink, type HTTPHeaders } from "@trpc/client";
import { createTRPCContext } from "@trpc/tanstack-react-query";
import { useState, type ReactNode } from "react";
import superjson from "superjson";
import { CSRF_HEADER, readCsrfToken } from "~/lib/csrf";
import { QUERIES_WITH_SECRETS, TRPC_MAX_BATCH_ITEMS } from "~/lib/trpc-limits";
import type { AppRouter } from "~/server/api/root";
import { makeQueryClient } from "./query-client";

export const { TRPCProvider, useTRPC } = createTRPCContext<AppRouter>();

let browserQueryClient: QueryClient | undefined;

function getQueryClient() {
  if (typeof window === "undefined") return makeQueryClient();
  return (browserQueryClient ??= makeQueryClient());
}

function csrfHeaders(): HTTPHeaders {
  const token = readCsrfToken();
  return token ? { [CSRF_HEADER]: token } : {};
}

/** Provides TanStack Query and the typed tRPC hooks to client components. */
export function TRPCReactProvider({ children }: { children: ReactNode }) {
  const queryClient = getQueryClient();
  const [trpcClient] = useState(() =>
    createTRPCClient<AppRouter>({
      links: [
        // Mutations go one per request: each input is bounded on its own (a file, an archive), while a batch of
        // them ("save all" of large files) could add up past the server's body limit. Queries are small and
        // batched, at most TRPC_MAX_BATCH_ITEMS to a request (the server refuses larger batches).
        splitLink({
          condition: (op) => op.type === "mutation" || QUERIES_WITH_SECRETS.has(op.path),
          true: httpLink({ url: "/api/trpc", transformer: superjson, headers: csrfHeaders, methodOverride: "POST" }),
          false: httpBatchLink({
            url: "/api/trpc",
            transformer: superjson,
            headers: csrfHeaders,
            maxItems: TRPC_MAX_BATCH_ITEMS,
          }),
        }),
      ],
    }),
  );
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}
