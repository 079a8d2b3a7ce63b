/**
 * `npm run bench:search`: code search (`search.query`, called through the app router) over one user's 20 projects:
 * one of 10,000 realistic source files (2-4 KB each) and 19 of 2,000, beside another user's 10,000 files that must
 * never show up. Prints the p95 of each mode within the large project (target < 50 ms) and across all 20 projects
 * (target < 200 ms), the plans of the file queries (which must use the full-text and trigram indexes), and the
 * large project's p95 over ripgrep's on the same files on disk (bench/search-ripgrep.ts).
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import type pg from "pg";
import { loadApp } from "./app-modules";
import { ensureRipgrep, measureRipgrep, writeTree, type BenchQuery } from "./search-ripgrep";
import { benchDatabase, percentile, verdict } from "./support";

const BIG_PROJECT_FILES = Number(process.env.BENCH_BIG_FILES ?? 10_000);
const SMALL_PROJECTS = 19;
const SMALL_PROJECT_FILES = Number(process.env.BENCH_SMALL_FILES ?? 2_000);
const REPEATS = 6;

// ---------------------------------------------------------------------------------------------------------------
// Realistic source: a vocabulary of verbs and domain nouns, Zipf-distributed, in components, services, tests, docs
// ---------------------------------------------------------------------------------------------------------------

const VERBS =
  "get set fetch load save update create delete remove add find parse format validate render handle compute build map filter sort merge sync apply reset init open close send receive register resolve transform normalize serialize encode decode check ensure track refresh".split(
    " ",
  );
const NOUNS =
  "user account profile order invoice cart product item price session token cache config request response handler service repository query result error message event listener state store reducer action payload route page layout component button form field input modal dialog table row column chart metric report export import file folder path project template rating review comment notification email address payment subscription plan customer team member role permission policy audit log entry record schema model migration index search filter option setting theme color size status health container deployment build job task queue worker schedule timer retry limit quota usage cost budget invoice tax discount coupon shipment warehouse inventory stock category tag label note draft version history snapshot backup restore".split(
    " ",
  );
const MORE_NOUNS =
  "avatar badge banner basket batch beacon bill blob board booking branch bucket bundle calendar campaign canvas card carrier catalog channel checkout claim client clip cluster code cohort console contact contract counter country credential currency cursor dashboard dataset deadline delivery device digest domain download driver edge editor employee endpoint engine estimate experiment feed fixture flag forecast gateway grid group hook host icon identity image incident integration interval issue journal kernel key lead ledger license link locale lock manifest marker match media menu merchant meter milestone mirror module monitor namespace node offer offset organization outbox package panel parcel partner pipeline pixel playlist plugin point portal preference preview printer priority process prompt provider purchase quote rate reader receipt referral region release reminder replica request resource reward rule runner sample scene scope screen secret segment sender sensor server shard sheet shift signal site slot socket source span sprint stage station step stream submission supplier survey switch target tenant terminal thread ticket tile topic tracker trade transaction trigger upload vendor venue viewer visit voucher wallet webhook widget window workflow workspace zone".split(
    " ",
  );
const ADJECTIVES =
  "active archived cached current default deleted draft empty expired external failed filtered first global hidden initial internal last latest local locked main manual missing next old open optional paid partial pending primary private public queued raw recent remote required selected shared signed stale temporary total unread valid verified visible".split(
    " ",
  );
NOUNS.push(...MORE_NOUNS);
const LIBS = [
  "react",
  "next/navigation",
  "zod",
  "@tanstack/react-query",
  "lucide-react",
  "clsx",
  "date-fns",
  "~/lib/format",
  "~/server/db",
  "~/components/ui/button",
];

function rng(seed: number) {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 4294967296;
  };
}

function generator(seed: number) {
  const random = rng(seed);
  // Zipf-like: the k-th word is about 1/k as frequent as the first, as words are in real code.
  const zipf = <T>(list: T[]) =>
    list[Math.min(list.length - 1, Math.floor(Math.exp(random() * Math.log(list.length + 1)) - 1))]!;
  const cap = (word: string) => word[0]!.toUpperCase() + word.slice(1);
  const ident = () =>
    `${zipf(VERBS)}${random() < 0.3 ? cap(zipf(ADJECTIVES)) : ""}${cap(zipf(NOUNS))}${random() < 0.3 ? cap(zipf(NOUNS)) : ""}`;
  const type = () =>
    `${cap(zipf(NOUNS))}${random() < 0.5 ? cap(zipf(["props", "input", "options", "result", "state", "data"])) : ""}`;

  function component(name: string): string {
    const hooks = Array.from({ length: 2 + Math.floor(random() * 4) }, () => {
      const noun = zipf(NOUNS);
      return `  const [${noun}, set${cap(noun)}] = useState<${type()} | null>(null);`;
    });
    const handlers = Array.from({ length: 2 + Math.floor(random() * 4) }, () => {
      const fn = ident();
      return `  const ${fn} = useCallback(async (event: React.FormEvent) => {\n    event.preventDefault();\n    const response = await fetch("/api/${zipf(NOUNS)}/${zipf(NOUNS)}", { method: "POST" });\n    if (!response.ok) throw new Error("Failed to ${zipf(VERBS)} ${zipf(NOUNS)}: " + response.status);\n    ${ident()}(await response.json());\n  }, [${zipf(NOUNS)}]);`;
    });
    return `import { useCallback, useEffect, useState } from "react";\nimport { ${cap(zipf(NOUNS))} } from "${zipf(LIBS)}";\nimport { ${ident()} } from "${zipf(LIBS)}";\n\nexport interface ${name}Props {\n  ${zipf(NOUNS)}Id: string;\n  on${cap(zipf(VERBS))}?: (value: ${type()}) => void;\n}\n\n/** Shows the ${zipf(NOUNS)} ${zipf(NOUNS)} and lets the user ${zipf(VERBS)} it. */\nexport function ${name}({ ${zipf(NOUNS)}Id }: ${name}Props) {\n${hooks.join("\n")}\n\n  useEffect(() => {\n    void ${ident()}(${zipf(NOUNS)}Id).then(set${cap(zipf(NOUNS))});\n  }, [${zipf(NOUNS)}Id]);\n\n${handlers.join("\n\n")}\n\n  return (\n    <section className="flex flex-col gap-2 p-4">\n      <h2 className="text-lg font-semibold">${cap(zipf(NOUNS))} ${zipf(NOUNS)}</h2>\n      <button type="button" onClick={${ident()}}>${cap(zipf(VERBS))}</button>\n    </section>\n  );\n}\n`;
  }

  function service(): string {
    const functions = Array.from({ length: 5 + Math.floor(random() * 5) }, () => {
      const fn = ident();
      const noun = zipf(NOUNS);
      return `/** ${cap(zipf(VERBS))}s the ${noun} of a ${zipf(NOUNS)}; ${random() < 0.15 ? "TODO: handle the retry limit" : `see ${ident()}`}. */\nexport async function ${fn}(db: Database, ${noun}Id: string, options: ${type()} = {}): Promise<${type()}> {\n  const ${noun} = await db.${noun}.findUnique({ where: { id: ${noun}Id }, select: { id: true, status: true, updatedAt: true } });\n  if (!${noun}) throw new AppError("NOT_FOUND", "${cap(noun)} not found.");\n  const ${zipf(NOUNS)} = ${ident()}(${noun}, options);\n  logger.info({ ${noun}Id, at: "${2020 + Math.floor(random() * 6)}-0${1 + Math.floor(random() * 9)}-1${Math.floor(random() * 9)}" }, "${zipf(VERBS)} ${noun}");\n  return ${ident()}(${noun});\n}`;
    });
    return `import { AppError } from "~/server/errors";\nimport type { Database } from "~/server/db";\nimport { logger } from "~/server/logger";\nimport { ${ident()}, ${ident()} } from "./${zipf(NOUNS)}";\n\n${functions.join("\n\n")}\n`;
  }

  function test(): string {
    const cases = Array.from(
      { length: 4 + Math.floor(random() * 4) },
      () =>
        `  it("${zipf(VERBS)}s the ${zipf(NOUNS)} when the ${zipf(NOUNS)} is ${zipf(["missing", "valid", "expired", "locked", "empty"])}", async () => {\n    const ${zipf(NOUNS)} = await ${ident()}(db, "${createHash("md5").update(String(random())).digest("hex").slice(0, 8)}");\n    expect(${ident()}(${zipf(NOUNS)})).toEqual({ status: "${zipf(["ok", "failed", "pending"])}" });\n  });`,
    );
    return `import { describe, expect, it } from "vitest";\nimport { ${ident()} } from "./${zipf(NOUNS)}";\n\ndescribe("${zipf(NOUNS)} ${zipf(NOUNS)}", () => {\n${cases.join("\n\n")}\n});\n`;
  }

  function doc(): string {
    const paragraphs = Array.from({ length: 6 + Math.floor(random() * 6) }, () =>
      Array.from({ length: 25 + Math.floor(random() * 20) }, () => (random() < 0.5 ? zipf(NOUNS) : zipf(VERBS))).join(
        " ",
      ),
    );
    return `# ${cap(zipf(NOUNS))} ${zipf(NOUNS)}\n\n${paragraphs.join(".\n\n")}.\n\nSee \`${ident()}\` and the error message table below.\n`;
  }

  return (index: number): { path: string; content: string } => {
    const dir = `src/${zipf(["components", "features", "server", "lib", "hooks", "app"])}/${zipf(NOUNS)}-${Math.floor(index / 40)}`;
    const kind = random();
    let path: string;
    let content: string;
    if (kind < 0.35) {
      const name = `${cap(zipf(NOUNS))}${cap(zipf(NOUNS))}${index}`;
      path = `${dir}/${name}.tsx`;
      content = component(name);
    } else if (kind < 0.75) {
      path = `${dir}/${zipf(NOUNS)}-${index}.ts`;
      content = service();
    } else if (kind < 0.92) {
      path = `${dir}/${zipf(NOUNS)}-${index}.test.ts`;
      content = test();
    } else {
      path = `docs/${zipf(NOUNS)}-${index}.md`;
      content = doc();
    }
    // Keep every file within 2-4 KB, as the benchmark promises.
    while (content.length < 2048) content += `\n${service()}`;
    if (content.length > 4096) content = content.slice(0, 4096 - 1).replace(/\n[^\n]*$/, "\n");
    return { path, content };
  };
}

