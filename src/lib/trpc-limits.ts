/**
 * The most calls one tRPC batch request may carry. The route refuses a larger batch with 400 before running any
 * of it (so one request cannot queue unbounded work); the client's link splits its batches at this size.
 */
export const TRPC_MAX_BATCH_ITEMS = 50;
