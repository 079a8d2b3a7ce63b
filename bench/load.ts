/**
 * `npm run bench:load`: the app started exactly as `npm start` starts it, on loopback, under LOAD_USERS simulated
 * users (default 50) for LOAD_SECONDS (default 60). Each signs in once, then loops: list their project's files,
 * read one, save it on the version they read, search their project; every tenth round a stale second tab saves
 * too, which must answer CONFLICT. Prints throughput, p50/p95/p99 per procedure, errors, peak pool use and the
 * server's peak memory; then drives the bare `node:http` + `pg` baseline of `bench:save` (bench/bare-server.ts)
 * with the same users for as long, reading and saving the same files, and prints the ratios.
 */
import pg from "pg";
import { z } from "zod";
import { startApp } from "./app-server";
import { startBareServer } from "./bare-server";
import { BrowserSession, HttpError } from "./load-client";
import { listeningPid, memoryOf, samplePeaks } from "./load-probes";
import { benchDatabase, median, percentile, verdict } from "./support";

const config = z
  .object({
    LOAD_USERS: z.coerce
      .number("must be a number")
      .int("must be a whole number")
      .min(1, "at least 1")
      .max(500, "at most 500")
      .default(50),
    LOAD_SECONDS: z.coerce.number("must be a number").min(1, "at least 1").max(3600, "at most 3600").default(60),
  })
  .safeParse(process.env);
if (!config.success) {
  console.error(config.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("\n"));
  console.error("Nothing was started.");
  process.exit(1);
}
const { LOAD_USERS: USERS, LOAD_SECONDS: SECONDS } = config.data;
const people = `${USERS} simulated user${USERS === 1 ? "" : "s"}`;
const FILES_PER_USER = 10;
const APP_POOL_MAX = 20;

interface SimUser {
  session: BrowserSession;
  userId: string;
  projectId: string;
}

/** Latencies per operation and failures per operation and code. */
class Tally {
  readonly times = new Map<string, number[]>();
  readonly failures = new Map<string, number>();

  async time<T>(operation: string, run: () => Promise<T>): Promise<T | undefined> {
    const started = performance.now();
    try {
      const result = await run();
      const list = this.times.get(operation) ?? [];
      list.push(performance.now() - started);
      this.times.set(operation, list);
      return result;
    } catch (error) {
      const code = error instanceof HttpError ? error.code : (error as Error).name;
      const key = `${operation} ${code}`;
      this.failures.set(key, (this.failures.get(key) ?? 0) + 1);
      if (!(error instanceof HttpError)) console.error(`  ${key}:`, (error as Error).message);
      return undefined;
    }
  }

  total(): number {
    return [...this.times.values()].reduce((sum, list) => sum + list.length, 0);
  }

  print(seconds: number) {
    console.log(
      `  throughput: ${(this.total() / seconds).toFixed(0)} requests/s (${this.total()} answered in ${seconds} s)`,
    );
    console.log(
      `  ${"operation".padEnd(16)}${"count".padStart(8)}${"p50 ms".padStart(9)}${"p95 ms".padStart(9)}${"p99 ms".padStart(9)}`,
    );
    for (const [operation, list] of [...this.times].sort()) {
      const cells = [median(list), percentile(list, 95), percentile(list, 99)].map((value) =>
        value.toFixed(1).padStart(9),
      );
      console.log(`  ${operation.padEnd(16)}${String(list.length).padStart(8)}${cells.join("")}`);
    }
  }
}

function sourceFile(user: number, file: number, round: number): string {
  const lines = Array.from(
    { length: 60 },
    (_, line) => `export const value${line} = compute(${line}, "vaporform user ${user} round ${round}");`,
  );
  return `// file ${file}\nimport { compute } from "./compute";\n\n${lines.join("\n")}\n`;
}

