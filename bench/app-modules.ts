/**
 * Loads the app's server modules into a plain Node (tsx) process for the benchmarks.
 *
 * Outside Next.js, Node's own ESM/CommonJS interop hands `import X from "next-auth/providers/..."` the whole
 * CommonJS exports object instead of its default export; a loader hook answers those imports with the default.
 */
import { register } from "node:module";
import { pathToFileURL } from "node:url";

let registered = false;

function registerInterop() {
  if (registered) return;
  registered = true;
  const base = pathToFileURL(`${process.cwd()}/package.json`).href;
  const hooks = `
    export async function resolve(specifier, context, next) {
      if (/^next-auth\\/providers\\/[a-z]+$/.test(specifier)) return { url: "vf-interop:" + specifier, shortCircuit: true };
      return next(specifier, context);
    }
    export async function load(url, context, next) {
      if (!url.startsWith("vf-interop:")) return next(url, context);
      const target = url.slice("vf-interop:".length);
      return {
        format: "module",
        shortCircuit: true,
        source: "import { createRequire } from 'node:module';" +
          "const m = createRequire(" + JSON.stringify(${JSON.stringify(base)}) + ")(" + JSON.stringify(target) + ");" +
          "export default m.default ?? m;",
      };
    }`;
  register(`data:text/javascript,${encodeURIComponent(hooks)}`);
}

/** Points the app at `databaseUrl` and imports what the benchmarks call. */
export async function loadApp(databaseUrl: string) {
  registerInterop();
  // bench/support.ts parsed the environment before the benchmark's database existed; the pool reads it lazily.
  const { env } = await import("~/env");
  env.DATABASE_URL = databaseUrl;
  const [{ appRouter, createCaller }, { createTRPCContext }, { loadSessionUser }, { db }, { getPool }] = await Promise.all([
    import("~/server/api/root"),
    import("~/server/api/trpc"),
    import("~/server/auth/session-user"),
    import("~/server/db/client"),
    import("~/server/db/pool"),
  ]);
  return { appRouter, createCaller, createTRPCContext, loadSessionUser, db, getPool };
}
