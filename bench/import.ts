/**
 * `npm run bench:import`: importing files into one project, in one transaction, with the schema's triggers
 * (counters, activity, versions) against the same insert into a copy of project_files without triggers, and the
 * import of 10,000 files against 5,000 (linearity). Prints ratios measured in the same run; targets from DESIGN.md:
 * triggers at most 2.5x, 10k/5k at most 2.4x.
 */
import { createHash } from "node:crypto";
import type pg from "pg";
import { benchDatabase, median, verdict } from "./support";

const ROUNDS = 3;

function makeFiles(count: number, seed: string) {
  return Array.from({ length: count }, (_, index) => {
    const dir = `src/module-${Math.floor(index / 50)}`;
    const name = `file-${index}.ts`;
    const body = Array.from(
      { length: 40 },
      (_, line) => `export const value_${seed}_${index}_${line} = computeSomething(${line}, "${seed}-${index}");`,
    ).join("\n");
    const content = `// ${dir}/${name}\nimport { computeSomething } from "../lib";\n\n${body}\n`;
    return {
      path: `${dir}/${name}`,
      name,
      content,
      hash: createHash("sha256").update(content).digest("hex"),
      size: Buffer.byteLength(content),
      lines: content.split("\n").length,
    };
  });
}

/** The import statement: one INSERT of every file, as the app's zip import does. */
async function insertFiles(
  client: pg.PoolClient,
  table: string,
  projectId: string,
  userId: string,
  files: ReturnType<typeof makeFiles>,
) {
  await client.query(
    `INSERT INTO ${table} (project_id, file_path, file_name, file_type, mime_type, content, content_hash, size_bytes, line_count, created_by, updated_by)
     SELECT $1, p, n, 'typescript', 'text/typescript', c, h, s, l, $2, $2
       FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::int[], $8::int[]) AS f(p, n, c, h, s, l)`,
    [
      projectId,
      userId,
      files.map((file) => file.path),
      files.map((file) => file.name),
      files.map((file) => file.content),
      files.map((file) => file.hash),
      files.map((file) => file.size),
      files.map((file) => file.lines),
    ],
  );
}

async function timeImport(pool: pg.Pool, table: string, userId: string, count: number, round: string): Promise<number> {
  const files = makeFiles(count, round);
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO projects (user_id, name, description, tech_stack) VALUES ($1, $2, 'bench', '{}') RETURNING id`,
    [userId, `bench ${table} ${count} ${round}`],
  );
  const projectId = rows[0]!.id;
  const client = await pool.connect();
  try {
    const started = process.hrtime.bigint();
    await client.query("BEGIN");
    await client.query(
      "SELECT set_config('vaporform.actor_id', $1, true), set_config('vaporform.source_type', 'user', true)",
      [userId],
    );
    await insertFiles(client, table, projectId, userId, files);
    await client.query("COMMIT");
    return Number(process.hrtime.bigint() - started) / 1e6;
  } finally {
    client.release();
  }
}

async function main() {
  const bench = await benchDatabase();
  try {
    const { pool } = bench;
    const version = (await pool.query<{ server_version: string }>("SHOW server_version")).rows[0]?.server_version;
    const { rows } = await pool.query<{ id: string }>(
      `INSERT INTO users (email, username, full_name, password_hash) VALUES ('bench@example.com', 'bench', 'Bench', 'x') RETURNING id`,
    );
    const userId = rows[0]!.id;
    // Same columns, defaults, constraints and indexes; no triggers (and no foreign keys, which are triggers too).
    await pool.query("CREATE TABLE project_files_bare (LIKE project_files INCLUDING ALL)");

    // Warm up caches and plans once on each table.
    await timeImport(pool, "project_files", userId, 500, "warm");
    await timeImport(pool, "project_files_bare", userId, 500, "warm");

    const withTriggers: number[] = [];
    const bare: number[] = [];
    const half: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      bare.push(await timeImport(pool, "project_files_bare", userId, 10_000, `r${round}`));
      withTriggers.push(await timeImport(pool, "project_files", userId, 10_000, `r${round}`));
      half.push(await timeImport(pool, "project_files", userId, 5_000, `h${round}`));
    }
    const triggerRatio = median(withTriggers) / median(bare);
    const linearRatio = median(withTriggers) / median(half);

    const check = await pool.query<{ ok: boolean }>(
      `SELECT bool_and(p.total_files = (SELECT count(*) FROM project_files f WHERE f.project_id = p.id)) AS ok
         FROM projects p WHERE p.name LIKE 'bench project_files %'`,
    );

    console.log(`PostgreSQL ${version}; median of ${ROUNDS} rounds, one transaction each`);
    console.log(`  10,000 files, no triggers:   ${median(bare).toFixed(0)} ms`);
    console.log(`  10,000 files, with triggers: ${median(withTriggers).toFixed(0)} ms`);
    console.log(`   5,000 files, with triggers: ${median(half).toFixed(0)} ms`);
    console.log(`  counters exact after import: ${check.rows[0]?.ok ? "yes" : "NO"}`);
    console.log(
      `triggers / no triggers (10,000 files): ${triggerRatio.toFixed(2)}x  target <= 2.5x  ${verdict(triggerRatio <= 2.5)}`,
    );
    console.log(
      `10,000 / 5,000 files (linearity):      ${linearRatio.toFixed(2)}x  target <= 2.4x  ${verdict(linearRatio <= 2.4)}`,
    );
  } finally {
    await bench.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
