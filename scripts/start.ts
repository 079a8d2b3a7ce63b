/**
 * `npm start`: the whole app from a fresh checkout. Provides a database (DATABASE_URL or an embedded PostgreSQL),
 * migrates, seeds the demo data (idempotent), builds when the build is missing or stale, then serves on PORT.
 * `npm run dev` does the same with `next dev` instead of a build.
 */
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { buildIsStale, recordBuild } from "./build-state";
import { runCli } from "./cli";

const dev = process.argv.includes("--dev");
const nextBin = path.resolve("node_modules/.bin/next");
const tsxBin = path.resolve("node_modules/.bin/tsx");

function run(command: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(command, args, { stdio: "inherit", env });
}

function waitFor(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}

/**
 * With a shared database, every instance needs the same NEXTAUTH_SECRET (or sessions flip between instances) and
 * ENCRYPTION_KEY (or secrets written by one cannot be read by another); generated ones live in one machine's .data/.
 */
function warnAboutLocalSecrets(
  env: {
    NEXTAUTH_SECRET?: string;
    ENCRYPTION_KEY?: string;
    ENCRYPTION_KEYS?: Map<number, string>;
    VAPORFORM_DATA_DIR: string;
  },
  keyCheck: string,
) {
  const generated = [
    !env.NEXTAUTH_SECRET && `NEXTAUTH_SECRET (${path.join(env.VAPORFORM_DATA_DIR, "nextauth.secret")})`,
    // Version 1 comes from the file only when neither variable gives it.
    !env.ENCRYPTION_KEY &&
      !env.ENCRYPTION_KEYS?.has(1) &&
      `ENCRYPTION_KEY (${path.join(env.VAPORFORM_DATA_DIR, "encryption.key")})`,
  ].filter(Boolean);
  if (generated.length === 0) return;
  console.warn(
    `▸ DATABASE_URL is set, but these secrets are generated into this machine's data folder: ${generated.join(", ")}.\n` +
      "  Fine for one instance. To run several on this database, set NEXTAUTH_SECRET and ENCRYPTION_KEY to the same\n" +
      `  values on every instance (copy them from the files above)${keyCheck === "matches" ? "" : "; this instance's key is now the install's"}.`,
  );
}

