import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { ADMIN, createUser, expect, randomClientIp, signInAs, test } from "./fixtures";

/**
 * Two app instances on one database, as behind a load balancer: the first is Playwright's own `npm start`
 * (playwright.config.ts), the second is started here exactly as an operator would start another instance: the
 * same `scripts/start.ts`, DATABASE_URL pointing at the first one's (embedded) PostgreSQL, and the same
 * NEXTAUTH_SECRET and ENCRYPTION_KEY. It reuses the build, so it is ready in seconds.
 */
const DATA_DIR = path.resolve(".data/e2e");
const FIRST_PORT = Number(process.env.E2E_PORT ?? 3100);
const SECOND_PORT = FIRST_PORT + 2;
const second = `http://localhost:${SECOND_PORT}`;

/** The URL of the first instance's embedded database: its port from postmaster.pid, its generated password. */
function e2eDatabaseUrl(): string {
  const pidFile = fs.readFileSync(
    path.join(fs.realpathSync(path.join(DATA_DIR, "postgres")), "postmaster.pid"),
    "utf8",
  );
  const port = pidFile.split("\n")[3]?.trim();
  const password = fs.readFileSync(path.join(DATA_DIR, "postgres.password"), "utf8").trim();
  return `postgresql://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/vaporform`;
}

function secret(name: string): string {
  return fs.readFileSync(path.join(DATA_DIR, name), "utf8").trim();
}

