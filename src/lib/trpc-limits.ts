/**
 * The most calls one tRPC batch request may carry. The route refuses a larger batch with 400 before running any
 * of it (so one request cannot queue unbounded work); the client's link splits its batches at this size.
 */
export const TRPC_MAX_BATCH_ITEMS = 50;

/**
 * Queries whose input holds a secret (a Git token): the client sends them as POST (the route allows the method
 * override), so the secret never sits in a URL, where proxies and access logs keep it.
 */
export const QUERIES_WITH_SECRETS: ReadonlySet<string> = new Set(["git.branches"]);
