import fs from "node:fs";
import net from "node:net";
import { randomBytes } from "node:crypto";
import { unzipSync, zipSync, type Zippable } from "fflate";
import type { Page } from "@playwright/test";
import {
  createFileApi,
  createUser,
  csrfToken,
  expect,
  openFreshProject,
  randomClientIp,
  signInAs,
  test,
  trpcMutation,
} from "./fixtures";

/**
 * The advertised limits over real HTTP: archives up to IMPORT_MAX_ARCHIVE_BYTES (50 MiB) import through the raw
 * upload route and through file.importZip, bodies past each route's bound answer 413 before anything runs, tRPC
 * batches are capped, and the export streams.
 */

const MB = 1_000_000;

/** A 40 MB archive of 8 incompressible 5 MB files, stored (not deflated): 40 MB on the wire, 40 MB unpacked. */
function fortyMegabyteArchive(): { archive: Uint8Array; paths: string[] } {
  const files: Zippable = {};
  for (let index = 0; index < 8; index++)
    files[`assets/blob-${index}.bin`] = [new Uint8Array(randomBytes(5 * MB)), { level: 0 }];
  const archive = zipSync(files);
  expect(archive.length).toBeGreaterThan(40 * MB);
  return { archive, paths: Object.keys(files).sort() };
}

async function listFiles(page: Page, projectId: string): Promise<{ path: string; sizeBytes: number }[]> {
  const input = encodeURIComponent(JSON.stringify({ json: { projectId } }));
  const response = await page.request.get(`/api/trpc/file.list?input=${input}`);
  expect(response.status(), await response.text()).toBe(200);
  return ((await response.json()) as { result: { data: { json: { path: string; sizeBytes: number }[] } } }).result.data
    .json;
}

/** POSTs one batch of tRPC mutations, as httpBatchLink would. */
async function trpcBatch(page: Page, calls: { path: string; input: unknown }[]) {
  const body = Object.fromEntries(calls.map((call, index) => [index, { json: call.input }]));
  return page.request.post(`/api/trpc/${calls.map((call) => call.path).join(",")}?batch=1`, {
    data: body,
    headers: { "content-type": "application/json", "x-csrf-token": await csrfToken(page) },
  });
}

async function uploadArchive(page: Page, projectId: string, archive: Uint8Array | Buffer, query = "") {
  return page.request.post(`/api/projects/${projectId}/import${query}`, {
    data: Buffer.from(archive),
    headers: { "content-type": "application/zip", "x-csrf-token": await csrfToken(page) },
  });
}

test("a 40 MB archive imports through the upload route and through file.importZip", async ({ page }) => {
  test.setTimeout(180_000);
  const { projectId } = await openFreshProject(page, "Big upload");
  const { archive, paths } = fortyMegabyteArchive();

  const uploaded = await uploadArchive(page, projectId, archive);
  expect(uploaded.status(), await uploaded.text()).toBe(200);
  expect(await uploaded.json()).toMatchObject({ imported: 8, created: 8 });
  const afterUpload = (await listFiles(page, projectId)).filter((file) => file.path.startsWith("assets/"));
  expect(afterUpload.map((file) => file.path)).toEqual(paths);
  expect(afterUpload.every((file) => file.sizeBytes === 5 * MB)).toBe(true);

  const other = await trpcMutation(page, "project.create", { name: "Big tRPC import" });
  const otherId = ((await other.json()) as { result: { data: { json: { id: string } } } }).result.data.json.id;
  const viaTrpc = await trpcMutation(page, "file.importZip", {
    projectId: otherId,
    archive: Buffer.from(archive).toString("base64"),
  });
  expect(viaTrpc.status(), (await viaTrpc.text()).slice(0, 500)).toBe(200);
  expect(
    ((await viaTrpc.json()) as { result: { data: { json: { imported: number } } } }).result.data.json.imported,
  ).toBe(8);
  expect(
    (await listFiles(page, otherId)).filter((file) => file.path.startsWith("assets/")).map((file) => file.path),
  ).toEqual(paths);
});