function projectFiles(count: number, seed: number): { path: string; content: string }[] {
  const next = generator(seed);
  return Array.from({ length: count }, (_, index) => next(index));
}

async function insertProject(
  pool: pg.Pool,
  userId: string,
  name: string,
  files: { path: string; content: string }[],
): Promise<string> {
  const projectId = (
    await pool.query<{ id: string }>(
      `INSERT INTO projects (user_id, name, description, tech_stack) VALUES ($1, $2, 'bench', '{}') RETURNING id`,
      [userId, name],
    )
  ).rows[0]!.id;
  for (let start = 0; start < files.length; start += 2_000) {
    const batch = files.slice(start, start + 2_000);
    await pool.query(
      `INSERT INTO project_files (project_id, file_path, file_name, file_type, content, content_hash, size_bytes, line_count, created_by, updated_by)
       SELECT $1, p, regexp_replace(p, '^.*/', ''), 'typescript', c, md5(c), octet_length(c), 0, $2, $2
         FROM unnest($3::text[], $4::text[]) AS f(p, c)`,
      [projectId, userId, batch.map((file) => file.path), batch.map((file) => file.content)],
    );
  }
  return projectId;
}

const QUERIES: Record<"words" | "exact" | "regex", BenchQuery[]> = {
  words: [
    { query: "useState" },
    { query: "fetchUser" },
    { query: "retry limit" },
    { query: '"error message"' },
    { query: "invoice payment" },
    { query: "validateSession" },
    { query: "TODO" },
    { query: "warehouse", pathFilter: "docs/**" },
  ],
  exact: [
    { query: "useCallback(async" },
    { query: "TODO: handle" },
    { query: "getUserProfile" },
    { query: 'throw new AppError("NOT_FOUND"' },
    { query: "saveOrder", caseSensitive: true },
    { query: "session", wholeWord: true },
    { query: 'className="flex' },
    { query: "expired", pathFilter: "*.test.ts" },
  ],
  regex: [
    { query: "use[A-Z]\\w+\\(" },
    { query: "TODO|FIXME" },
    { query: 'fetch\\("/api/user/\\w+"' },
    { query: "^export async function get\\w+" },
    { query: "\\d{4}-0\\d-1\\d" },
    { query: "set(Cart|Order)\\b", caseSensitive: true },
    { query: 'import \\{ \\w+ \\} from "react"' },
    { query: 'Error\\("Failed to (save|load)', pathFilter: "src/components/**" },
  ],
};

