import http from "node:http";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";

// Before the app's modules read the environment: this file's own ports, apart from the default range.
vi.hoisted(() => {
  process.env.PREVIEW_PORT_RANGE = "4750-4757";
});

const { db } = await import("~/server/db/client");
const { startPreviewHost } = await import("~/server/services/preview/host");
const { previewSettings, startPreview } = await import("~/server/services/preview/lifecycle");
const { checkPreviewHealth } = await import("~/server/services/preview/health");
const { findJobDefinition } = await import("~/server/services/jobs/registry");
const { createBundleCache } = await import("~/server/services/preview/bundle-cache");
const { pool } = await import("../db");
const { expectFailure, newProject, signedInUser } = await import("../files/support");

type Host = Awaited<ReturnType<typeof startPreviewHost>>;
const APP_ORIGIN = "http://localhost:3999";
let host: Host;
const bundles = createBundleCache();

beforeAll(async () => {
  host = await startPreviewHost({
    pool,
    settings: previewSettings(),
    appOrigin: APP_ORIGIN,
    reconcileMs: 200,
    bundleCache: bundles,
  });
});

afterAll(async () => {
  await host.stop();
});

/** A GET with the path sent exactly as given (fetch would resolve dot segments first). */
function rawGet(port: number, path: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }>((resolve, reject) => {
    const request = http.request({ host: "127.0.0.1", port, path, headers }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (body += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
    });
    request.on("error", reject);
    request.end();
  });
}

async function siteProject(files: Record<string, string> = { "index.html": "<h1>Hello preview</h1>" }) {
  const user = await signedInUser();
  const projectId = await newProject(user.api);
  for (const [path, content] of Object.entries(files)) await user.api.file.create({ projectId, path, content });
  return { ...user, projectId };
}

async function activityOf(projectId: string) {
  const { rows } = await pool.query<{ activity_type: string; source_type: string; after_state: unknown }>(
    `SELECT activity_type, source_type, after_state FROM project_activity
      WHERE project_id = $1 AND activity_type LIKE 'preview%' ORDER BY created_at, id`,
    [projectId],
  );
  return rows;
}

async function resources(projectId: string) {
  const { rows } = await pool.query(
    `SELECT resource_type, resource_name, status, health_status, health_check_url, disk_usage_mb,
            network_out_bytes::int AS bytes_out, (configuration->>'requests')::int AS requests, last_metrics_at
       FROM infrastructure_resources WHERE project_id = $1 ORDER BY resource_type`,
    [projectId],
  );
  return rows as Record<string, unknown>[];
}

