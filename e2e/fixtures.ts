import { randomBytes } from "node:crypto";
import { test as base, expect, type APIRequestContext, type BrowserContext, type Page } from "@playwright/test";

/**
 * Every test runs as its own client address (the e2e server trusts X-Forwarded-For, playing the reverse proxy),
 * so per-address rate limits of one test never slow another, across runs too.
 */
export function randomClientIp(): string {
  const bytes = randomBytes(3);
  return `198.18.${bytes[0]}.${(bytes[1]! % 254) + 1}`;
}

export const test = base.extend({
  extraHTTPHeaders: async ({}, use) => {
    await use({ "x-forwarded-for": randomClientIp() });
  },
});

export { expect };

/** The seeded admin, as playwright.config.ts configures it (SEED_ADMIN_EMAIL, SEED_ADMIN_PASSWORD). */
export const ADMIN = { email: "admin@vaporform.test", password: "vaporform-admin" };

export interface TestUser {
  email: string;
  username: string;
  fullName: string;
  password: string;
}

export function newUserDetails(): TestUser {
  const id = randomBytes(4).toString("hex");
  return {
    email: `e2e-${id}@example.com`,
    username: `e2e-${id}`,
    fullName: `Ada Tester ${id}`,
    password: `correct horse ${id}`,
  };
}

/** The CSRF token the app gave this browser context (loading a page first when it has none yet). */
export async function csrfToken(page: Page): Promise<string> {
  let cookie = (await page.context().cookies()).find((entry) => entry.name === "vf-csrf");
  if (!cookie) {
    await page.request.get("/");
    cookie = (await page.context().cookies()).find((entry) => entry.name === "vf-csrf");
  }
  if (!cookie) throw new Error("the app set no CSRF cookie");
  return cookie.value;
}

/** Calls a tRPC mutation over HTTP as the browser would (superjson envelope, CSRF header). */
export async function trpcMutation(page: Page, path: string, input: unknown) {
  return page.request.post(`/api/trpc/${path}`, {
    data: { json: input },
    headers: { "content-type": "application/json", "x-csrf-token": await csrfToken(page) },
  });
}

/** Creates an account through the API (the sign-up form has its own spec). */
export async function createUser(page: Page): Promise<TestUser> {
  const user = newUserDetails();
  const response = await trpcMutation(page, "account.register", user);
  expect(response.status(), await response.text()).toBe(200);
  return user;
}

/** Signs a browser context in through next-auth's credentials endpoint (the sign-in form has its own spec). */
export async function signInAs(
  context: BrowserContext | { request: APIRequestContext },
  user: { email: string; password: string },
) {
  const request = context.request;
  const { csrfToken: token } = (await (await request.get("/api/auth/csrf")).json()) as { csrfToken: string };
  const response = await request.post("/api/auth/callback/credentials", {
    form: { csrfToken: token, email: user.email, password: user.password, callbackUrl: "/", json: "true" },
  });
  expect(response.ok()).toBe(true);
  const session = (await (await request.get("/api/auth/session")).json()) as { user?: { id?: string } };
  expect(session.user?.id, "signed in").toBeTruthy();
}

/** Creates a project over the API for a signed-in page; returns its id. */
export async function createProject(page: Page, name: string, templateId?: string): Promise<string> {
  const response = await trpcMutation(page, "project.create", { name, templateId });
  expect(response.status(), await response.text()).toBe(200);
  const body = (await response.json()) as { result: { data: { json: { id: string } } } };
  return body.result.data.json.id;
}

/** Saves a file (its id and the version it was based on) over the API, as another client would; answers the new version. */
export async function saveFileApi(
  page: Page,
  projectId: string,
  path: string,
  content: string,
  fileId: string,
  baseVersion: number,
): Promise<number> {
  const response = await trpcMutation(page, "file.save", { projectId, path, content, fileId, baseVersion });
  expect(response.status(), await response.text()).toBe(200);
  return ((await response.json()) as { result: { data: { json: { version: number } } } }).result.data.json.version;
}

/** Creates a file over the API; answers its id. */
export async function createFileApi(page: Page, projectId: string, path: string, content: string): Promise<string> {
  const response = await trpcMutation(page, "file.create", { projectId, path, kind: "file", content });
  expect(response.status(), await response.text()).toBe(200);
  return ((await response.json()) as { result: { data: { json: { id: string } } } }).result.data.json.id;
}

/** Reads a live file over the API. */
export async function readFileApi(
  page: Page,
  projectId: string,
  path: string,
): Promise<{ id: string; content: string; version: number }> {
  const input = encodeURIComponent(JSON.stringify({ json: { projectId, path } }));
  const response = await page.request.get(`/api/trpc/file.read?input=${input}`);
  expect(response.status(), await response.text()).toBe(200);
  return ((await response.json()) as { result: { data: { json: { id: string; content: string; version: number } } } })
    .result.data.json;
}

/** Deletes a file or folder over the API. */
export async function deleteFileApi(page: Page, projectId: string, path: string) {
  const response = await trpcMutation(page, "file.delete", { projectId, path });
  expect(response.status(), await response.text()).toBe(200);
}

/** A fresh user, signed in, with an empty project open in the IDE. */
export async function openFreshProject(
  page: Page,
  name = "Playground",
): Promise<{ user: TestUser; projectId: string }> {
  const user = await createUser(page);
  await signInAs(page.context(), user);
  const projectId = await createProject(page, name);
  return { user, projectId };
}

/** The text of the editor's current buffer (Monaco virtualises its DOM, so read it through the test hook). */
export async function editorValue(page: Page): Promise<string> {
  return page.evaluate(() => window.__vaporformEditor?.getValue() ?? "");
}

declare global {
  interface Window {
    /** React commits counted through the devtools hook React calls after every commit. */
    __reactCommits?: number;
  }
}

/** Counts React's commits in this page from its first script on (read them with `reactCommits`). */
export async function countReactCommits(page: Page) {
  // React reports each commit to a devtools hook present before it loads; this one only counts them.
  await page.addInitScript(() => {
    window.__reactCommits = 0;
    Object.assign(window, {
      __REACT_DEVTOOLS_GLOBAL_HOOK__: {
        supportsFiber: true,
        renderers: new Map(),
        inject: () => 1,
        onCommitFiberRoot: () => (window.__reactCommits = (window.__reactCommits ?? 0) + 1),
        onCommitFiberUnmount: () => {},
        onPostCommitFiberRoot: () => {},
        checkDCE: () => {},
      },
    });
  });
}

/** React commits counted so far (see countReactCommits). */
async function reactCommits(page: Page): Promise<number> {
  return page.evaluate(() => window.__reactCommits ?? 0);
}

/** Types `text` into the focused editor and answers how many React commits it took (see countReactCommits). */
export async function commitsWhileTyping(page: Page, text: string): Promise<number> {
  const before = await reactCommits(page);
  await page.keyboard.type(text);
  await expect.poll(() => editorValue(page)).toContain(text);
  return (await reactCommits(page)) - before;
}