/** Runs `count` tasks, at most `parallel` at a time. */
async function inBatches<T>(count: number, parallel: number, task: (index: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (let start = 0; start < count; start += parallel) {
    const batch = Array.from({ length: Math.min(parallel, count - start) }, (_, offset) => task(start + offset));
    results.push(...(await Promise.all(batch)));
  }
  return results;
}

async function main() {
  const bench = await benchDatabase();
  const app = await startApp({
    VAPORFORM_DATA_DIR: ".data/bench-load",
    DATABASE_URL: bench.url,
    DATABASE_POOL_MAX: String(APP_POOL_MAX),
    TRUST_PROXY: "true",
  });
  const { baseUrl, port, output } = app;
  const bareAppPool = new pg.Pool({ connectionString: bench.url, max: APP_POOL_MAX, application_name: "bench-bare" });
  // Dropping the benchmark database at the end ends their connections; an idle one reporting it is expected.
  bareAppPool.on("error", () => {});
  bench.pool.on("error", () => {});
  try {
    await app.ready();
    const serverPid = listeningPid(port);
    if (!serverPid) throw new Error(`no process listens on port ${port}`);
    const version = (await bench.pool.query<{ server_version: string }>("SHOW server_version")).rows[0]?.server_version;

    const setupStarted = performance.now();
    const users = await inBatches(USERS, 5, (index) => createUser(baseUrl, index));
    console.log(
      `PostgreSQL ${version}; app (npm start, pid ${serverPid}) on ${baseUrl}; ${people} signed in, ` +
        `${FILES_PER_USER} files each, in ${((performance.now() - setupStarted) / 1000).toFixed(1)} s`,
    );

    const tally = new Tally();
    let conflicts = 0;
    const appPeaks = samplePeaks(bench.pool, "vaporform", serverPid);
    const deadline = performance.now() + SECONDS * 1000;
    await Promise.all(
      users.map(async (user, index) => {
        for (let round = 0; performance.now() < deadline; round++) {
          const { projectId, session } = user;
          const path = `src/file-${round % FILES_PER_USER}.ts`;
          await tally.time("file.list", () => session.query("file.list", { projectId }));
          const file = await tally.time("file.read", () =>
            session.query<{ id: string; version: number }>("file.read", { projectId, path }),
          );
          if (!file) continue;
          const content = sourceFile(index, round % FILES_PER_USER, round);
          await tally.time("file.save", () =>
            session.mutation("file.save", { projectId, path, content, fileId: file.id, baseVersion: file.version }),
          );
          await tally.time("search.query", () => session.query("search.query", { projectId, query: `round ${round}` }));
          if (round % 10 === 9) {
            // A second tab still on the version read before this round's save: its save must be refused.
            const stale = session.mutation("file.save", {
              projectId,
              path,
              content: `${content}// other tab\n`,
              fileId: file.id,
              baseVersion: file.version,
            });
            await stale.then(
              () => tally.failures.set("stale save accepted", (tally.failures.get("stale save accepted") ?? 0) + 1),
              (error: unknown) =>
                error instanceof HttpError && error.code === "CONFLICT"
                  ? conflicts++
                  : tally.failures.set(`stale save ${String(error)}`, 1),
            );
          }
        }
      }),
    );
    const appPeak = await appPeaks.stop();
    const { peak: hwm } = memoryOf(serverPid);

    console.log(`\nApp over HTTP: ${people} for ${SECONDS} s`);
    tally.print(SECONDS);
    const errors = [...tally.failures].map(([key, count]) => `${key} x${count}`);
    console.log(
      `  errors: ${errors.length ? errors.join(", ") : "none"}; expected CONFLICTs (stale second tab): ${conflicts}`,
    );
    console.log(
      `  peak pool use: ${appPeak.connections} connections of ${APP_POOL_MAX} (${appPeak.busy} busy at once)`,
    );
    console.log(
      `  peak memory of the server process: ${appPeak.rssMiB.toFixed(0)} MiB RSS during the run (VmHWM since start: ${hwm.toFixed(0)} MiB)`,
    );

    const bare = await startBareServer(bareAppPool);
    const baseline = new Tally();
    const bareDeadline = performance.now() + SECONDS * 1000;
    const barePeaks = samplePeaks(bench.pool, "bench-bare", process.pid);
    const post = async <T>(route: string, body: unknown): Promise<T> => {
      const response = await fetch(`${bare.url}${route}`, {
        method: "POST",
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(30_000),
      });
      if (!response.ok) throw new HttpError(response.status, `HTTP ${response.status}`, await response.text());
      return (await response.json()) as T;
    };
    await Promise.all(
      users.map(async ({ userId, projectId }, index) => {
        for (let round = 0; performance.now() < bareDeadline; round++) {
          const path = `src/file-${round % FILES_PER_USER}.ts`;
          const file = await baseline.time("read", () =>
            post<{ id: string; version: number }>("/read", { userId, projectId, path }),
          );
          if (!file) continue;
          const content = sourceFile(index, round % FILES_PER_USER, round + 1_000_000);
          await baseline.time("save", () =>
            post("/save", { userId, projectId, path, content, fileId: file.id, baseVersion: file.version }),
          );
        }
      }),
    );
    const barePeak = await barePeaks.stop();
    await bare.close();
    console.log(
      `\nBaseline, bare node:http + pg (bench/bare-server.ts): the same ${people} for ${SECONDS} s, read then save`,
    );
    baseline.print(SECONDS);
    const bareErrors = [...baseline.failures].map(([key, count]) => `${key} x${count}`);
    console.log(
      `  errors: ${bareErrors.length ? bareErrors.join(", ") : "none"}; peak pool use: ${barePeak.connections} of ${APP_POOL_MAX}`,
    );

    console.log("\nApp / bare:");
    for (const [appOperation, bareOperation] of [
      ["file.read", "read"],
      ["file.save", "save"],
    ] as const) {
      const ours = tally.times.get(appOperation) ?? [];
      const theirs = baseline.times.get(bareOperation) ?? [];
      const ratios = [50, 95, 99].map((p) => `p${p} ${(percentile(ours, p) / percentile(theirs, p)).toFixed(2)}x`);
      console.log(`  ${appOperation.padEnd(10)} ${ratios.join("  ")}`);
    }
    console.log(
      `  throughput: ${(tally.total() / baseline.total()).toFixed(2)}x of the baseline's requests/s (the app's rounds also list and search)`,
    );
    console.log(
      `errors under load (other than the expected CONFLICTs): ${errors.length} ${verdict(errors.length === 0)}`,
    );
  } catch (error) {
    console.error(output.slice(-40).join("\n"));
    throw error;
  } finally {
    await app.stop();
    await bareAppPool.end();
    await bench.close();
  }
}

async function createUser(baseUrl: string, index: number): Promise<SimUser> {
  // Addresses from the benchmarking range (RFC 2544), one per user.
  const session = new BrowserSession(baseUrl, `198.18.${Math.floor(index / 250)}.${(index % 250) + 1}`);
  const tag = `${process.pid.toString(36)}${index}`;
  const user = {
    email: `load-${tag}@example.com`,
    username: `load-${tag}`,
    fullName: `Load User ${index}`,
    password: `load test ${tag} password`,
  };
  await session.mutation("account.register", user);
  const userId = await session.signIn(user.email, user.password);
  const { id: projectId } = await session.mutation<{ id: string }>("project.create", { name: `Load ${index}` });
  for (let file = 0; file < FILES_PER_USER; file++) {
    await session.mutation("file.create", {
      projectId,
      path: `src/file-${file}.ts`,
      kind: "file",
      content: sourceFile(index, file, 0),
    });
  }
  return { session, userId, projectId };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
