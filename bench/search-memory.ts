/**
 * `npm run bench:search-memory`: the peak memory of a words search whose 200 results are files of 5 MiB each.
 *
 * Measured in one run, each way in a fresh child process (Node's peak resident set size only grows, so one
 * process per measurement): the child connects, warms up with a search that finds nothing, reads its peak RSS,
 * runs the search once, and reads its peak RSS again; the difference is what the search itself added.
 * - before: the way searchCode worked until it grouped contents: the same words query selecting every matching
 *   file's content in one statement (its SQL as it was), then line matching on all of them;
 * - after: `search.query` through the app router, which fetches contents in groups of CONTENT_BUDGET_BYTES.
 * Both ways run twice: with an 8 GiB V8 heap, where V8 collects garbage lazily (the peak includes content already
 * dropped but not yet collected), and with a 256 MiB heap, where what is live at once must fit.
 */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { loadApp } from "./app-modules";
import { benchDatabase, verdict } from "./support";

const FILES = Number(process.env.BENCH_FILES ?? 200);
const FILE_BYTES = 5 * 1024 * 1024;
const QUERY = "needle";
/** A heap far smaller than the 1 GB of matching content: V8 collects eagerly, so the peak shows what is held at once. */
const SMALL_HEAP_MIB = 256;

interface ChildResult {
  peakMiB: number;
  files: number;
}

/** The child: one search, one way, and the peak RSS it added. */
async function child(way: "before" | "after", url: string, userId: string, projectId: string): Promise<ChildResult> {
  const { createCaller, createTRPCContext, loadSessionUser, db, getPool } = await loadApp(url);
  const user = await loadSessionUser({ db, userId, sessionVersion: 0 });
  if (!user) throw new Error("bench user not loaded");
  const api = createCaller(await createTRPCContext({ headers: new Headers(), session: { user }, ip: "127.0.0.1" }));
  await api.search.query({ projectId, query: "nothing-matches-this", mode: "words", limit: 200 });
  const peakBefore = process.resourceUsage().maxRSS;
  let files: number;
  if (way === "after") {
    files = (await api.search.query({ projectId, query: QUERY, mode: "words", limit: 200 })).results.length;
  } else {
    // The previous code path: every candidate's content in one result, then matched line by line.
    // Its 5 s statement timeout (and Prisma's 5 s transaction timeout) lifted: sending 1 GB of rows can take
    // longer on a busy machine (then the old search failed with "took too long"), and the point is the memory.
    const rows = await db.$transaction(
      async (tx) => {
        await tx.$queryRaw`SELECT set_config('statement_timeout', '120000', true), set_config('jit', 'off', true)`;
        return tx.$queryRaw<{ id: string; content: string }[]>`
          WITH q AS (SELECT websearch_to_tsquery('simple', ${QUERY}) AS q),
          hits AS (
            SELECT f.id, f.project_id, f.file_path, f.content, f.search_vector
              FROM project_files f, q
             WHERE f.project_id = ANY(${[projectId]}::uuid[]) AND NOT f.is_binary AND f.search_vector @@ q.q
             LIMIT 201)
          SELECT h.id, h.project_id, h.file_path, h.content FROM hits h, q ORDER BY ts_rank(h.search_vector, q.q) DESC, h.file_path LIMIT 201`;
      },
      { timeout: 120_000 },
    );
    const matcher = new RegExp(QUERY, "iu");
    files = rows.filter((row) => row.content.split("\n").some((line) => matcher.test(line))).length;
  }
  const peakMiB = (process.resourceUsage().maxRSS - peakBefore) / 1024;
  await db.$disconnect();
  await getPool().end();
  return { peakMiB, files };
}

async function main() {
  const bench = await benchDatabase();
  bench.pool.on("error", () => {});
  const url = (bench.pool as unknown as { options: { connectionString: string } }).options.connectionString;
  try {
    const { pool } = bench;
    const userId = (
      await pool.query<{ id: string }>(
        `INSERT INTO users (email, username, full_name, password_hash) VALUES ('mem@example.com', 'mem', 'Mem', 'x') RETURNING id`,
      )
    ).rows[0]!.id;
    const projectId = (
      await pool.query<{ id: string }>(
        `INSERT INTO projects (user_id, name, description, tech_stack) VALUES ($1, 'memory', 'bench', '{}') RETURNING id`,
        [userId],
      )
    ).rows[0]!.id;
    const line = "export function findNeedle(haystack: string[]): number { return haystack.indexOf('needle'); }\n";
    const content = line.repeat(Math.floor(FILE_BYTES / line.length));
    const started = performance.now();
    for (let start = 0; start < FILES; start += 10) {
      const paths = Array.from({ length: Math.min(10, FILES - start) }, (_, index) => `src/big-${start + index}.ts`);
      await pool.query(
        `INSERT INTO project_files (project_id, file_path, file_name, file_type, content, content_hash, size_bytes, line_count, created_by, updated_by)
         SELECT $1, p, regexp_replace(p, '^.*/', ''), 'typescript', $2, md5($2), octet_length($2), 0, $3, $3 FROM unnest($4::text[]) AS p`,
        [projectId, content, userId, paths],
      );
    }
    await pool.query("VACUUM ANALYZE project_files");
    console.log(
      `${FILES} files of ${(content.length / 1048576).toFixed(1)} MiB that all match "${QUERY}", loaded in ${((performance.now() - started) / 1000).toFixed(0)} s`,
    );

    const measure = (way: "before" | "after", heapMiB: number): ChildResult | "out of memory" => {
      try {
        const output = execFileSync(
          process.execPath,
          [
            `--max-old-space-size=${heapMiB}`,
            "--import",
            "tsx",
            fileURLToPath(import.meta.url),
            "--child",
            way,
            url,
            userId,
            projectId,
          ],
          { encoding: "utf8", maxBuffer: 1024 * 1024, stdio: ["ignore", "pipe", "pipe"] },
        );
        return JSON.parse(output.trim().split("\n").at(-1)!) as ChildResult;
      } catch (error) {
        if (/heap out of memory/i.test(String((error as { stderr?: string }).stderr))) return "out of memory";
        throw error;
      }
    };
    const show = (result: ChildResult | "out of memory") =>
      result === "out of memory"
        ? "  out of memory"
        : `${result.peakMiB.toFixed(0).padStart(6)} MiB  [${result.files} files]`;
    let ok = true;
    for (const heapMiB of [8192, SMALL_HEAP_MIB]) {
      const before = measure("before", heapMiB);
      const after = measure("after", heapMiB);
      console.log(
        `peak resident memory added by one words search over ${FILES} matching files, V8 heap limit ${heapMiB} MiB:`,
      );
      console.log(`  before (every content in one query):   ${show(before)}`);
      console.log(`  after  (contents in groups of 16 MiB):  ${show(after)}`);
      if (before !== "out of memory" && after !== "out of memory")
        console.log(`  before / after: ${(before.peakMiB / Math.max(after.peakMiB, 1)).toFixed(1)}x`);
      if (heapMiB === SMALL_HEAP_MIB) ok = after !== "out of memory" && after.files === FILES;
    }
    console.log(`search-memory (the search completes within a ${SMALL_HEAP_MIB} MiB heap): ${verdict(ok)}`);
  } finally {
    await bench.close();
  }
}

const childAt = process.argv.indexOf("--child");
if (childAt >= 0) {
  const [way, url, userId, projectId] = process.argv.slice(childAt + 1) as ["before" | "after", string, string, string];
  child(way, url, userId, projectId)
    .then((result) => console.log(JSON.stringify(result)))
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
} else {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
