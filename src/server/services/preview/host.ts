/**
 * The preview host: one node:http listener per running preview, in the parent process of `npm start` (beside the
 * job worker), not in the Next server. Why there: it is the long-lived process that starts first (so it re-opens
 * the previews that were running before a restart), it survives Next's dev reloads, and a preview's traffic never
 * shares the app's event loop budget with its pages. Files are read from PostgreSQL on every request (ETag: the
 * content_hash; bundles: see bundle-cache.ts), so a saved edit shows on the next reload.
 *
 * Every response carries a strict CSP whose `sandbox` directive gives the page an opaque origin even when opened
 * outside the IDE's sandboxed iframe: it can never read or set the app's cookies (cookies ignore ports, so a
 * preview on localhost:4100 is sent localhost:3000's cookies; the host drops them unread and never sets any).
 */
import http from "node:http";
import type pg from "pg";
import { mimeTypeForPath } from "~/lib/file-types";
import { normalizeFilePath } from "~/lib/paths";
import { BUNDLED_EXTENSIONS, errorModule, formatBundleError } from "./bundle";
import type { BundleCache } from "./bundle-cache";
import { depsSettings, type DepsSettings } from "./deps";
import { HEALTH_PATH, SERVICE_RESOURCE, type PreviewSettings } from "./lifecycle";
import { createPreparer } from "./prepare";
import { servesProject } from "./probe";
import { markPreviewFailed, markPreviewRunning } from "./transitions";

export interface PreviewHostOptions {
  pool: pg.Pool;
  settings: PreviewSettings;
  /** The app's origin (e.g. http://localhost:3000): the only page allowed to frame a preview. */
  appOrigin: string;
  /** How often the host re-reads which previews should be up (a lost NOTIFY is caught up by then). */
  reconcileMs?: number;
  /** How often request counters are added to the service's metrics. */
  metricsMs?: number;
  /** Where and how npm dependencies of bundled previews are installed (default: from the environment). */
  deps?: DepsSettings;
  bundleCache?: BundleCache; // default: one of this host's own
  log?: (line: string) => void;
}

interface Listener {
  port: number;
  server: http.Server;
  requests: number;
  bytesOut: number;
}

export interface PreviewHost {
  /** Re-reads the table and opens/closes listeners to match (also run on NOTIFY and on a timer). */
  reconcile(): Promise<void>;
  /** Ports this host listens on, by project id. */
  listening(): Map<string, number>;
  flushMetrics(): Promise<void>;
  stop(): Promise<void>;
}

/** The CSP of every preview response. */
export function previewContentSecurityPolicy(appOrigin: string): string {
  return [
    "default-src 'self'",
    // The project's own page: its inline scripts and styles are its own code, on its own origin.
    "script-src 'self' 'unsafe-inline'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    `frame-ancestors ${appOrigin}`,
    "sandbox allow-scripts allow-forms",
  ].join("; ");
}

