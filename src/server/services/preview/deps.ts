/**
 * A preview's npm dependencies, installed once per plan (deps-plan.ts) into `<root>/<key>/node_modules` and reused
 * by every preview and instance on this machine with the same package.json and lockfile. The install never runs a
 * script (`--ignore-scripts`), never installs devDependencies, and is bounded in time and size; it is written into a
 * temporary folder and renamed into place, so a cache entry is complete or absent. A PostgreSQL advisory lock per
 * key keeps two instances (or two requests) from installing the same set twice; the most recently used
 * `keep` entries stay, older ones are removed after each install. At most `MAX_CONCURRENT_INSTALLS` npm processes
 * run in this process (more sets wait their turn, up to `MAX_WAITING_INSTALLS`; past that an install is refused as
 * busy), and npm's cache lives inside the install's temporary folder, so the size limit counts it.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { promises as fs } from "node:fs";
import path from "node:path";
import type pg from "pg";
import { env, npmChildEnvironment } from "~/env";
import type { DepsPlan } from "./deps-plan";
import { createLimiter, LimiterBusyError } from "./limiter";

export interface DepsSettings {
  /** The cache folder (`VAPORFORM_DATA_DIR/preview-deps`). */
  root: string;
  /** `--registry` of the install; undefined: npm's configured registry. */
  registry: string | undefined;
  timeoutMs: number;
  maxBytes: number;
  keep: number;
}

export function depsSettings(): DepsSettings {
  return {
    root: path.join(env.VAPORFORM_DATA_DIR, "preview-deps"),
    registry: env.PREVIEW_NPM_REGISTRY,
    timeoutMs: env.PREVIEW_INSTALL_TIMEOUT_MS,
    maxBytes: env.PREVIEW_DEPS_MAX_BYTES,
    keep: env.PREVIEW_DEPS_KEEP,
  };
}

/** An install that did not succeed; `message` is what the preview pane shows. */
export class DepsInstallError extends Error {}
/** No install slot is free and too many wait: worth trying again soon (never remembered as the set's failure). */
class DepsBusyError extends DepsInstallError {}

export interface InstalledDeps {
  /** The folder holding `node_modules`. */
  dir: string;
  /** Whether this call ran npm (false: the cache had it). */
  installed: boolean;
  ms: number;
}

/** Second key space of the install lock ("vfpd"), apart from the app's other advisory locks. */
const INSTALL_LOCK_CLASS = 0x76667064;
const inFlight = new Map<string, Promise<InstalledDeps>>();
export const MAX_CONCURRENT_INSTALLS = 2;
export const MAX_WAITING_INSTALLS = 16;
const installSlots = createLimiter(MAX_CONCURRENT_INSTALLS, MAX_WAITING_INSTALLS);
/** A set whose install failed is not tried again before this (each reload would run npm again otherwise). */
export const FAILED_INSTALL_RETRY_MS = 30_000;
/** By install folder: the failure and when it happened (oldest first; bounded). */
const recentFailures = new Map<string, { error: DepsInstallError; at: number }>();

/** The installed dependencies of `plan`: from the cache, or installed now (once, whoever else asks). */
export function ensureDependencies(options: {
  pool: pg.Pool;
  plan: DepsPlan;
  settings: DepsSettings;
}): Promise<InstalledDeps> {
  const { plan } = options;
  const running = inFlight.get(plan.key);
  if (running) return running;
  const dir = path.join(options.settings.root, plan.key);
  const failed = recentFailures.get(dir);
  if (failed && Date.now() - failed.at < FAILED_INSTALL_RETRY_MS) return Promise.reject(failed.error);
  const promise = ensureOnce(options)
    .then(
      (installed) => {
        recentFailures.delete(dir);
        return installed;
      },
      (error: unknown) => {
        if (error instanceof DepsInstallError && !(error instanceof DepsBusyError)) {
          recentFailures.delete(dir);
          recentFailures.set(dir, { error, at: Date.now() });
          if (recentFailures.size > 256) recentFailures.delete(recentFailures.keys().next().value!);
        }
        throw error;
      },
    )
    .finally(() => inFlight.delete(plan.key));
  inFlight.set(plan.key, promise);
  return promise;
}

/** Whether `plan` is installed already (no lock, no npm). */
export async function isInstalled(plan: DepsPlan, settings: DepsSettings): Promise<boolean> {
  return exists(path.join(settings.root, plan.key));
}