test("the browser imports a 40 MB archive with upload progress", async ({ page }, testInfo) => {
  test.setTimeout(180_000);
  const { projectId } = await openFreshProject(page, "Browser upload");
  const zipPath = testInfo.outputPath("big.zip");
  fs.writeFileSync(zipPath, fortyMegabyteArchive().archive);
  await page.goto(`/projects/${projectId}`);
  await page.getByTestId("zip-input").setInputFiles(zipPath);
  await expect(page.getByRole("progressbar", { name: "Import progress" })).toBeVisible();
  await expect(page.getByText(/Imported 8 files/)).toBeVisible({ timeout: 120_000 });
  expect((await listFiles(page, projectId)).filter((file) => file.path.startsWith("assets/"))).toHaveLength(8);
});

test("an upload past its limit, without the CSRF token, or to someone else's project changes nothing", async ({
  page,
  browser,
}) => {
  test.setTimeout(120_000);
  const { projectId } = await openFreshProject(page, "Refusals");
  const before = await listFiles(page, projectId);
  const small = zipSync({ "ok.txt": new TextEncoder().encode("ok\n") });

  const tooBig = await uploadArchive(page, projectId, Buffer.alloc(50 * 1024 * 1024 + 1));
  expect(tooBig.status()).toBe(413);
  expect(await tooBig.json()).toEqual({ error: "The archive is larger than 50 MiB, the most this server accepts." });

  // file.importZip: a base64 body past the tRPC bound (4/3 of 50 MiB + 1 MiB) is refused before it is parsed.
  const hugeBase64 = "A".repeat(Math.ceil((50 * 1024 * 1024 * 4) / 3) + 2 * 1024 * 1024);
  const tooBigTrpc = await trpcMutation(page, "file.importZip", { projectId, archive: hugeBase64 });
  expect(tooBigTrpc.status()).toBe(413);
  expect(JSON.stringify(await tooBigTrpc.json())).toContain("This request is larger than");
  // Just past the archive limit but within the tRPC bound: the service refuses it with the archive limit.
  const overArchive = await trpcMutation(page, "file.importZip", {
    projectId,
    archive: "A".repeat(Math.ceil((50 * 1024 * 1024 * 4) / 3) + 8),
  });
  expect(overArchive.status()).toBe(413);
  expect(await overArchive.text()).toContain("The archive is larger than 50 MiB");

  const noCsrf = await page.request.post(`/api/projects/${projectId}/import`, {
    data: Buffer.from(small),
    headers: { "content-type": "application/zip" },
  });
  expect(noCsrf.status()).toBe(403);
  expect(await noCsrf.json()).toEqual({ error: "Missing or invalid CSRF token. Reload the page and try again." });

  const notZip = await uploadArchive(page, projectId, randomBytes(4096));
  expect(notZip.status()).toBe(400);
  expect((await notZip.json()) as { error: string }).toMatchObject({
    error: expect.stringMatching(/not a valid zip archive/),
  });
  expect((await uploadArchive(page, projectId, small, "?mode=everything")).status()).toBe(400);
  expect((await uploadArchive(page, projectId, Buffer.alloc(0))).status()).toBe(400);

  const strangerContext = await browser.newContext({ extraHTTPHeaders: { "x-forwarded-for": randomClientIp() } });
  const strangerPage = await strangerContext.newPage();
  await signInAs(strangerContext, await createUser(strangerPage));
  const stranger = await uploadArchive(strangerPage, projectId, small);
  expect(stranger.status()).toBe(404);
  await strangerContext.close();

  expect(await listFiles(page, projectId)).toEqual(before);
});

