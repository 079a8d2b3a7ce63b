/**
 * `npm run bench:save`: the p50 of `file.save` through tRPC over HTTP (the real appRouter on tRPC's standalone
 * HTTP server, called with the real tRPC client) against the same SQL behind a bare `node:http` + `pg` handler:
 * in one transaction, the actor settings, the project ownership check the project procedure makes, and the
 * conditional UPDATE ... RETURNING. Both are measured in the same run, interleaved. Target (DESIGN.md): <= 2x.
 */
import type { AddressInfo } from "node:net";
import pg from "pg";
import superjson from "superjson";
import { createTRPCClient, httpLink } from "@trpc/client";
import { createHTTPServer } from "@trpc/server/adapters/standalone";
import { loadApp } from "./app-modules";
import { startBareServer } from "./bare-server";
import { benchDatabase, median, percentile, verdict } from "./support";

const WARMUP = 200;
const ROUNDS = 1500;

function sourceFile(round: number): string {
  const lines = Array.from(
    { length: 80 },
    (_, line) => `export const value${line} = compute(${line}, "round ${round}");`,
  );
  return `// generated for round ${round}\nimport { compute } from "./compute";\n\n${lines.join("\n")}\n`;
}

async function main() {
  const bench = await benchDatabase();
  // Dropping the benchmark database at the end ends its connections; an idle one reporting it is expected.
  bench.pool.on("error", () => {});
  const connectionString = bench.url;
  const { appRouter, createTRPCContext, loadSessionUser, db, getPool } = await loadApp(connectionString);

  const bare = new pg.Pool({ connectionString, max: 20 });
  const closers: (() => Promise<void>)[] = [];
  try {
    const { pool } = bench;
    const version = (await pool.query<{ server_version: string }>("SHOW server_version")).rows[0]?.server_version;
    const userId = (
      await pool.query<{ id: string }>(
        `INSERT INTO users (email, username, full_name, password_hash) VALUES ('save@example.com', 'save', 'Save Bench', 'x') RETURNING id`,
      )
    ).rows[0]!.id;
    const projectId = (
      await pool.query<{ id: string }>(
        `INSERT INTO projects (user_id, name, description, tech_stack) VALUES ($1, 'save bench', '', '{}') RETURNING id`,
        [userId],
      )
    ).rows[0]!.id;
    const fileIds: Record<string, string> = {};
    for (const path of ["trpc.ts", "bare.ts"]) {
      const { rows } = await pool.query<{ id: string }>(
        `INSERT INTO project_files (project_id, file_path, file_name, content, content_hash, size_bytes, line_count, created_by, updated_by)
         VALUES ($1, $2, $4, '', 'none', 0, 0, $3, $3) RETURNING id`,
        [projectId, path, userId, path],
      );
      fileIds[path] = rows[0]!.id;
    }

    // tRPC: the real router, a context carrying the bench user's session (as the Next.js handler builds it).
    const user = await loadSessionUser({ db, userId, sessionVersion: 0 });
    if (!user) throw new Error("bench user not loaded");
    const trpcServer = createHTTPServer({
      router: appRouter,
      createContext: ({ req }) =>
        createTRPCContext({
          headers: new Headers(req.headers as Record<string, string>),
          session: { user },
          ip: "127.0.0.1",
        }),
    });
    closers.push(async () => {
      trpcServer.closeAllConnections();
      await new Promise((resolve) => trpcServer.close(resolve));
    });
    await new Promise<void>((resolve) => trpcServer.listen(0, "127.0.0.1", resolve));
    const trpcPort = (trpcServer.address() as AddressInfo).port;
    const client = createTRPCClient<typeof appRouter>({
      links: [httpLink({ url: `http://127.0.0.1:${trpcPort}`, transformer: superjson })],
    });

    // Bare: the same statements on a plain pg pool, JSON in and out.
    const bareServer = await startBareServer(bare);
    closers.push(() => bareServer.close());

    let trpcVersion = 1;
    let bareVersion = 1;
    const timeTrpc = async (round: number) => {
      const started = performance.now();
      const result = await client.file.save.mutate({
        projectId,
        path: "trpc.ts",
        content: sourceFile(round),
        fileId: fileIds["trpc.ts"]!,
        baseVersion: trpcVersion,
      });
      const elapsed = performance.now() - started;
      if (!result.changed) throw new Error("tRPC save did not change the file");
      trpcVersion = result.version;
      return elapsed;
    };
    const timeBare = async (round: number) => {
      const started = performance.now();
      const response = await fetch(`${bareServer.url}/save`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          userId,
          projectId,
          path: "bare.ts",
          content: sourceFile(round),
          fileId: fileIds["bare.ts"],
          baseVersion: bareVersion,
        }),
      });
      const result = (await response.json()) as { version: number };
      const elapsed = performance.now() - started;
      bareVersion = result.version;
      return elapsed;
    };

    for (let round = 0; round < WARMUP; round++) {
      await timeTrpc(round);
      await timeBare(round);
    }
    const trpcTimes: number[] = [];
    const bareTimes: number[] = [];
    for (let round = WARMUP; round < WARMUP + ROUNDS; round++) {
      // Alternate which goes first, so neither always runs on a warmer cache.
      if (round % 2) {
        trpcTimes.push(await timeTrpc(round));
        bareTimes.push(await timeBare(round));
      } else {
        bareTimes.push(await timeBare(round));
        trpcTimes.push(await timeTrpc(round));
      }
    }
    const check = await pool.query<{ versions: number; file_version: number }>(
      `SELECT (SELECT count(*)::int FROM project_file_versions v WHERE v.file_id = f.id) AS versions, f.version AS file_version
         FROM project_files f WHERE f.project_id = $1 AND f.file_path = 'trpc.ts'`,
      [projectId],
    );
    const ratio = median(trpcTimes) / median(bareTimes);
    console.log(
      `PostgreSQL ${version}; ${ROUNDS} saves each (after ${WARMUP} warm-up), ~3.5 KB of content per save, interleaved`,
    );
    console.log(
      `  bare node:http + pg:        p50 ${median(bareTimes).toFixed(2)} ms  p95 ${percentile(bareTimes, 95).toFixed(2)} ms`,
    );
    console.log(
      `  tRPC over HTTP (file.save): p50 ${median(trpcTimes).toFixed(2)} ms  p95 ${percentile(trpcTimes, 95).toFixed(2)} ms`,
    );
    console.log(
      `  every save kept a version:  ${check.rows[0]?.versions === check.rows[0]?.file_version ? "yes" : "NO"}`,
    );
    console.log(`tRPC / bare (p50): ${ratio.toFixed(2)}x  target <= 2x  ${verdict(ratio <= 2)}`);
  } finally {
    for (const close of closers) await close();
    await bare.end();
    await db.$disconnect();
    await getPool().end();
    await bench.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
