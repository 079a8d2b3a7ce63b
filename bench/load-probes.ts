/**
 * What `npm run bench:load` watches on the server side: the process that serves the port (found through the
 * listening socket, whatever wraps it: npm, tsx) and its memory, and the app's connections in pg_stat_activity.
 */
import fs from "node:fs";
import type pg from "pg";

/** The pid of the process listening on TCP `port` (IPv4 or IPv6), or null. */
export function listeningPid(port: number): number | null {
  const inodes = new Set<string>();
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    if (!fs.existsSync(table)) continue;
    for (const line of fs.readFileSync(table, "utf8").split("\n").slice(1)) {
      const fields = line.trim().split(/\s+/);
      // local_address is ADDR:PORT in hex; state 0A is LISTEN; the 10th field is the socket's inode.
      if (fields[3] === "0A" && Number.parseInt(fields[1]?.split(":")[1] ?? "", 16) === port)
        inodes.add(fields[9] ?? "");
    }
  }
  for (const pid of fs.readdirSync("/proc").filter((entry) => /^\d+$/.test(entry))) {
    try {
      for (const fd of fs.readdirSync(`/proc/${pid}/fd`)) {
        const target = fs.readlinkSync(`/proc/${pid}/fd/${fd}`);
        if (inodes.has(target.match(/^socket:\[(\d+)\]$/)?.[1] ?? "")) return Number(pid);
      }
    } catch {
      // A process that ended, or one we may not look into.
    }
  }
  return null;
}

/** Resident memory of `pid` now and at its peak since it started (VmRSS, VmHWM), in MiB. */
export function memoryOf(pid: number): { rss: number; peak: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = (field: string) => Number(status.match(new RegExp(`^${field}:\\s+(\\d+) kB`, "m"))?.[1] ?? 0);
  return { rss: kib("VmRSS") / 1024, peak: kib("VmHWM") / 1024 };
}

export interface PeakUse {
  connections: number;
  busy: number;
  rssMiB: number;
}

/**
 * Samples, every `everyMs`, the connections of `applicationName` to the database of `pool` (all, and those not
 * idle) and the resident memory of `pid`; `stop()` answers the peaks.
 */
export function samplePeaks(
  pool: pg.Pool,
  applicationName: string,
  pid: number,
  everyMs = 100,
): { stop(): Promise<PeakUse> } {
  const peak: PeakUse = { connections: 0, busy: 0, rssMiB: 0 };
  let running = true;
  const loop = (async () => {
    while (running) {
      const { rows } = await pool.query<{ connections: number; busy: number }>(
        `SELECT count(*)::int AS connections, (count(*) FILTER (WHERE state <> 'idle'))::int AS busy
           FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1`,
        [applicationName],
      );
      peak.connections = Math.max(peak.connections, rows[0]?.connections ?? 0);
      peak.busy = Math.max(peak.busy, rows[0]?.busy ?? 0);
      peak.rssMiB = Math.max(peak.rssMiB, memoryOf(pid).rss);
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return peak;
    },
  };
}
