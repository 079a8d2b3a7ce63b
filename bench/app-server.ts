/**
 * The app as `npm start` starts it, for a benchmark: on a free loopback port, in its own process group (so stopping
 * it stops npm, the app and its children as Ctrl-C would), ready once /api/health answers.
 */
import { spawn } from "node:child_process";
import net from "node:net";

const startupTimeoutMs = 10 * 60_000;

export interface RunningApp {
  port: number;
  baseUrl: string;
  pid: number | undefined;
  /** The last lines the app printed, to show when something failed. */
  output: string[];
  exited: Promise<number>;
  /** Resolves when /api/health answers; rejects if the app exits first or is not ready within 10 minutes. */
  ready(): Promise<void>;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer().on("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Spawns `npm start` with `env` on top of this process's environment (PORT and NEXTAUTH_URL are set here). */
export async function startApp(env: Record<string, string>): Promise<RunningApp> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const output: string[] = [];
  const app = spawn("npm", ["start"], {
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...env, PORT: String(port), NEXTAUTH_URL: `http://localhost:${port}` },
  });
  const keep = (chunk: Buffer) => {
    output.push(...chunk.toString().split("\n").filter(Boolean));
    output.splice(0, Math.max(0, output.length - 50));
  };
  app.stdout.on("data", keep);
  app.stderr.on("data", keep);
  const exited = new Promise<number>((resolve) => app.on("exit", (code) => resolve(code ?? 1)));
  // The app's process group does not get the terminal's Ctrl-C: pass it on before leaving.
  const interrupted = () => void stopApp(app.pid, exited).finally(() => process.exit(130));
  process.once("SIGINT", interrupted);
  process.once("SIGTERM", interrupted);
  const stop = async () => {
    process.off("SIGINT", interrupted);
    process.off("SIGTERM", interrupted);
    await stopApp(app.pid, exited);
  };
  return { port, baseUrl, pid: app.pid, output, exited, ready: () => waitForHealth(baseUrl, exited), stop };
}

async function waitForHealth(baseUrl: string, exited: Promise<number>): Promise<void> {
  let done = false;
  void exited.then(() => (done = true));
  const giveUp = performance.now() + startupTimeoutMs;
  while (!done && performance.now() < giveUp) {
    const ok = await fetch(`${baseUrl}/api/health`).then(
      (response) => response.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(done ? "npm start exited before the app was ready" : "the app was not ready within 10 minutes");
}

/** Ctrl-C to the app's process group, then SIGKILL if it is still there after 20 s. */
async function stopApp(pid: number | undefined, exited: Promise<number>): Promise<void> {
  if (!pid) return;
  try {
    process.kill(-pid, "SIGINT");
  } catch {
    return;
  }
  const stopped = await Promise.race([
    exited.then(() => true),
    new Promise((resolve) => setTimeout(() => resolve(false), 20_000)),
  ]);
  if (stopped) return;
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // Gone between the two signals.
  }
}