describe("project.start / project.stop", () => {
  it("serves the project's files on a port of the range, records service and volume, and stop frees the port", async () => {
    const { api, projectId } = await siteProject({
      "index.html": '<link rel="stylesheet" href="style.css"><h1>Hello preview</h1>',
      "style.css": "h1 { color: red }",
    });
    const started = await api.project.start({ projectId });
    expect(started.status).toBe("running");
    expect(started.healthStatus).toBe("healthy");
    expect(started.port).toBeGreaterThanOrEqual(4750);
    expect(started.port).toBeLessThanOrEqual(4757);
    expect(started.serviceUrl).toBe(`http://localhost:${started.port}/`);
    expect(host.listening().get(projectId)).toBe(started.port);

    const page = await fetch(started.serviceUrl!);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(await page.text()).toContain("Hello preview");
    const css = await fetch(`${started.serviceUrl}style.css`);
    expect(css.headers.get("content-type")).toBe("text/css; charset=utf-8");

    // Starting again answers the same preview.
    expect((await api.project.start({ projectId })).port).toBe(started.port);

    const [service, volume] = [
      (await resources(projectId)).find((row) => row.resource_type === "service"),
      (await resources(projectId)).find((row) => row.resource_type === "volume"),
    ];
    expect(service).toMatchObject({
      resource_name: "preview",
      status: "active",
      health_status: "healthy",
      health_check_url: `http://localhost:${started.port}/__vaporform/health`,
    });
    expect(volume).toMatchObject({ resource_name: "preview-files", status: "active", disk_usage_mb: 1 });

    const stopped = await api.project.stop({ projectId });
    expect(stopped).toMatchObject({ status: "stopped", serviceUrl: null, port: null });
    const row = await pool.query("SELECT status, allocated_port, service_url FROM projects WHERE id = $1", [projectId]);
    expect(row.rows[0]).toEqual({ status: "stopped", allocated_port: null, service_url: null });
    await host.reconcile();
    expect(host.listening().has(projectId)).toBe(false);
    await expect(fetch(started.serviceUrl!)).rejects.toThrow();

    expect(await activityOf(projectId)).toEqual([
      expect.objectContaining({ activity_type: "preview_starting", source_type: "system" }),
      expect.objectContaining({ activity_type: "preview_started", source_type: "system" }),
      expect.objectContaining({ activity_type: "preview_stopped", source_type: "system" }),
    ]);
    // Stopping a stopped preview changes nothing.
    await api.project.stop({ projectId });
    expect(await activityOf(projectId)).toHaveLength(3);
  });

  it("shows an edit on the next request, with an ETag from the content hash", async () => {
    const { api, projectId } = await siteProject({ "index.html": "<p>first</p>" });
    const { serviceUrl } = await api.project.start({ projectId });
    const first = await fetch(serviceUrl!);
    const etag = first.headers.get("etag");
    expect(etag).toMatch(/^"[0-9a-f]{64}"$/);
    expect((await fetch(serviceUrl!, { headers: { "if-none-match": etag! } })).status).toBe(304);

    const file = await api.file.read({ projectId, path: "index.html" });
    await api.file.save({
      projectId,
      path: "index.html",
      content: "<p>second</p>",
      fileId: file.id,
      baseVersion: file.version,
    });
    const second = await fetch(serviceUrl!, { headers: { "if-none-match": etag! } });
    expect(second.status).toBe(200);
    expect(await second.text()).toBe("<p>second</p>");
    await api.project.stop({ projectId });
  });

  it("refuses a project that needs a server process, and one with nothing to serve, changing nothing", async () => {
    const { api, projectId } = await siteProject({
      "package.json": JSON.stringify({ dependencies: { express: "^5.0.0" } }),
      "server.js": "require('express')().listen(3000)",
    });
    const before = await activityOf(projectId);
    await expectFailure(api.project.start({ projectId }), "PRECONDITION_FAILED", /express.*server process/);
    const empty = await siteProject({});
    await expectFailure(
      empty.api.project.start({ projectId: empty.projectId }),
      "PRECONDITION_FAILED",
      /no index\.html/,
    );
    expect(await activityOf(projectId)).toEqual(before);
    expect(await resources(projectId)).toEqual([]);
    expect((await api.project.preview({ projectId })).site.kind).toBe("needs-server");
  });

  it("bundles a TSX module of index.html from the project's files, records the steps; a missing package shows the error with file and line", async () => {
    const { api, projectId } = await siteProject({
      "index.html": '<div id="root"></div><script type="module" src="/src/main.tsx"></script>',
      "src/main.tsx":
        'import { greet } from "./greet";\nimport "./main.css";\nconst n: number = 2;\ndocument.title = greet(n);\n',
      "src/greet.ts": "export const greet = (n: number): string => `hi ${n}`;\n",
      "src/main.css": "body { margin: 0 }",
      "src/broken.tsx": 'import { useState } from "react";\n\nexport const x = useState;\n',
      "public/favicon.svg": '<svg xmlns="http://www.w3.org/2000/svg"/>',
    });
    const started = await api.project.start({ projectId });
    expect(started.status).toBe("running");
    expect(started.site).toMatchObject({ kind: "needs-bundling", message: expect.stringMatching(/src\/main\.tsx/) });
    const bundled = await rawGet(started.port!, "/src/main.tsx");
    expect(bundled.status).toBe(200);
    expect(bundled.headers["content-type"]).toBe("text/javascript; charset=utf-8");
    expect(bundled.body).toMatch(/var greet = \((\w+)\) => `hi \$\{\1\}`/);
    expect(bundled.body).toContain("body { margin: 0 }");
    expect(bundled.body).not.toContain(": number");
    // Vite's public/ folder is served from the root.
    expect((await rawGet(started.port!, "/favicon.svg")).body).toContain("<svg");
    const broken = await rawGet(started.port!, "/src/broken.tsx");
    expect(broken.body).toContain("src/broken.tsx:1:");
    expect(broken.body).toContain("react is not among the installed dependencies");
    // The host prepared the entry when it opened the port (no package.json: nothing to install), for the pane.
    await expect
      .poll(async () => (await api.project.preview({ projectId })).prepare)
      .toMatchObject({ phase: "ready", steps: [{ id: "bundle", label: "Bundling src/main.tsx", state: "done" }] });
    await api.project.stop({ projectId });
  });
});