async function main() {
  const bench = await benchDatabase();
  // Dropping the benchmark database at the end ends its connections; an idle one reporting it is expected.
  bench.pool.on("error", () => {});
  const connectionString = (bench.pool as unknown as { options: { connectionString: string } }).options
    .connectionString;
  const { createCaller, createTRPCContext, loadSessionUser, db, getPool } = await loadApp(connectionString);
  try {
    const { pool } = bench;
    const version = (await pool.query<{ server_version: string }>("SHOW server_version")).rows[0]?.server_version;
    const newUser = async (name: string) =>
      (
        await pool.query<{ id: string }>(
          `INSERT INTO users (email, username, full_name, password_hash) VALUES ($1, $2, $3, 'x') RETURNING id`,
          [`${name}@example.com`, name, name],
        )
      ).rows[0]!.id;
    const userId = await newUser("searcher");
    const otherId = await newUser("someone_else");

    const loadStarted = performance.now();
    const bigFiles = projectFiles(BIG_PROJECT_FILES, 1);
    const bigProject = await insertProject(pool, userId, "big", bigFiles);
    for (let index = 0; index < SMALL_PROJECTS; index++) {
      await insertProject(pool, userId, `small-${index}`, projectFiles(SMALL_PROJECT_FILES, 100 + index));
    }
    const othersProject = await insertProject(pool, otherId, "not yours", projectFiles(BIG_PROJECT_FILES, 7));
    await pool.query("VACUUM ANALYZE project_files");
    const stats = (
      await pool.query<{ files: number; mb: number }>(
        "SELECT count(*)::int AS files, round(sum(octet_length(content)) / 1048576.0)::int AS mb FROM project_files",
      )
    ).rows[0]!;
    console.log(
      `PostgreSQL ${version}; ${stats.files.toLocaleString("en-US")} files (${stats.mb} MB) loaded in ${((performance.now() - loadStarted) / 1000).toFixed(0)} s: ` +
        `the user's 20 projects (${BIG_PROJECT_FILES.toLocaleString("en-US")} + ${SMALL_PROJECTS} x ${SMALL_PROJECT_FILES.toLocaleString("en-US")}) and another user's ${BIG_PROJECT_FILES.toLocaleString("en-US")}`,
    );

    const user = await loadSessionUser({ db, userId, sessionVersion: 0 });
    if (!user) throw new Error("bench user not loaded");
    const api = createCaller(await createTRPCContext({ headers: new Headers(), session: { user }, ip: "127.0.0.1" }));

    let leaked = false;
    const measure = async (projectId: string | undefined) => {
      const out: Record<string, { times: number[]; files: number }> = {};
      for (const [mode, queries] of Object.entries(QUERIES) as [keyof typeof QUERIES, (typeof QUERIES)["words"]][]) {
        const times: number[] = [];
        let files = 0;
        for (const query of queries) {
          await api.search.query({ ...query, mode, projectId }); // warm-up
          const first = times.length;
          for (let repeat = 0; repeat < REPEATS; repeat++) {
            const started = performance.now();
            const result = await api.search.query({ ...query, mode, projectId });
            times.push(performance.now() - started);
            files += repeat === 0 ? result.results.length : 0;
            if (result.results.some((hit) => hit.projectId === othersProject)) leaked = true;
          }
          if (process.env.BENCH_VERBOSE) {
            console.log(
              `    ${projectId ? "one" : "all"} ${mode} ${JSON.stringify(query)}: p50 ${percentile(times.slice(first), 50).toFixed(1)} ms`,
            );
          }
        }
        out[mode] = { times, files };
      }
      return out;
    };

    const single = await measure(bigProject);
    const across = await measure(undefined);
    let ok = true;
    console.log(
      `p95 over ${REPEATS} runs of ${QUERIES.words.length} queries per mode (files found by the queries in brackets):`,
    );
    for (const mode of Object.keys(QUERIES)) {
      const one = percentile(single[mode]!.times, 95);
      const all = percentile(across[mode]!.times, 95);
      ok &&= one < 50 && all < 200;
      console.log(
        `  ${mode.padEnd(5)}  one project (10,000 files): p95 ${one.toFixed(1).padStart(6)} ms  target < 50 ms  ${verdict(one < 50)}  [${single[mode]!.files}]` +
          `   all 20 projects: p95 ${all.toFixed(1).padStart(6)} ms  target < 200 ms  ${verdict(all < 200)}  [${across[mode]!.files}]`,
      );
    }
    console.log(`  another user's files in any result: ${leaked ? "YES (FAIL)" : "none"}`);

    // The baseline: ripgrep over the large project's files on disk (page-cached), same queries, same repetitions.
    const ripgrep = ensureRipgrep();
    const root = writeTree(bigFiles);
    try {
      console.log(
        `against ${ripgrep} over the same ${BIG_PROJECT_FILES.toLocaleString("en-US")} files on disk (page-cached), p95 ours / p95 ripgrep:`,
      );
      for (const [mode, queries] of Object.entries(QUERIES) as [keyof typeof QUERIES, BenchQuery[]][]) {
        const rg = measureRipgrep(root, mode, queries, REPEATS);
        const ours = percentile(single[mode]!.times, 95);
        const theirs = percentile(rg.times, 95);
        console.log(
          `  ${mode.padEnd(5)}  ours ${ours.toFixed(1).padStart(6)} ms  ripgrep ${theirs.toFixed(1).padStart(6)} ms  ` +
            `ratio ${(ours / theirs).toFixed(2)}  [files: ours ${single[mode]!.files} (at most 50 a query), ripgrep ${rg.files}]`,
        );
      }
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }

    // The plans of the file queries, written as src/server/services/search/queries.ts writes them: each mode must go
    // through its index, with the project in the index condition (the scan reads only the caller's projects).
    const plans: [string, string, unknown[]][] = [
      [
        "words  (full-text GIN)",
        `SELECT f.id FROM project_files f
          WHERE f.project_id = ANY($1::uuid[]) AND NOT f.is_binary
            AND f.search_vector @@ websearch_to_tsquery('simple', 'fetchUser') LIMIT 200`,
        [[bigProject]],
      ],
      [
        "exact  (trigram GIN)  ",
        `SELECT c.id FROM unnest($1::uuid[]) AS s(project_id)
          CROSS JOIN LATERAL (SELECT f.id FROM project_files f
                               WHERE f.project_id = s.project_id AND NOT f.is_binary AND f.content ILIKE '%getUserProfile%' LIMIT 51) c
          LIMIT 51`,
        [[bigProject]],
      ],
      [
        "regex  (trigram GIN)  ",
        `SELECT c.id FROM (SELECT id FROM projects WHERE user_id = $1 ORDER BY name) AS s(project_id)
          CROSS JOIN LATERAL (SELECT f.id FROM project_files f
                               WHERE f.project_id = s.project_id AND NOT f.is_binary AND f.content ~* '(?n)fetch\\("/api/user/\\w+"' LIMIT 51) c
          LIMIT 51`,
        [userId],
      ],
    ];
    for (const [label, sql, values] of plans) {
      const { rows } = await pool.query<{ "QUERY PLAN": string }>(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, values);
      const plan = rows.map((row) => row["QUERY PLAN"]).join("\n");
      if (process.env.BENCH_VERBOSE) console.log(plan);
      const index = /idx_project_files_content_(search|trgm)/.exec(plan)?.[0];
      const scoped = /Index Cond: \(\(project_id = /.test(plan);
      ok &&= Boolean(index) && scoped;
      console.log(
        `  plan ${label}: ${index ? `uses ${index}` : "NO content index"}, ${scoped ? "scoped to the project in the index condition" : "NOT scoped in the index"}  ${verdict(Boolean(index) && scoped)}`,
      );
    }
    console.log(`search: ${verdict(ok && !leaked)}`);
  } finally {
    await db.$disconnect().catch(() => {});
    await getPool()
      .end()
      .catch(() => {});
    await bench.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