runCli(async () => {
  const started = Date.now();
  const { env } = await import("~/env");
  const { ensureDatabase, readOrCreateSecret } = await import("~/server/db/runtime");
  const { migrateDatabase } = await import("~/server/db/migrator");
  const { runMaintenance } = await import("~/server/db/maintenance");
  const { installJobQueue, startJobQueue } = await import("~/server/services/jobs/queue");
  const { createPool } = await import("~/server/db/pool");
  const { checkEncryptionKey } = await import("~/server/db/key-check");
  const { describeCredentials, seedDatabase } = await import("../prisma/seed/index");
  const { seedAccounts } = await import("../prisma/seed/passwords");
  const { failInterruptedTurns } = await import("~/server/services/assistant");
  const { startPreviewHost } = await import("~/server/services/preview/host");
  const { previewSettings } = await import("~/server/services/preview/lifecycle");
  const { removeStaleGitTempDirs } = await import("~/server/services/git/cleanup");

  const database = await ensureDatabase({ log: () => {} });
  console.log(
    database.embedded
      ? `▸ Embedded PostgreSQL ready (${path.join(env.VAPORFORM_DATA_DIR, "postgres")})`
      : "▸ Using DATABASE_URL",
  );
  const migrated = await migrateDatabase(database.url, { log: (line) => console.log(`  ${line}`) });
  console.log(`▸ Migrations: ${migrated.applied.length} applied, ${migrated.alreadyApplied.length} already there`);
  // This process also runs the background jobs (a few polling queries and one job at a time per queue).
  const pool = createPool(database.url, 8);
  await installJobQueue(pool);
  const keyCheck = await checkEncryptionKey(pool);
  if (!database.embedded) warnAboutLocalSecrets(env, keyCheck);
  await runMaintenance(pool, { retentionMonths: env.ACTIVITY_RETENTION_MONTHS });
  // A turn still marked running whose heartbeat stopped was cut off by a crash or a restart (turns of another
  // live instance on the same database keep beating). Checked again every minute while the server runs.
  const interrupted = await failInterruptedTurns(pool);
  if (interrupted > 0) console.warn(`▸ ${interrupted} Claude turn(s) cut off by the last shutdown marked failed`);
  const turnSweep = setInterval(() => {
    failInterruptedTurns(pool)
      .then((count) => {
        if (count > 0) console.warn(`▸ ${count} Claude turn(s) whose server stopped marked failed`);
      })
      .catch((error: unknown) => console.error("▸ Checking for cut-off Claude turns failed:", error));
  }, 60_000);
  turnSweep.unref();
  // Git work's temporary directories a crash left behind (older than an hour: no operation of a live server).
  const gitTempDirs = await removeStaleGitTempDirs().catch((error: unknown) => {
    console.error("▸ Removing stale git temporary directories failed:", error);
    return 0;
  });
  if (gitTempDirs > 0) console.warn(`▸ ${gitTempDirs} git temporary folder(s) left by a crash removed`);
  // Daily maintenance, reconciliations and any registered job, from the PostgreSQL queue shared by all instances.
  const jobQueue = await startJobQueue({
    pool,
    retentionMonths: env.ACTIVITY_RETENTION_MONTHS,
    log: (line) => console.warn(line),
  });
  console.log("▸ Background jobs started (admins see them at /admin/jobs)");
  // Live previews listen here, beside the worker, not in the Next server (see src/server/services/preview/host.ts);
  // those that were running before a restart open again now.
  const settings = previewSettings();
  const previews = await startPreviewHost({
    pool,
    settings,
    appOrigin: new URL(env.NEXTAUTH_URL ?? `http://localhost:${env.PORT}`).origin,
  });
  const resumed = previews.listening().size;
  console.log(
    `▸ Previews on ports ${settings.range.first}-${settings.range.last}${resumed > 0 ? ` (${resumed} running again)` : ""}`,
  );
  const summary = await seedDatabase(pool, {
    log: (line) => console.log(`  ${line}`),
    ...seedAccounts(),
  });
  console.log("▸ Demo data ready. Sign in with:");
  for (const line of describeCredentials(summary.credentials)) console.log(`    ${line}`);

  if (!env.SMTP_URL && env.DEV_MAILBOX === "auto") {
    console.warn(
      "▸ Mail is not configured: messages wait in the development mailbox at /mailbox (all of them for admins,\n" +
        "  their own to signed-in users); e-mail addresses are not really verified.\n" +
        "  Set SMTP_URL to send real mail, or DEV_MAILBOX=off to keep the outbox for administrators.",
    );
  }

  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: database.url,
    PORT: String(env.PORT),
    NEXT_TELEMETRY_DISABLED: "1",
    NEXTAUTH_URL: env.NEXTAUTH_URL ?? `http://localhost:${env.PORT}`,
    NEXTAUTH_SECRET:
      env.NEXTAUTH_SECRET ?? readOrCreateSecret(path.join(env.VAPORFORM_DATA_DIR, "nextauth.secret"), 32),
  };

  if (!dev && buildIsStale()) {
    console.log("▸ Building (the build is missing or older than the sources)…");
    const buildStarted = Date.now();
    const code = await waitFor(run(nextBin, ["build"], { ...childEnv, NODE_ENV: "production" }));
    if (code !== 0) throw new Error(`next build failed with exit code ${code}`);
    recordBuild();
    console.log(`▸ Built in ${((Date.now() - buildStarted) / 1000).toFixed(0)} s`);
  }

  const server = run(tsxBin, ["scripts/server.ts", ...(dev ? ["--dev"] : [])], {
    ...childEnv,
    NODE_ENV: dev ? "development" : "production",
  });
  console.log(
    `▸ Starting on http://localhost:${env.PORT} (ready in ${((Date.now() - started) / 1000).toFixed(1)} s after launch)`,
  );

  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    server.kill(signal);
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);

  const code = await waitFor(server);
  clearInterval(turnSweep);
  await previews.stop();
  await jobQueue.stop();
  await pool.end();
  await database.stop();
  if (code !== 0 && !stopping) throw new Error(`The server exited with code ${code}.`);
});
