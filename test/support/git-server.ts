/**
 * A real Git server on loopback for tests and Playwright: git's own `git http-backend` (CGI) behind a small
 * node:http bridge, with Basic auth (a user and password; 401 with WWW-Authenticate otherwise, or anonymous
 * reads when `publicRead`), bare repositories under `root` with `http.receivepack true`. Helpers create a
 * repository with files and commit to it as someone else, through the git binary in a temporary work tree
 * (the app itself never needs git). Standalone: `npx tsx test/support/git-server.ts --port N --root DIR`.
 */
import { execFile, spawn } from "node:child_process";
import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const HTTP_BACKEND = "/usr/lib/git-core/git-http-backend";

export interface GitServerOptions {
  port?: number;
  /** Where the bare repositories live (default: a new temporary folder, removed by stop). */
  root?: string;
  username?: string;
  password?: string;
  /** Reads (clone, fetch) without credentials; pushes still need them. */
  publicRead?: boolean;
}

export interface GitServer {
  url: string;
  port: number;
  root: string;
  username: string;
  password: string;
  /** Every request: method, path and whether it carried credentials (never the credentials themselves). */
  log: { method: string; path: string; authorized: boolean; status: number }[];
  /** Whether reads need credentials (changeable while running). */
  setPublicRead(value: boolean): void;
  /** Whether any username goes with the password (as hosts take a token), changeable while running. */
  setAnyUsername(value: boolean): void;
  /** Sends answers slowly: at most `bytesPerChunk` bytes each `delayMs` (0: at full speed). */
  setThrottle(delayMs: number, bytesPerChunk?: number): void;
  /**
   * A bare repository `name` with `files` (and `stage`, as `commitAs`) committed on `branch` (none: an empty
   * repository). Answers its URL.
   */
  createRepo(
    name: string,
    files?: Record<string, string | Buffer>,
    options?: { branch?: string; stage?: GitStage },
  ): Promise<string>;
  /**
   * A commit on `branch` by "Someone Else": files written (a null deletes), then `stage` (run with the work tree
   * after `git add -A`: for what files cannot say, an executable bit, a symbolic link, a submodule). Answers the
   * commit id.
   */
  commitAs(
    name: string,
    files: Record<string, string | Buffer | null>,
    options?: { branch?: string; message?: string; stage?: GitStage },
  ): Promise<string>;
  /** The files of `branch`'s tip, as text. */
  readFiles(name: string, branch?: string): Promise<Record<string, string>>;
  /** `git log` of `branch`: commit, author name, author e-mail, subject, body; newest first. */
  readLog(
    name: string,
    branch?: string,
  ): Promise<{ commit: string; authorName: string; authorEmail: string; subject: string; body: string }[]>;
  /** `git show <args> <object>` in the repository, e.g. a file's content as `main:path`. */
  show(name: string, object: string, args?: string[]): Promise<string>;
  /** `git ls-tree -r` of `branch`'s tip: every entry but the folders, in git's order. */
  lsTree(name: string, branch?: string): Promise<{ mode: string; type: string; oid: string; path: string }[]>;
  /** The tip of `branch` (null: no such branch). */
  tip(name: string, branch?: string): Promise<string | null>;
  stop(): Promise<void>;
}

/** What a commit stages beyond its files; `git` runs in the work tree `work` and answers git's output. */
export type GitStage = (git: (args: string[]) => Promise<string>, work: string) => Promise<void>;

const gitEnv = {
  GIT_CONFIG_NOSYSTEM: "1",
  HOME: tmpdir(),
  GIT_AUTHOR_NAME: "Someone Else",
  GIT_AUTHOR_EMAIL: "someone@example.com",
  GIT_COMMITTER_NAME: "Someone Else",
  GIT_COMMITTER_EMAIL: "someone@example.com",
};

async function git(args: string[], cwd?: string): Promise<string> {
  const { stdout } = await run("git", args, { cwd, env: { ...process.env, ...gitEnv }, maxBuffer: 256 * 1024 * 1024 });
  return stdout;
}

function passwordOf(req: http.IncomingMessage): string | null {
  const header = req.headers.authorization;
  if (!header?.startsWith("Basic ")) return null;
  const decoded = Buffer.from(header.slice(6), "base64").toString("utf8");
  return decoded.slice(decoded.indexOf(":") + 1);
}

