import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { env } from "~/env";
import { DownloadTooLarge, GitTimeout, guardedGitHttp } from "~/server/services/git/http";

/** A server that answers 1 MiB in 16 KiB chunks, slowly on /slow, and a redirect on /moved. */
let server: http.Server;
let base: string;
const hits: string[] = [];

beforeAll(async () => {
  env.OUTBOUND_ALLOW_PRIVATE = true;
  server = http.createServer((req, res) => {
    hits.push(req.url ?? "");
    if (req.url === "/moved") {
      res.writeHead(302, { location: "http://169.254.169.254/latest/meta-data" });
      res.end();
      return;
    }
    res.writeHead(200, { "content-type": "application/octet-stream" });
    let sent = 0;
    const chunk = Buffer.alloc(16 * 1024, 7);
    const next = () => {
      if (sent >= 1024 * 1024 || res.destroyed) return void res.end();
      sent += chunk.length;
      res.write(chunk);
      setTimeout(next, req.url === "/slow" ? 50 : 0);
    };
    next();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

async function drain(body: AsyncIterableIterator<Uint8Array> | undefined) {
  for await (const chunk of body!) void chunk;
}

describe("the git HTTP client", () => {
  it("stops reading at the byte limit, shared by all the requests of one client", async () => {
    const client = guardedGitHttp({ maxBytes: 1536 * 1024 });
    await drain((await client.request({ url: `${base}/fast` })).body);
    expect(client.loaded()).toBe(1024 * 1024);
    const second = await client.request({ url: `${base}/fast` });
    await expect(drain(second.body)).rejects.toBeInstanceOf(DownloadTooLarge);
    expect(client.loaded()).toBeLessThanOrEqual(1536 * 1024 + 64 * 1024);
  });

  it("gives up when the whole exchange takes longer than its time", async () => {
    const client = guardedGitHttp({ maxBytes: 10 * 1024 * 1024, totalTimeoutMs: 300 });
    const response = await client.request({ url: `${base}/slow` });
    await expect(drain(response.body)).rejects.toBeInstanceOf(GitTimeout);
  });

  it("follows no redirect, and refuses loopback unless OUTBOUND_ALLOW_PRIVATE", async () => {
    const client = guardedGitHttp({ maxBytes: 1024 });
    const moved = await client.request({ url: `${base}/moved` });
    expect(moved.statusCode).toBe(302);
    expect(hits.filter((hit) => hit.includes("meta-data"))).toEqual([]);
    const count = hits.length;
    env.OUTBOUND_ALLOW_PRIVATE = false;
    try {
      await expect(client.request({ url: `${base}/fast` })).rejects.toThrow(/loopback address/);
      await expect(client.request({ url: "file:///etc/passwd" })).rejects.toThrow(/Only http/);
    } finally {
      env.OUTBOUND_ALLOW_PRIVATE = true;
    }
    expect(hits.length).toBe(count);
  });

  it("stops the request in flight when its signal aborts", async () => {
    const controller = new AbortController();
    const client = guardedGitHttp({ maxBytes: 10 * 1024 * 1024, signal: controller.signal });
    const response = await client.request({ url: `${base}/slow` });
    const reading = drain(response.body);
    setTimeout(() => controller.abort(new Error("cancelled by the test")), 100);
    await expect(reading).rejects.toThrow("cancelled by the test");
    expect(client.loaded()).toBeLessThan(1024 * 1024);
  });
});