describe("the bundle cache", () => {
  it("builds a module once while no file changes, again after an edit (serving the new code), once for concurrent requests", async () => {
    const { api, projectId } = await siteProject({
      "index.html": '<div id="root"></div><script type="module" src="/src/main.tsx"></script>',
      "src/main.tsx": 'document.title = "main";\n',
      "src/widget.tsx": 'import { label } from "./label";\ndocument.title = label;\n',
      "src/label.ts": 'export const label: string = "first label";\n',
      "src/other.tsx": 'document.title = "other";\n',
    });
    const { port } = await api.project.start({ projectId });
    // The host bundles the entry when the port opens: counted from after that.
    await expect.poll(async () => (await api.project.preview({ projectId })).prepare?.phase).toBe("ready");
    const before = bundles.builds;

    const first = await rawGet(port!, "/src/widget.tsx");
    const second = await rawGet(port!, "/src/widget.tsx");
    expect(first.body).toContain("first label");
    expect(second.body).toBe(first.body);
    expect(bundles.builds - before).toBe(1);

    // An edit of a file the module imports (not the module itself): the next request builds and serves it.
    const file = await api.file.read({ projectId, path: "src/label.ts" });
    await api.file.save({
      projectId,
      path: "src/label.ts",
      content: 'export const label: string = "second label";\n',
      fileId: file.id,
      baseVersion: file.version,
    });
    const edited = await rawGet(port!, "/src/widget.tsx");
    expect(edited.body).toContain("second label");
    expect(edited.body).not.toContain("first label");
    expect(bundles.builds - before).toBe(2);
    // A new file changes the state too (it could be what an import was missing).
    await api.file.create({ projectId, path: "src/extra.ts", content: "export {};\n" });
    await rawGet(port!, "/src/widget.tsx");
    expect(bundles.builds - before).toBe(3);

    const together = await Promise.all(Array.from({ length: 6 }, () => rawGet(port!, "/src/other.tsx")));
    expect(together.map((response) => response.status)).toEqual(Array(6).fill(200));
    expect(new Set(together.map((response) => response.body)).size).toBe(1);
    expect(together[0]!.body).toContain('"other"');
    expect(bundles.builds - before).toBe(4);
    await api.project.stop({ projectId });
  });
});