/** Starts the server; `stop` closes it (and removes a root it created). */
export async function startGitServer(options: GitServerOptions = {}): Promise<GitServer> {
  const ownRoot = options.root === undefined;
  const root = options.root ?? (await mkdtemp(join(tmpdir(), "vf-test-git-server-")));
  await mkdir(root, { recursive: true });
  const username = options.username ?? "alice";
  const password = options.password ?? "s3cret-token";
  let publicRead = options.publicRead ?? false;
  let anyUsername = false;
  let throttle = { delayMs: 0, bytesPerChunk: 16 * 1024 };
  const log: GitServer["log"] = [];
  const expected = `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`;

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const authorized = req.headers.authorization === expected || (anyUsername && passwordOf(req) === password);
    const isPush = url.searchParams.get("service") === "git-receive-pack" || url.pathname.endsWith("/git-receive-pack");
    const entry = { method: req.method ?? "GET", path: url.pathname + url.search, authorized, status: 0 };
    log.push(entry);
    if (!authorized && (isPush || !publicRead)) {
      entry.status = 401;
      res.writeHead(401, { "WWW-Authenticate": 'Basic realm="git"', "Content-Type": "text/plain" });
      res.end("Authentication required");
      return;
    }
    const child = spawn(HTTP_BACKEND, [], {
      stdio: ["pipe", "pipe", "ignore"],
      env: {
        ...process.env,
        ...gitEnv,
        PATH: process.env.PATH,
        GIT_PROJECT_ROOT: root,
        GIT_HTTP_EXPORT_ALL: "1",
        PATH_INFO: decodeURIComponent(url.pathname),
        QUERY_STRING: url.search.slice(1),
        REQUEST_METHOD: req.method ?? "GET",
        CONTENT_TYPE: req.headers["content-type"] ?? "",
        CONTENT_LENGTH: req.headers["content-length"] ?? "",
        HTTP_CONTENT_ENCODING: req.headers["content-encoding"] ?? "",
        GIT_PROTOCOL: String(req.headers["git-protocol"] ?? ""),
        REMOTE_USER: authorized ? username : "",
        REMOTE_ADDR: req.socket.remoteAddress ?? "",
        SERVER_PROTOCOL: "HTTP/1.1",
      },
    });
    req.pipe(child.stdin);
    let head = Buffer.alloc(0);
    let headersDone = false;
    // Throttled: the child is paused while its output drips out.
    const send = async (chunk: Buffer) => {
      if (throttle.delayMs === 0) return void res.write(chunk);
      child.stdout.pause();
      for (let at = 0; at < chunk.length && !res.destroyed; at += throttle.bytesPerChunk) {
        res.write(chunk.subarray(at, at + throttle.bytesPerChunk));
        await new Promise((resolve) => setTimeout(resolve, throttle.delayMs));
      }
      child.stdout.resume();
    };
    let queue = Promise.resolve();
    child.stdout.on("data", (chunk: Buffer) => {
      if (headersDone) {
        queue = queue.then(() => send(chunk));
        return;
      }
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf("\r\n\r\n");
      const endLf = head.indexOf("\n\n");
      const cut = end >= 0 ? { at: end, len: 4 } : endLf >= 0 ? { at: endLf, len: 2 } : null;
      if (!cut) return;
      headersDone = true;
      let status = 200;
      const headers: Record<string, string> = {};
      for (const line of head.subarray(0, cut.at).toString("latin1").split(/\r?\n/)) {
        const colon = line.indexOf(":");
        if (colon < 0) continue;
        const name = line.slice(0, colon).trim();
        const value = line.slice(colon + 1).trim();
        if (name.toLowerCase() === "status") status = Number.parseInt(value, 10);
        else headers[name] = value;
      }
      entry.status = status;
      res.writeHead(status, headers);
      const rest = head.subarray(cut.at + cut.len);
      queue = queue.then(() => send(rest));
    });
    child.stdout.on("end", () => void queue.then(() => res.end()));
    res.on("close", () => child.kill());
    child.on("error", () => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
    child.stdin.on("error", () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  const bare = (name: string) => join(root, `${name}.git`);

  async function inWorkTree<T>(name: string, branch: string, fn: (work: string) => Promise<T>): Promise<T> {
    const work = await mkdtemp(join(tmpdir(), "vf-test-git-work-"));
    try {
      await git(["init", "-q", "-b", branch, work]);
      await git(["fetch", "-q", bare(name), `+refs/heads/${branch}:refs/remotes/origin/${branch}`], work).then(
        () => git(["reset", "-q", "--hard", `origin/${branch}`], work),
        () => undefined,
      );
      return await fn(work);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }

  async function writeAll(work: string, files: Record<string, string | Buffer | null>) {
    for (const [path, content] of Object.entries(files)) {
      const target = join(work, path);
      if (content === null) await rm(target, { force: true });
      else {
        await mkdir(dirname(target), { recursive: true });
        await writeFile(target, content);
      }
    }
  }

  const api: GitServer = {
    url,
    port,
    root,
    username,
    password,
    log,
    setPublicRead: (value) => {
      publicRead = value;
    },
    setAnyUsername: (value) => {
      anyUsername = value;
    },
    setThrottle: (delayMs, bytesPerChunk = 16 * 1024) => {
      throttle = { delayMs, bytesPerChunk };
    },
    async createRepo(name, files, repoOptions) {
      const branch = repoOptions?.branch ?? "main";
      await git(["init", "-q", "--bare", "-b", branch, bare(name)]);
      await git(["config", "http.receivepack", "true"], bare(name));
      if (files && Object.keys(files).length > 0)
        await api.commitAs(name, files, { branch, message: "Initial commit", stage: repoOptions?.stage });
      return `${url}/${name}.git`;
    },
    async commitAs(name, files, commitOptions) {
      const branch = commitOptions?.branch ?? "main";
      return inWorkTree(name, branch, async (work) => {
        await writeAll(work, files);
        await git(["add", "-A"], work);
        await commitOptions?.stage?.((args) => git(args, work), work);
        await git(["commit", "-q", "-m", commitOptions?.message ?? "A change by someone else"], work);
        await git(["push", "-q", bare(name), `HEAD:refs/heads/${branch}`], work);
        return (await git(["rev-parse", "HEAD"], work)).trim();
      });
    },
    async readFiles(name, branch = "main") {
      const listing = await git(["ls-tree", "-r", "--name-only", branch], bare(name));
      const files: Record<string, string> = {};
      for (const path of listing.split("\n").filter(Boolean)) {
        files[path] = await git(["show", `${branch}:${path}`], bare(name));
      }
      return files;
    },
    async readLog(name, branch = "main") {
      const out = await git(["log", "--format=%H%x1f%an%x1f%ae%x1f%s%x1f%b%x1e", branch], bare(name));
      return out
        .split("\x1e")
        .map((record) => record.trim())
        .filter(Boolean)
        .map((record) => {
          const [commit, authorName, authorEmail, subject, body] = record.split("\x1f");
          return {
            commit: commit!,
            authorName: authorName!,
            authorEmail: authorEmail!,
            subject: subject!,
            body: body ?? "",
          };
        });
    },
    show: (name, object, args = []) => git(["show", ...args, object], bare(name)),
    async lsTree(name, branch = "main") {
      const listing = await git(["ls-tree", "-r", "-z", branch], bare(name));
      return listing
        .split("\0")
        .filter(Boolean)
        .map((line) => {
          const [meta, path] = line.split("\t") as [string, string];
          const [mode, type, oid] = meta.split(" ") as [string, string, string];
          return { mode, type, oid, path };
        });
    },
    async tip(name, branch = "main") {
      try {
        return (await git(["rev-parse", "--verify", "-q", `refs/heads/${branch}`], bare(name))).trim() || null;
      } catch {
        return null;
      }
    },
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (ownRoot) await rm(root, { recursive: true, force: true });
    },
  };
  return api;
}

if (process.argv[1]?.endsWith("git-server.ts")) {
  const arg = (name: string) => {
    const at = process.argv.indexOf(`--${name}`);
    return at >= 0 ? process.argv[at + 1] : undefined;
  };
  void startGitServer({
    port: Number(arg("port") ?? 0),
    root: arg("root"),
    username: arg("user"),
    password: arg("password"),
  }).then((server) => {
    console.log(`git server on ${server.url} (root ${server.root}, user ${server.username})`);
    const stop = () => void server.stop().then(() => process.exit(0));
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}
