import { defineConfig, devices } from "@playwright/test";

const PORT = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://localhost:${PORT}`;
/** The fake Anthropic Messages API (test/support/fake-anthropic.ts) the app talks to instead of the real one. */
const FAKE_ANTHROPIC_PORT = Number(process.env.E2E_FAKE_ANTHROPIC_PORT ?? PORT + 1);
const fakeAnthropicURL = `http://127.0.0.1:${FAKE_ANTHROPIC_PORT}`;
/**
 * The fake npm registry (test/support/fake-npm-registry.ts) previews install their dependencies from. PORT + 3:
 * PORT + 2 is the second app instance of e2e/instances.spec.ts.
 */
const FAKE_NPM_PORT = Number(process.env.E2E_FAKE_NPM_PORT ?? PORT + 3);
const fakeNpmURL = `http://127.0.0.1:${FAKE_NPM_PORT}/`;
/**
 * A model the e2e app offers without a price (e2e/admin-prices.spec.ts prices it): a new one every run, since the
 * e2e database outlives runs. Set in the runner's environment, which the workers inherit, so all agree on it.
 */
process.env.E2E_UNPRICED_MODEL ??= `claude-e2e-${Date.now().toString(36)}`;

/**
 * End-to-end specs drive Debian's Chromium (never a downloaded browser) against the app started exactly as a user
 * starts it (`npm start`), on its own embedded database under .data/e2e so a developer's data is untouched.
 */
export default defineConfig({
  testDir: "e2e",
  outputDir: "test-results",
  fullyParallel: true,
  workers: 2,
  retries: 0,
  reporter: [["list"]],
  // Generous: Monaco and its TypeScript worker load slowly when the two cores are busy (a build, a benchmark).
  timeout: 90_000,
  expect: { timeout: 30_000 },
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects: [
    {
      name: "chromium",
      use: {
        ...devices["Desktop Chrome"],
        launchOptions: {
          executablePath: "/usr/bin/chromium",
          args: [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
          ],
        },
      },
    },
  ],
  webServer: [
    {
      command: `npx tsx test/support/fake-anthropic.ts --port ${FAKE_ANTHROPIC_PORT}`,
      url: `${fakeAnthropicURL}/__requests`,
      timeout: 60_000,
      reuseExistingServer: false,
      stdout: "pipe",
      stderr: "pipe",
    },
    {
      command: `npx tsx test/support/fake-npm-registry.ts --port ${FAKE_NPM_PORT}`,
      url: `${fakeNpmURL}__requests`,
      timeout: 60_000,
      reuseExistingServer: false,
      stdout: "pipe",
      stderr: "pipe",
    },
    {
      command: "npm start",
      url: `${baseURL}/api/health`,
      timeout: 600_000,
      reuseExistingServer: false,
      stdout: "pipe",
      stderr: "pipe",
      env: {
        PORT: String(PORT),
        VAPORFORM_DATA_DIR: ".data/e2e",
        // The specs act as the reverse proxy: each test user comes from its own X-Forwarded-For address, so
        // per-address limits of one spec do not spill into another (e2e/fixtures.ts).
        TRUST_PROXY: "true",
        // The admin's password is generated per install; the specs sign in as admin with a known one.
        SEED_ADMIN_PASSWORD: "vaporform-admin",
        SEED_ADMIN_EMAIL: "admin@vaporform.test",
        NEXTAUTH_URL: baseURL,
        // Live previews (e2e/preview.spec.ts) listen here, apart from the other e2e ports.
        PREVIEW_PORT_RANGE: process.env.E2E_PREVIEW_PORT_RANGE ?? "4600-4699",
        // Their npm dependencies come from the fake registry (never the internet).
        PREVIEW_NPM_REGISTRY: fakeNpmURL,
        // Claude is the fake API (never the internet); specs script its answers with POST /__script on it.
        ANTHROPIC_BASE_URL: fakeAnthropicURL,
        ANTHROPIC_API_KEY: "sk-ant-e2e-dummy",
        // Integration tests call endpoints on this machine (the app itself); installs refuse those by default.
        OUTBOUND_ALLOW_PRIVATE: "true",
        // The app's default models (the first is the default), and one without a price.
        ANTHROPIC_MODELS: `claude-sonnet-5-5,claude-opus-5-5,claude-haiku-5-5,${process.env.E2E_UNPRICED_MODEL}`,
      },
    },
  ],
});
