import { TRPCError } from "@trpc/server";

/** The tRPC error a call fails with (fails the test when it succeeds). */
export async function trpcError(promise: Promise<unknown>): Promise<TRPCError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TRPCError) return error;
    throw error;
  }
  throw new Error("expected the call to fail, but it succeeded");
}