describe("port allocation", () => {
  it("hands out distinct ports to concurrent starts, refuses when the range is exhausted, and nothing changes", async () => {
    const projects = await Promise.all(Array.from({ length: 9 }, () => siteProject()));
    // The other tests of this file stopped theirs; 8 ports, 9 projects started at once.
    const results = await Promise.allSettled(projects.map(({ api, projectId }) => api.project.start({ projectId })));
    const ports = results.flatMap((result) => (result.status === "fulfilled" ? [result.value.port] : []));
    expect(ports).toHaveLength(8);
    expect(new Set(ports).size).toBe(8);
    const refused = results.findIndex((result) => result.status === "rejected");
    const reason = (results[refused] as PromiseRejectedResult).reason as { code: string; message: string };
    expect(reason.code).toBe("SERVICE_UNAVAILABLE");
    expect(reason.message).toMatch(/Every preview port \(4750-4757\) is in use/);
    const loser = projects[refused]!;
    const row = await pool.query("SELECT status, allocated_port, service_url FROM projects WHERE id = $1", [
      loser.projectId,
    ]);
    expect(row.rows[0]).toEqual({ status: "stopped", allocated_port: null, service_url: null });
    expect(await resources(loser.projectId)).toEqual([]);
    expect(await activityOf(loser.projectId)).toEqual([]);

    // A freed port is handed out again.
    const winner = projects[refused === 0 ? 1 : 0]!;
    await winner.api.project.stop({ projectId: winner.projectId });
    expect((await loser.api.project.start({ projectId: loser.projectId })).status).toBe("running");
    await Promise.all(projects.map(({ api, projectId }) => api.project.stop({ projectId })));
  });
});