let server: ChildProcess | undefined;
let output = "";
let db: pg.Pool;

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  test.setTimeout(180_000);
  const databaseUrl = e2eDatabaseUrl();
  db = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  server = spawn(path.resolve("node_modules/.bin/tsx"), ["scripts/start.ts"], {
    env: {
      ...process.env,
      PORT: String(SECOND_PORT),
      DATABASE_URL: databaseUrl,
      NEXTAUTH_SECRET: secret("nextauth.secret"),
      ENCRYPTION_KEY: secret("encryption.key"),
      NEXTAUTH_URL: second,
      VAPORFORM_DATA_DIR: ".data/e2e-second",
      TRUST_PROXY: "true",
      SEED_ADMIN_PASSWORD: ADMIN.password,
      SEED_ADMIN_EMAIL: ADMIN.email,
      ANTHROPIC_BASE_URL: `http://127.0.0.1:${FIRST_PORT + 1}`,
      ANTHROPIC_API_KEY: "sk-ant-e2e-dummy",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  server.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  server.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 170_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`the second instance exited:\n${output}`);
    const ready = await fetch(`${second}/api/health`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) throw new Error(`the second instance did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
});

test.afterAll(async () => {
  await db?.end();
  if (!server || server.exitCode !== null) return;
  const exited = new Promise((resolve) => server!.once("exit", resolve));
  server.kill("SIGTERM");
  await exited;
  // Stopped cleanly: the job queue was stopped and the pool closed before the process ended.
  expect(server.exitCode, output).toBe(0);
});

test("a session made on one instance works on the other", async ({ page }) => {
  const user = await createUser(page);
  await signInAs(page.context(), user);
  // Cookies belong to the host, not the port: the browser sends the first instance's session to the second.
  const sessionOn = async (base: string) =>
    ((await (await page.request.get(`${base}/api/auth/session`)).json()) as { user?: { id?: string } }).user?.id;
  const onFirst = await sessionOn(test.info().project.use.baseURL!);
  expect(onFirst).toBeTruthy();
  expect(await sessionOn(second)).toBe(onFirst);
  // A write on the second, read back on the first.
  const created = await page.request.post(`${second}/api/trpc/project.create`, {
    data: { json: { name: `two-instances-${Date.now().toString(36)}` } },
    headers: {
      "content-type": "application/json",
      "x-csrf-token": (await page.context().cookies()).find((cookie) => cookie.name === "vf-csrf")?.value ?? "",
    },
  });
  expect(created.status(), await created.text()).toBe(200);
  const { id } = ((await created.json()) as { result: { data: { json: { id: string } } } }).result.data.json;
  await page.goto(`/projects/${id}`);
  await expect(page).toHaveURL(new RegExp(`/projects/${id}`));
  const input = encodeURIComponent(JSON.stringify({ json: { projectId: id } }));
  expect((await page.request.get(`/api/trpc/project.get?input=${input}`)).status()).toBe(200);
});

/** One sign-in over next-auth's credentials endpoint of `base`: "signed in", or the error the form would show. */
async function trySignIn(
  request: import("@playwright/test").APIRequestContext,
  base: string,
  user: { email: string; password: string },
): Promise<string> {
  const { csrfToken } = (await (await request.get(`${base}/api/auth/csrf`)).json()) as { csrfToken: string };
  const response = await request.post(`${base}/api/auth/callback/credentials`, {
    form: { csrfToken, email: user.email, password: user.password, callbackUrl: "/", json: "true" },
  });
  const { url } = (await response.json()) as { url: string };
  return new URL(url).searchParams.get("error") ?? "signed in";
}

test("sign-in throttling counts the failures made on either instance", async ({ browser, page }) => {
  const user = await createUser(page);
  const attacker = await browser.newContext({ extraHTTPHeaders: { "x-forwarded-for": randomClientIp() } });
  try {
    const first = test.info().project.use.baseURL!;
    // Five failures on the first instance are answered at once; the sixth try, on the second, must wait.
    for (let tries = 0; tries < 5; tries++) {
      expect(await trySignIn(attacker.request, first, { email: user.email, password: "not it" })).not.toMatch(
        /Too many/,
      );
    }
    expect(await trySignIn(attacker.request, second, user)).toMatch(/^Too many sign-in attempts/);
  } finally {
    await attacker.close();
  }
});

test("a job run from one instance runs once, and each job has one schedule", async ({ page }) => {
  await signInAs(page.context(), ADMIN);
  const before = await db.query<{ count: string }>(
    "SELECT count(*) FROM job_runs WHERE job_name = 'counters.reconcile' AND triggered_by = 'manual'",
  );
  // Run now through the second instance; either instance's worker may take it.
  const response = await page.request.post(`${second}/api/trpc/admin.jobs.run`, {
    data: { json: { name: "counters.reconcile" } },
    headers: {
      "content-type": "application/json",
      "x-csrf-token": (await page.context().cookies()).find((cookie) => cookie.name === "vf-csrf")?.value ?? "",
    },
  });
  expect(response.status(), await response.text()).toBe(200);
  await expect
    .poll(async () => {
      const { rows } = await db.query<{ status: string }>(
        "SELECT status FROM job_runs WHERE job_name = 'counters.reconcile' ORDER BY started_at DESC LIMIT 1",
      );
      return rows[0]?.status;
    })
    .toBe("succeeded");
  // Both workers poll every few seconds: give a duplicate the time to show up.
  await page.waitForTimeout(12_000);
  const after = await db.query<{ count: string }>(
    "SELECT count(*) FROM job_runs WHERE job_name = 'counters.reconcile' AND triggered_by = 'manual'",
  );
  expect(Number(after.rows[0]!.count) - Number(before.rows[0]!.count)).toBe(1);
  const schedules = await db.query<{ name: string }>("SELECT name FROM pgboss.schedule ORDER BY name");
  expect(schedules.rows.map((row) => row.name)).toEqual([
    "activity.maintenance",
    "counters.reconcile",
    "preview.health",
    "rollups.reconcile",
  ]);

  // The admin page, on the first instance, shows that run.
  await page.goto("/admin/jobs");
  const card = page.getByRole("group", { name: /Project counter reconciliation/ });
  await expect(card.getByText("succeeded").first()).toBeVisible();
  await expect(card.getByRole("button", { name: "Run now" })).toBeVisible();
  await expect(page.getByRole("group", { name: /Activity partitions and retention/ })).toContainText("17 3 * * *");
});