test("a tRPC batch over 50 calls answers 400 and runs none of them", async ({ page }) => {
  const { projectId } = await openFreshProject(page, "Batches");
  const create = (index: number) => ({
    path: "file.create",
    input: { projectId, path: `batch/f${index}.ts`, kind: "file", content: "x\n" },
  });

  const sixty = await trpcBatch(
    page,
    Array.from({ length: 60 }, (_, index) => create(index)),
  );
  expect(sixty.status()).toBe(400);
  expect(JSON.stringify(await sixty.json())).toContain("Batch call exceeds maximum size");
  expect((await listFiles(page, projectId)).map((file) => file.path)).toEqual(["README.md"]);

  // 50 calls are within the cap (queries here: 50 writes at once would only wait on each other's lock).
  const input = encodeURIComponent(
    JSON.stringify(Object.fromEntries(Array.from({ length: 50 }, (_, index) => [index, { json: { projectId } }]))),
  );
  const fifty = await page.request.get(
    `/api/trpc/${Array.from({ length: 50 }, () => "file.list").join(",")}?batch=1&input=${input}`,
  );
  expect(fifty.status(), (await fifty.text()).slice(0, 500)).toBe(200);
  expect(await fifty.json()).toHaveLength(50);
});

test("a save-all batch of large files (16 MB in one request) saves every file", async ({ page }) => {
  const { projectId } = await openFreshProject(page, "Save all");
  const paths = ["big/a.txt", "big/b.txt", "big/c.txt", "big/d.txt"];
  const fileIds: string[] = [];
  for (const path of paths) fileIds.push(await createFileApi(page, projectId, path, "v1\n"));
  const content = (letter: string) => `${letter.repeat(99)}\n`.repeat(40_000); // 4 MB of text each
  const saved = await trpcBatch(
    page,
    paths.map((path, index) => ({
      path: "file.save",
      input: { projectId, path, content: content("abcd"[index]!), fileId: fileIds[index], baseVersion: 1 },
    })),
  );
  expect(saved.status(), (await saved.text()).slice(0, 500)).toBe(200);
  const results = (await saved.json()) as { result: { data: { json: { version: number; sizeBytes: number } } } }[];
  expect(results.map((result) => result.result.data.json)).toEqual(
    paths.map(() => expect.objectContaining({ version: 2, sizeBytes: 4 * MB })),
  );
});

test("the export streams the archive as it is written", async ({ page }) => {
  const { projectId } = await openFreshProject(page, "Streamed export");
  for (let index = 0; index < 3; index++)
    await createFileApi(page, projectId, `src/f${index}.ts`, `export const f${index} = ${index};\n`);
  const response = await page.request.get(`/api/projects/${projectId}/export`);
  expect(response.status()).toBe(200);
  // Chunked: the response began before its length (the whole archive) was known.
  expect(response.headers()["transfer-encoding"]).toBe("chunked");
  expect(response.headers()["content-length"]).toBeUndefined();
  const body = new Uint8Array(await response.body());
  // Written as a stream: each entry's header left before its data was compressed, so its sizes follow the data
  // (general purpose flag bit 3); an archive built whole in memory has them in the header.
  expect(body[6]! & 0x08).toBe(0x08);
  const files = unzipSync(body);
  expect(Object.keys(files).sort()).toEqual(["README.md", "src/f0.ts", "src/f1.ts", "src/f2.ts"]);
  expect(new TextDecoder().decode(files["src/f2.ts"])).toBe("export const f2 = 2;\n");
});

test("large bodies are for signed-in people, and only to the procedures that carry files", async ({
  page,
  playwright,
}) => {
  const anonymous = await playwright.request.newContext({
    baseURL: test.info().project.use.baseURL,
    extraHTTPHeaders: { "x-forwarded-for": randomClientIp() },
  });
  const fiveMegabytes = "x".repeat(5 * MB);
  const body = {
    json: {
      email: "nobody@example.com",
      username: "nobody",
      fullName: fiveMegabytes,
      password: "long enough password",
    },
  };
  const refusedAnonymous = await anonymous.post("/api/trpc/account.register", {
    data: body,
    headers: { "content-type": "application/json" },
  });
  expect(refusedAnonymous.status()).toBe(413);
  expect(await refusedAnonymous.text()).toContain("A request without a signed-in session is larger than 1 MiB");
  // A session cookie that next-auth did not issue counts for nothing.
  const forged = await anonymous.post("/api/trpc/file.save", {
    data: {
      json: {
        projectId: "0b0e5d3c-1111-4222-8333-944445555666",
        path: "a.txt",
        content: fiveMegabytes,
        fileId: "0b0e5d3c-1111-4222-8333-944445555666",
        baseVersion: 1,
      },
    },
    headers: { "content-type": "application/json", cookie: "next-auth.session-token=forged" },
  });
  expect(forged.status()).toBe(413);
  await anonymous.dispose();

  // Signed in: a large body to a procedure that carries no file is refused too, before anything runs.
  const { projectId } = await openFreshProject(page, "Large bodies");
  const renamed = await trpcMutation(page, "project.create", { name: "Big", description: fiveMegabytes, projectId });
  expect(renamed.status()).toBe(413);
  expect(await renamed.text()).toContain("This request is larger than 2 MiB");
});