async function ensureOnce({ pool, plan, settings }: { pool: pg.Pool; plan: DepsPlan; settings: DepsSettings }) {
  const started = Date.now();
  const dir = path.join(settings.root, plan.key);
  if (await exists(dir)) {
    await touch(dir);
    return { dir, installed: false, ms: Date.now() - started };
  }
  // The slot is taken before the lock: a waiting install holds no database connection.
  return installSlots
    .run(() =>
      withInstallLock(pool, plan.key, settings.timeoutMs, async () => {
        // Another instance (or an earlier install here) may have finished it while this one waited.
        if (await exists(dir)) return { dir, installed: false, ms: Date.now() - started };
        await install(plan, settings, dir);
        await prune(settings, plan.key).catch(() => {});
        return { dir, installed: true, ms: Date.now() - started };
      }),
    )
    .catch((error: unknown) => {
      if (!(error instanceof LimiterBusyError)) throw error;
      throw new DepsBusyError(
        `The server is busy installing other previews' dependencies (${MAX_CONCURRENT_INSTALLS} at a time, ` +
          `${MAX_WAITING_INSTALLS} waiting): reload the preview in a minute to try again.`,
      );
    });
}

async function install(plan: DepsPlan, settings: DepsSettings, dir: string): Promise<void> {
  await fs.mkdir(settings.root, { recursive: true });
  const id = `${plan.key.slice(0, 12)}-${randomBytes(4).toString("hex")}`;
  const temp = path.join(settings.root, `.tmp-${id}`);
  // npm's cache (packuments, tarballs) inside the install's folder: measured with it, removed with it.
  const cache = path.join(temp, ".npm-cache");
  try {
    await fs.mkdir(temp);
    // Only these two files of the project reach the disk (as planned: no scripts, no workspaces, no addresses).
    await fs.writeFile(path.join(temp, "package.json"), plan.packageJson);
    if (plan.lockfile !== null) await fs.writeFile(path.join(temp, "package-lock.json"), plan.lockfile);
    await runNpm(plan, settings, temp, cache);
    if ((await dirSize(temp, Infinity)) > settings.maxBytes) throw tooLarge(settings);
    await fs.rm(cache, { recursive: true, force: true });
    await fs.rename(temp, dir).catch(async (error: NodeJS.ErrnoException) => {
      // Someone without the lock (another machine's instance on a shared disk) was first: theirs is as good.
      if (!(await exists(dir))) throw error;
    });
  } finally {
    await fs.rm(temp, { recursive: true, force: true });
  }
}

