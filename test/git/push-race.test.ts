import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { expectFailure, signedInUser } from "../files/support";
import { expectNoLeftovers, gitServerForFile, importAndWait } from "./support";

const server = gitServerForFile();
const proxies: http.Server[] = [];
afterAll(async () => {
  await Promise.all(proxies.map((proxy) => new Promise<void>((resolve) => proxy.close(() => resolve()))));
});

/** A loopback proxy to the git server that runs `beforePush` once, as the push's own discovery arrives. */
async function proxyWith(beforePush: () => Promise<unknown>): Promise<string> {
  let done = false;
  const target = new URL(server().url);
  const proxy = http.createServer(async (req, res) => {
    if (!done && req.url?.includes("service=git-receive-pack")) {
      done = true;
      await beforePush();
    }
    const forwarded = http.request(
      { host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    req.pipe(forwarded);
  });
  await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
  proxies.push(proxy);
  return `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
}

describe("git.push racing someone else's push", () => {
  it("answers 'pull first' (CONFLICT) when the remote moves between the check and the push, and overwrites nothing", async () => {
    const repo = `race-${randomBytes(3).toString("hex")}`;
    await server().createRepo(repo, { "a.txt": "a\n" });
    let theirs: string | null = null;
    const base = await proxyWith(async () => {
      theirs = await server().commitAs(repo, { "b.txt": "theirs\n" });
    });
    const { api } = await signedInUser();
    const op = await importAndWait(api, {
      url: `${base}/${repo}.git`,
      name: `Race ${randomBytes(3).toString("hex")}`,
      username: "alice",
      token: server().password,
    });
    expect(op.status).toBe("succeeded");
    const projectId = op.projectId!;
    await api.file.create({ projectId, path: "mine.txt", content: "mine\n" });
    await expectFailure(api.git.push({ projectId }), "CONFLICT", /Pull first/);
    expect(theirs).not.toBeNull();
    expect(await server().tip(repo)).toBe(theirs);
    expect((await api.git.status({ projectId })).changes).toEqual([{ path: "mine.txt", change: "add" }]);
    await expectNoLeftovers();
  });
});