test("template.upgradeApply's larger allowance holds over HTTP, for it alone", async ({ page }) => {
  // Past the 2 MiB any other call may send, well within upgradeApply's (its resolutions: about a template's files).
  const { projectId } = await openFreshProject(page, "Upgrade body");
  const resolutions = [{ path: "src/app.ts", content: "x".repeat(5 * MB) }];
  const toVersionId = "0b0e5d3c-1111-4222-8333-944445555666";
  const applied = await trpcMutation(page, "template.upgradeApply", {
    projectId,
    toVersionId,
    expected: [],
    resolutions,
  });
  // The HTTP layer let it through: the procedure itself answers (a blank project has no template to upgrade).
  const answer = await applied.text();
  expect(applied.status(), answer).toBe(400);
  expect(answer).not.toContain("larger than");
  expect((JSON.parse(answer) as { error: { json: { data: { code: string } } } }).error.json.data.code).toBe(
    "BAD_REQUEST",
  );
  expect(answer).toMatch(/template/i);

  // The same body to a procedure without that allowance is refused before it runs.
  const refused = await trpcMutation(page, "project.update", { projectId, description: resolutions[0]!.content });
  expect(refused.status()).toBe(413);
  expect(await refused.text()).toContain("This request is larger than 2 MiB");
  const unchanged = await page.request.get(
    `/api/trpc/project.get?input=${encodeURIComponent(JSON.stringify({ json: { projectId } }))}`,
  );
  expect(
    ((await unchanged.json()) as { result: { data: { json: { description: string } } } }).result.data.json.description,
  ).not.toBe(resolutions[0]!.content);
});

test("a refused body costs a bounded read: a client declaring 10 GB gets its 413 and then the connection is cut", async ({
  baseURL,
}) => {
  test.setTimeout(120_000);
  const url = new URL(baseURL ?? "http://localhost:3100");
  const socket = net.connect(Number(url.port), "127.0.0.1");
  await new Promise<void>((resolve, reject) => socket.once("connect", resolve).once("error", reject));
  let answer = "";
  socket.on("data", (chunk: Buffer) => (answer += chunk.toString("latin1")));
  const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
  socket.on("error", () => {}); // the server cuts the connection while we are still sending: that is the point
  socket.write(
    "POST /api/trpc/account.register HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n" +
      `Content-Length: ${10 * 1024 ** 3}\r\n\r\n`,
  );
  // Keep sending (as a slow or hostile client would) until the server closes; without a bound it reads all 10 GB.
  const chunk = Buffer.alloc(1024 * 1024, 0x20);
  let sent = 0;
  let open = true;
  void closed.then(() => (open = false));
  while (open && sent < 1024 ** 3) {
    if (!socket.write(chunk)) await new Promise((resolve) => socket.once("drain", resolve).once("close", resolve));
    sent += chunk.length;
  }
  await closed;
  expect(answer).toMatch(/^HTTP\/1\.1 413 /);
  // The server stopped reading at its drain bound (64 MiB), far below the declared 10 GB; what we sent past it
  // is what the socket buffers held when it was cut.
  expect(sent).toBeLessThan(256 * 1024 * 1024);
});