function runNpm(plan: DepsPlan, settings: DepsSettings, cwd: string, cache: string): Promise<void> {
  const args = [
    plan.lockfile !== null ? "ci" : "install",
    "--ignore-scripts",
    "--omit=dev",
    "--no-audit",
    "--no-fund",
    "--no-update-notifier",
    "--workspaces=false",
    "--install-links=false",
    "--cache",
    cache,
    // An unreachable registry is reported within seconds, not after npm's minute of back-off.
    "--fetch-retries=1",
    "--fetch-retry-mintimeout=1000",
    "--fetch-retry-maxtimeout=3000",
    `--fetch-timeout=${Math.min(settings.timeoutMs, 60_000)}`,
    ...(settings.registry ? ["--registry", settings.registry] : []),
  ];
  return new Promise((resolve, reject) => {
    const child = spawn("npm", args, {
      cwd,
      env: npmChildEnvironment() as NodeJS.ProcessEnv,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    const collect = (chunk: Buffer) => {
      if (output.length < 64 * 1024) output += chunk.toString("utf8");
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    let failure: DepsInstallError | null = null;
    const kill = (error: DepsInstallError) => {
      failure ??= error;
      try {
        if (child.pid) process.kill(-child.pid, "SIGKILL");
      } catch {
        // Already gone.
      }
    };
    const timer = setTimeout(
      () =>
        kill(
          new DepsInstallError(
            `npm install took longer than ${Math.round(settings.timeoutMs / 1000)} s (PREVIEW_INSTALL_TIMEOUT_MS) and was stopped.`,
          ),
        ),
      settings.timeoutMs,
    );
    const sizeWatch = setInterval(() => {
      dirSize(cwd, settings.maxBytes)
        .then((bytes) => {
          if (bytes > settings.maxBytes) kill(tooLarge(settings));
        })
        .catch(() => {});
    }, 1_000);
    child.on("error", (error) => kill(new DepsInstallError(`npm could not be started: ${error.message}`)));
    child.on("close", (code) => {
      clearTimeout(timer);
      clearInterval(sizeWatch);
      if (failure) reject(failure);
      else if (code === 0) resolve();
      else reject(new DepsInstallError(describeNpmFailure(output, settings.registry)));
    });
  });
}

function tooLarge(settings: DepsSettings): DepsInstallError {
  const limit =
    settings.maxBytes < 1024 * 1024
      ? `${Math.round(settings.maxBytes / 1024)} KiB`
      : `${Math.round(settings.maxBytes / (1024 * 1024))} MiB`;
  return new DepsInstallError(
    `The dependencies take more than ${limit} (PREVIEW_DEPS_MAX_BYTES): the install was stopped.`,
  );
}

/** npm's short error: its code and first lines, with a word on what it means when the registry is out of reach. */
export function describeNpmFailure(output: string, registry: string | undefined): string {
  const lines = output
    .split("\n")
    .filter((line) => line.startsWith("npm error") || line.startsWith("npm ERR!"))
    .map((line) => line.replace(/^npm (?:error|ERR!)\s?/, "").trim())
    .filter((line) => line !== "" && !line.startsWith("at ") && !/complete log of this run/i.test(line));
  const code = /^code (\S+)/.exec(lines.find((line) => line.startsWith("code ")) ?? "")?.[1];
  const detail = lines
    .filter((line) => !/^(?:code|errno|syscall) /.test(line))
    .slice(0, 3)
    .join(" ")
    .slice(0, 400);
  const offline =
    code && /^(?:ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|ECONNRESET|ENETUNREACH|EHOSTUNREACH)$/.test(code);
  const where = registry ?? "npm's configured registry";
  const head = offline
    ? `The npm registry (${where}) could not be reached: this install may be offline.`
    : "npm install failed.";
  return `${head} npm said: ${code ? `${code}: ` : ""}${detail || "no error message"}`;
}

async function withInstallLock<T>(pool: pg.Pool, key: string, timeoutMs: number, fn: () => Promise<T>): Promise<T> {
  const lockKey = Number.parseInt(key.slice(0, 8), 16) | 0;
  const deadline = Date.now() + timeoutMs + 10_000;
  for (;;) {
    const client = await pool.connect();
    let held = false;
    try {
      const { rows } = await client.query<{ ok: boolean }>("SELECT pg_try_advisory_lock($1::int, $2::int) AS ok", [
        INSTALL_LOCK_CLASS,
        lockKey,
      ]);
      held = rows[0]?.ok === true;
      if (held) return await fn();
    } finally {
      if (held)
        await client
          .query("SELECT pg_advisory_unlock($1::int, $2::int)", [INSTALL_LOCK_CLASS, lockKey])
          .catch(() => {});
      client.release();
    }
    // Not ours: another instance installs this set; wait for it without holding a connection.
    if (Date.now() > deadline)
      throw new DepsInstallError("Another install of the same dependencies did not finish in time.");
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

/** Keeps the `keep` most recently used entries, and removes temporary folders left by a crash (over an hour old). */
async function prune(settings: DepsSettings, current: string): Promise<void> {
  const entries = await fs.readdir(settings.root, { withFileTypes: true });
  const dated = await Promise.all(
    entries
      .filter((entry) => entry.isDirectory())
      .map(async (entry) => ({
        name: entry.name,
        mtime: (await fs.stat(path.join(settings.root, entry.name))).mtimeMs,
      })),
  );
  const stale = dated.filter((entry) => entry.name.startsWith(".tmp-") && entry.mtime < Date.now() - 3_600_000);
  const kept = dated
    .filter((entry) => !entry.name.startsWith("."))
    .sort((a, b) => b.mtime - a.mtime)
    .slice(settings.keep)
    .filter((entry) => entry.name !== current);
  for (const entry of [...stale, ...kept]) {
    await fs.rm(path.join(settings.root, entry.name), { recursive: true, force: true });
  }
}

/** Bytes under `dir` (files as stored, links not followed), counting stops once past `limit`. */
async function dirSize(dir: string, limit: number): Promise<number> {
  let total = 0;
  const pending = [dir];
  while (pending.length > 0 && total <= limit) {
    const current = pending.pop()!;
    let entries: import("node:fs").Dirent[];
    try {
      entries = await fs.readdir(current, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) pending.push(full);
      else if (entry.isFile()) total += (await fs.lstat(full).catch(() => ({ size: 0 }))).size;
    }
  }
  return total;
}

async function exists(target: string): Promise<boolean> {
  return fs.access(target).then(
    () => true,
    () => false,
  );
}

async function touch(target: string): Promise<void> {
  const now = new Date();
  await fs.utimes(target, now, now).catch(() => {});
}
