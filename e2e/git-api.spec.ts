import { randomBytes } from "node:crypto";
import type { Page } from "@playwright/test";
import { startGitServer, type GitServer } from "../test/support/git-server";
import { createUser, csrfToken, expect, saveFileApi, signInAs, test, trpcMutation } from "./fixtures";

/**
 * The git API over real HTTP against the loopback git server: a query holding a token goes as POST (never in a
 * URL), an import is followed with git.operation to its end, and a push lands on the server as the user's commit.
 */

let server: GitServer;
test.beforeAll(async () => {
  server = await startGitServer();
});
test.afterAll(async () => {
  await server.stop();
});

async function query<T>(page: Page, path: string, input: unknown): Promise<T> {
  const response = await page.request.get(
    `/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`,
  );
  expect(response.status(), await response.text()).toBe(200);
  return ((await response.json()) as { result: { data: { json: T } } }).result.data.json;
}

async function mutation<T>(page: Page, path: string, input: unknown): Promise<T> {
  const response = await trpcMutation(page, path, input);
  expect(response.status(), await response.text()).toBe(200);
  return ((await response.json()) as { result: { data: { json: T } } }).result.data.json;
}

test("git.branches as POST, an import followed to its end, and a push seen on the server", async ({ page }) => {
  const repo = `e2e-${randomBytes(3).toString("hex")}`;
  const url = await server.createRepo(repo, { "README.md": "# From git\n", "src/app.ts": "export {};\n" });
  const user = await createUser(page);
  await signInAs(page.context(), user);

  // The browser's client sends this query as POST, so the token stays out of the URL.
  const branches = await page.request.post("/api/trpc/git.branches", {
    data: { json: { url, username: server.username, token: server.password } },
    headers: { "content-type": "application/json", "x-csrf-token": await csrfToken(page) },
  });
  expect(branches.status(), await branches.text()).toBe(200);
  expect(await branches.json()).toMatchObject({
    result: { data: { json: { branches: ["main"], defaultBranch: "main" } } },
  });

  const { operationId } = await mutation<{ operationId: string }>(page, "git.import", {
    url,
    username: server.username,
    token: server.password,
    name: `From git ${repo}`,
  });
  type Operation = { status: string; projectId: string | null; error: string | null };
  let operation: Operation | undefined;
  await expect
    .poll(async () => (operation = await query<Operation>(page, "git.operation", { operationId })).status, {
      timeout: 30_000,
    })
    .toBe("succeeded");
  const projectId = operation?.projectId ?? "";
  expect(projectId).not.toBe("");
  const status = await query<{ repositoryType: string; hasCredentials: boolean }>(page, "git.status", { projectId });
  expect(status).toMatchObject({ repositoryType: "existing", hasCredentials: true });
  expect(JSON.stringify(status)).not.toContain(server.password);

  const file = await query<{ id: string; version: number }>(page, "file.read", { projectId, path: "src/app.ts" });
  await saveFileApi(page, projectId, "src/app.ts", "export const pushed = true;\n", file.id, file.version);
  const pushed = await mutation<{ commit: string }>(page, "git.push", { projectId, message: "From the browser" });
  const [head] = await server.readLog(repo);
  expect(head).toMatchObject({ commit: pushed.commit, subject: "From the browser", authorEmail: user.email });
  expect((await server.readFiles(repo))["src/app.ts"]).toBe("export const pushed = true;\n");
});
