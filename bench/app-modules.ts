/** Loads the app's server modules into a plain Node (tsx) process for the benchmarks, on `databaseUrl`. */
export async function loadApp(databaseUrl: string) {
  // bench/support.ts parsed the environment before the benchmark's database existed; the pool reads it lazily.
  const { env } = await import("~/env");
  env.DATABASE_URL = databaseUrl;
  const [{ appRouter, createCaller }, { createTRPCContext }, { loadSessionUser }, { db }, { getPool }] =
    await Promise.all([
      import("~/server/api/root"),
      import("~/server/api/trpc"),
      import("~/server/auth/session-user"),
      import("~/server/db/client"),
      import("~/server/db/pool"),
    ]);
  return { appRouter, createCaller, createTRPCContext, loadSessionUser, db, getPool };
}