describe("the preview listener over HTTP", () => {
  it("sends a strict CSP, nosniff and no cookies; 404s missing files and every traversal", async () => {
    const { api, projectId } = await siteProject({
      "index.html": "<h1>home</h1>",
      "docs/index.html": "<h1>docs</h1>",
      "img/dot.svg": '<svg xmlns="http://www.w3.org/2000/svg"/>',
    });
    const { port } = await api.project.start({ projectId });
    const home = await rawGet(port!, "/", { cookie: "next-auth.session-token=secret" });
    expect(home.status).toBe(200);
    expect(home.body).toBe("<h1>home</h1>");
    const csp = home.headers["content-security-policy"];
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain(`frame-ancestors ${APP_ORIGIN}`);
    expect(csp).toContain("sandbox allow-scripts allow-forms");
    expect(csp).not.toContain("allow-same-origin");
    expect(home.headers["x-content-type-options"]).toBe("nosniff");
    expect(home.headers["set-cookie"]).toBeUndefined();

    expect((await rawGet(port!, "/img/dot.svg")).headers["content-type"]).toBe("image/svg+xml; charset=utf-8");
    expect((await rawGet(port!, "/docs/")).body).toBe("<h1>docs</h1>");
    const folder = await rawGet(port!, "/docs");
    expect(folder.status).toBe(308);
    expect(folder.headers.location).toBe("/docs/");

    const missing = await rawGet(port!, "/nope.js");
    expect(missing.status).toBe(404);
    expect(missing.headers["content-security-policy"]).toBe(csp);
    expect(missing.headers["x-content-type-options"]).toBe("nosniff");
    for (const path of [
      "/../index.html",
      "/%2e%2e/index.html",
      "/docs/..%2F..%2Fetc%2Fpasswd",
      "/docs/%2e%2e/%2e%2e/etc/passwd",
      "/..\\index.html",
      "/%5c..%5cindex.html",
      "/%00index.html",
      "//etc/passwd",
      "/%E0%A4%A",
    ]) {
      const response = await rawGet(port!, path);
      expect([400, 404], path).toContain(response.status);
      expect(response.headers["content-security-policy"], path).toBe(csp);
    }
    const post = await new Promise<number>((resolve, reject) => {
      const request = http.request({ host: "127.0.0.1", port, path: "/", method: "POST" }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      request.on("error", reject);
      request.end("x");
    });
    expect(post).toBe(405);
    const preflight = await new Promise<{ status: number | undefined; headers: http.IncomingHttpHeaders }>(
      (resolve, reject) => {
        const request = http.request(
          {
            host: "127.0.0.1",
            port,
            path: "/src/main.tsx",
            method: "OPTIONS",
            headers: {
              origin: "null",
              "access-control-request-method": "GET",
              "access-control-request-headers": "x-forwarded-for",
            },
          },
          (response) => {
            response.resume();
            resolve({ status: response.statusCode, headers: response.headers });
          },
        );
        request.on("error", reject);
        request.end();
      },
    );
    expect(preflight).toMatchObject({
      status: 204,
      headers: {
        "access-control-allow-origin": "*",
        "access-control-allow-methods": "GET, HEAD",
        "access-control-allow-headers": "x-forwarded-for",
      },
    });

    await host.flushMetrics();
    const service = (await resources(projectId)).find((row) => row.resource_type === "service")!;
    expect(service.requests).toBeGreaterThanOrEqual(15);
    expect(service.bytes_out).toBeGreaterThan(0);
    expect(service.last_metrics_at).toBeInstanceOf(Date);
    await api.project.stop({ projectId });
  });
});

describe("preview.health and restarts", () => {
  it("checks running previews, follows health on the project with system activity, and re-opens after a restart", async () => {
    expect(findJobDefinition("preview.health")).toBeDefined();
    const { api, projectId } = await siteProject();
    const { port } = await api.project.start({ projectId });

    const healthy = await checkPreviewHealth({ pool });
    expect(healthy).toMatchObject({ checked: 1, healthy: 1, changed: 0 });
    const checked = await pool.query(
      "SELECT last_health_check FROM infrastructure_resources WHERE project_id = $1 AND resource_type = 'service'",
      [projectId],
    );
    expect(checked.rows[0].last_health_check).toBeInstanceOf(Date);

    // The app stops (listeners gone, the project still marked running): the check notices.
    await host.stop();
    expect(await checkPreviewHealth({ pool, timeoutMs: 1_000 })).toMatchObject({
      checked: 1,
      unhealthy: 1,
      changed: 1,
    });
    const down = await pool.query("SELECT status, health_status FROM projects WHERE id = $1", [projectId]);
    expect(down.rows[0]).toEqual({ status: "running", health_status: "unhealthy" });

    // The app starts again: what was running listens again on its port, and the next check says healthy.
    host = await startPreviewHost({ pool, settings: previewSettings(), appOrigin: APP_ORIGIN, reconcileMs: 200 });
    expect(host.listening().get(projectId)).toBe(port);
    expect((await rawGet(port!, "/")).status).toBe(200);
    expect(await checkPreviewHealth({ pool })).toMatchObject({ checked: 1, healthy: 1, changed: 1 });
    const health = await pool.query<{ after_state: unknown; source_type: string; user_id: string | null }>(
      `SELECT after_state, source_type, user_id FROM project_activity
        WHERE project_id = $1 AND activity_type = 'preview_health_changed' ORDER BY created_at, id`,
      [projectId],
    );
    expect(health.rows).toEqual([
      { after_state: { health_status: "unhealthy" }, source_type: "system", user_id: null },
      { after_state: { health_status: "healthy" }, source_type: "system", user_id: null },
    ]);
    await api.project.stop({ projectId });
  });

  it("marks a preview whose port another program holds as error, with the reason, and frees the port", async () => {
    const { api, projectId, userId } = await siteProject();
    // Taken by a foreign listener after allocation but before the host opened it.
    await host.stop();
    const started = await startPreview({ db, projectId, userId, waitMs: 0 });
    expect(started.status).toBe("creating");
    const squatter = http.createServer((_req, res) => res.end("not a preview"));
    await new Promise<void>((resolve) => squatter.listen(started.port!, resolve));
    host = await startPreviewHost({ pool, settings: previewSettings(), appOrigin: APP_ORIGIN, reconcileMs: 200 });
    const preview = await api.project.preview({ projectId });
    expect(preview).toMatchObject({
      status: "error",
      serviceUrl: null,
      error: expect.stringMatching(/could not be opened/),
    });
    expect((await activityOf(projectId)).map((row) => row.activity_type)).toEqual([
      "preview_starting",
      "preview_failed",
    ]);
    await new Promise((resolve) => squatter.close(resolve));
    // Starting again picks a port (the freed one) and runs.
    expect((await api.project.start({ projectId })).status).toBe("running");
    await api.project.stop({ projectId });
  });
});