/** Starts the host: LISTEN for changes, open the previews that should be up, and keep them in step. */
export async function startPreviewHost(options: PreviewHostOptions): Promise<PreviewHost> {
  const { pool, settings, appOrigin, reconcileMs = 5_000, metricsMs = 10_000, bundleCache } = options;
  const log = options.log ?? ((line: string) => console.warn(line));
  const csp = previewContentSecurityPolicy(appOrigin);
  const listeners = new Map<string, Listener>();
  const preparer = createPreparer({ pool, deps: options.deps ?? depsSettings(), log, bundleCache });
  let stopped = false;
  let running: Promise<void> | null = null;
  let again = false;
  let listenClient: pg.PoolClient | null = null;

  const baseHeaders = (): Record<string, string> => ({
    "content-security-policy": csp,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    // Module scripts and fetch() from the sandboxed (opaque, "null") origin are CORS requests; nothing is private
    // to a caller here (no cookies are read), so any origin may read what the port serves.
    "access-control-allow-origin": "*",
    "cache-control": "no-cache",
  });

  async function handle(projectId: string, entry: Listener, req: http.IncomingMessage, res: http.ServerResponse) {
    delete req.headers.cookie;
    entry.requests += 1;
    const send = (status: number, headers: Record<string, string>, body?: Buffer | string) => {
      const buffer = body === undefined ? undefined : typeof body === "string" ? Buffer.from(body) : body;
      res.writeHead(status, {
        ...baseHeaders(),
        ...headers,
        ...(buffer ? { "content-length": String(buffer.length) } : {}),
      });
      if (buffer && req.method !== "HEAD") {
        entry.bytesOut += buffer.length;
        res.end(buffer);
      } else res.end();
    };
    const page = (status: number, title: string, text: string) =>
      send(
        status,
        { "content-type": "text/html; charset=utf-8" },
        `<!doctype html><meta charset="utf-8"><title>${title}</title><body style="font:14px system-ui;padding:2rem"><h1 style="font-size:1.1rem">${title}</h1><p>${text}</p></body>`,
      );
    if (req.method === "OPTIONS") {
      // A CORS preflight: module scripts of the sandboxed ("null" origin) page are CORS requests, and a request
      // header added on the way (a proxy's, a test browser's) makes them non-simple. Reading is all it may do.
      const asked = req.headers["access-control-request-headers"];
      send(204, {
        "access-control-allow-methods": "GET, HEAD",
        ...(typeof asked === "string" ? { "access-control-allow-headers": asked } : {}),
        "access-control-max-age": "600",
      });
      return;
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      send(405, { allow: "GET, HEAD", "content-type": "text/plain; charset=utf-8" }, "Previews serve files: GET only.");
      return;
    }
    const rawPath = (req.url ?? "/").split(/[?#]/, 1)[0] ?? "/";
    if (rawPath === HEALTH_PATH) {
      send(200, { "content-type": "application/json" }, JSON.stringify({ ok: true, project: projectId }));
      return;
    }
    let decoded: string;
    try {
      decoded = rawPath
        .split("/")
        .map((segment) => decodeURIComponent(segment))
        .join("/");
    } catch {
      page(400, "Bad request", "The address is not valid.");
      return;
    }
    const wanted = decoded.replace(/^\/+/, "");
    const directory = wanted === "" || wanted.endsWith("/");
    const checked = normalizeFilePath(directory ? `${wanted}index.html` : wanted);
    if (!checked.ok) {
      // A path with .. (raw or encoded), a backslash, a control character: never resolved, never looked up.
      page(404, "Not found", "There is no such file in this project.");
      return;
    }
    // Vite's convention: files under public/ are served from the root (the template's /favicon.svg).
    const file =
      (await readFile(projectId, checked.path)) ??
      (directory ? undefined : await readFile(projectId, `public/${checked.path}`));
    if (!file) {
      if (!directory && (await readFile(projectId, `${checked.path}/index.html`, true))) {
        send(308, { location: `/${encodeURI(checked.path)}/`, "content-type": "text/plain; charset=utf-8" }, "");
        return;
      }
      page(404, "Not found", `This project has no file ${escapeHtml(checked.path)}.`);
      return;
    }
    if (!file.is_binary && BUNDLED_EXTENSIONS.test(checked.path)) {
      // TypeScript/JSX, bundled with its dependencies (bundle-cache.ts: built again once a file changed). Errors show
      // in the page (and in the pane), with file and line.
      const bundled = await preparer.bundle(projectId, checked.path);
      send(
        200,
        { "content-type": "text/javascript; charset=utf-8" },
        bundled.ok
          ? bundled.code
          : errorModule("The preview could not be bundled:", bundled.errors.map(formatBundleError)),
      );
      return;
    }
    const etag = `"${file.content_hash ?? ""}"`;
    const type = mimeTypeForPath(checked.path, file.is_binary);
    const headers: Record<string, string> = {
      "content-type": file.is_binary ? type : `${type}; charset=utf-8`,
      ...(file.content_hash ? { etag } : {}),
    };
    if (file.content_hash && req.headers["if-none-match"] === etag) {
      send(304, headers);
      return;
    }
    send(200, headers, file.is_binary ? Buffer.from(file.content ?? "", "base64") : (file.content ?? ""));
  }

  async function readFile(projectId: string, filePath: string, existsOnly = false) {
    const { rows } = await pool.query<{ content: string | null; is_binary: boolean; content_hash: string | null }>(
      existsOnly
        ? "SELECT NULL AS content, is_binary, content_hash FROM project_files WHERE project_id = $1 AND file_path = $2"
        : "SELECT content, is_binary, content_hash FROM project_files WHERE project_id = $1 AND file_path = $2",
      [projectId, filePath],
    );
    return rows[0];
  }

  async function open(projectId: string, port: number): Promise<void> {
    const entry: Listener = { port, server: http.createServer(), requests: 0, bytesOut: 0 };
    entry.server.on("request", (req: http.IncomingMessage, res: http.ServerResponse) => {
      handle(projectId, entry, req, res).catch((error: unknown) => {
        log(`▸ Preview ${projectId} request failed: ${error instanceof Error ? error.message : String(error)}`);
        if (!res.headersSent) res.writeHead(500, { ...baseHeaders(), "content-type": "text/plain; charset=utf-8" });
        res.end("The preview could not read this file; try again.");
      });
    });
    entry.server.keepAliveTimeout = 5_000;
    try {
      await new Promise<void>((resolve, reject) => {
        entry.server.once("error", reject);
        entry.server.listen({ port, host: settings.bind, exclusive: true }, () => {
          entry.server.off("error", reject);
          resolve();
        });
      });
    } catch (error) {
      // Another instance on this machine may serve it already (the database is shared): then all is well.
      if (await servesProject(port, projectId)) return;
      await markPreviewFailed(pool, projectId, port, error instanceof Error ? error.message : String(error), log);
      return;
    }
    listeners.set(projectId, entry);
    await markPreviewRunning(pool, projectId, port);
    // Installing dependencies can take a while: the port answers meanwhile, and the pane follows the steps.
    preparer.prepare(projectId).catch((error: unknown) => {
      log(`▸ Preview ${projectId} could not be prepared: ${error instanceof Error ? error.message : String(error)}`);
    });
  }

  async function close(projectId: string): Promise<void> {
    const entry = listeners.get(projectId);
    if (!entry) return;
    listeners.delete(projectId);
    preparer.forget(projectId);
    await flushOne(projectId, entry);
    await new Promise<void>((resolve) => {
      entry.server.close(() => resolve());
      entry.server.closeAllConnections();
    });
  }

  async function reconcileOnce(): Promise<void> {
    const { first, last } = settings.range;
    const { rows } = await pool.query<{ id: string; port: number }>(
      `SELECT p.id, p.allocated_port AS port
         FROM projects p
         JOIN infrastructure_resources r
           ON r.project_id = p.id AND r.resource_type = $1 AND r.resource_name = $2 AND r.status <> 'stopped'
        WHERE p.status IN ('creating', 'running') AND p.allocated_port BETWEEN $3 AND $4`,
      [SERVICE_RESOURCE.type, SERVICE_RESOURCE.name, first, last],
    );
    const wanted = new Map(rows.map((row) => [row.id, row.port]));
    for (const [projectId, entry] of listeners) {
      if (wanted.get(projectId) !== entry.port) await close(projectId);
    }
    for (const [projectId, port] of wanted) {
      if (stopped) return;
      if (!listeners.has(projectId)) await open(projectId, port);
      // Ours and up, but still `creating` (a restart between listen and the status update): say it runs.
      else await markPreviewRunning(pool, projectId, port);
    }
  }

  async function reconcile(): Promise<void> {
    if (stopped) return;
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          again = false;
          await ensureListening();
          await reconcileOnce();
        } while (again && !stopped);
      } finally {
        running = null;
      }
    })();
    return running;
  }

  async function ensureListening(): Promise<void> {
    if (listenClient) return;
    const client = await pool.connect();
    client.on("notification", () => {
      reconcile().catch((error: unknown) => log(`▸ Preview host: ${String(error)}`));
    });
    client.on("error", () => {
      // The connection is gone (database restart): the timer reconciles and listens again.
      client.release(true);
      if (listenClient === client) listenClient = null;
    });
    await client.query("LISTEN vaporform_preview"); // lifecycle.ts PREVIEW_CHANNEL
    listenClient = client;
  }

  async function flushOne(projectId: string, entry: Listener): Promise<void> {
    const requests = entry.requests;
    const bytes = entry.bytesOut;
    entry.requests = 0;
    entry.bytesOut = 0;
    try {
      await pool.query(
        `UPDATE infrastructure_resources
            SET network_out_bytes = coalesce(network_out_bytes, 0) + $4,
                configuration = jsonb_set(coalesce(configuration, '{}'), '{requests}',
                                          to_jsonb(coalesce((configuration->>'requests')::bigint, 0) + $5)),
                last_metrics_at = now()
          WHERE project_id = $1 AND resource_type = $2 AND resource_name = $3`,
        [projectId, SERVICE_RESOURCE.type, SERVICE_RESOURCE.name, bytes, requests],
      );
    } catch (error) {
      entry.requests += requests;
      entry.bytesOut += bytes;
      throw error;
    }
  }

  async function flushMetrics(): Promise<void> {
    for (const [projectId, entry] of listeners) await flushOne(projectId, entry);
  }

  const timer = setInterval(() => {
    reconcile().catch((error: unknown) => log(`▸ Preview host: ${String(error)}`));
  }, reconcileMs);
  timer.unref();
  const metricsTimer = setInterval(() => {
    flushMetrics().catch((error: unknown) => log(`▸ Preview metrics: ${String(error)}`));
  }, metricsMs);
  metricsTimer.unref();

  await reconcile();

  return {
    reconcile,
    listening: () => new Map([...listeners].map(([projectId, entry]) => [projectId, entry.port])),
    flushMetrics,
    async stop() {
      stopped = true;
      clearInterval(timer);
      clearInterval(metricsTimer);
      await running?.catch(() => {});
      for (const projectId of [...listeners.keys()]) await close(projectId).catch(() => {});
      if (listenClient) {
        await listenClient.query("UNLISTEN vaporform_preview").catch(() => {});
        listenClient.release();
        listenClient = null;
      }
    },
  };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
