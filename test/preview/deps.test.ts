import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeNpmRegistry, type FakeNpmRegistry } from "../support/fake-npm-registry";

const { createPreparer } = await import("~/server/services/preview/prepare");
const { planDependencies } = await import("~/server/services/preview/deps-plan");
const { ensureDependencies, MAX_CONCURRENT_INSTALLS } = await import("~/server/services/preview/deps");
const { pool } = await import("../db");
const { newProject, signedInUser } = await import("../files/support");

type DepsSettings = import("~/server/services/preview/deps").DepsSettings;

let registry: FakeNpmRegistry;
let scratch: string;
const marker = () => path.join(scratch, "install-script-ran");

beforeAll(async () => {
  scratch = mkdtempSync(path.join(os.tmpdir(), "vaporform-preview-deps-"));
  registry = await startFakeNpmRegistry({ markerPath: path.join(scratch, "install-script-ran") });
});

afterAll(async () => {
  await registry.close();
  rmSync(scratch, { recursive: true, force: true });
});

function settings(overrides: Partial<DepsSettings> = {}): DepsSettings {
  return {
    root: path.join(scratch, `cache-${Math.random().toString(36).slice(2)}`),
    registry: registry.url,
    timeoutMs: 60_000,
    maxBytes: 64 * 1024 * 1024,
    keep: 5,
    ...overrides,
  };
}

const INDEX = '<div id="root"></div><script type="module" src="/src/main.tsx"></script>';

/** A project whose index.html loads src/main.tsx, with a live service row for the preparer to record on. */
async function bundledProject(files: Record<string, string>) {
  const { api } = await signedInUser();
  const projectId = await newProject(api);
  for (const [filePath, content] of Object.entries({ "index.html": INDEX, ...files })) {
    await api.file.create({ projectId, path: filePath, content });
  }
  await pool.query(
    `INSERT INTO infrastructure_resources (project_id, resource_type, resource_name, resource_id, status, configuration)
     VALUES ($1, 'service', 'preview', 'test', 'active', '{}')`,
    [projectId],
  );
  const prepared = async () => (await api.project.preview({ projectId })).prepare;
  return { api, projectId, prepared };
}

const greetProject = {
  "package.json": JSON.stringify({
    dependencies: { "tiny-greet": "^1.0.0", "tiny-dom": "1.0.0" },
    devDependencies: { typescript: "^5.9.0" },
    scripts: { postinstall: "node -e \"require('fs').writeFileSync('/tmp/never', '')\"" },
  }),
  "src/main.tsx":
    '/** @jsxImportSource tiny-dom */\nimport { greet } from "tiny-greet";\n\ndocument.body.append(<h1>{greet("preview")}</h1>);\n',
};

describe("preview dependencies", () => {
  it("installs the package.json dependencies, bundles the entry with them, and a second start reuses the cache", async () => {
    const deps = settings();
    const { projectId, prepared } = await bundledProject(greetProject);
    const before = registry.requests.length;
    const preparer = createPreparer({ pool, deps, log: () => {} });
    await preparer.prepare(projectId);
    expect(await prepared()).toMatchObject({
      phase: "ready",
      errors: [],
      message: null,
      steps: [
        { id: "install", label: "Installed dependencies (2 packages)", state: "done" },
        { id: "bundle", label: "Bundling src/main.tsx", state: "done" },
      ],
    });
    const fetched = registry.requests.slice(before);
    expect(fetched).toEqual(expect.arrayContaining(["/tiny-greet", "/tiny-dom", "/tiny-greet/-/tiny-greet-1.0.0.tgz"]));
    // devDependencies are never fetched: only what the page loads.
    expect(fetched).not.toContain("/typescript");
    const [entry] = readdirSync(deps.root).filter((name) => !name.startsWith("."));
    expect(readdirSync(path.join(deps.root, entry!)).sort()).toEqual([
      "node_modules",
      "package-lock.json",
      "package.json",
    ]);

    // The page's request bundles again (a cache hit now): the pane still says what the start installed.
    const bundled = await preparer.bundle(projectId, "src/main.tsx");
    expect(bundled.ok).toBe(true);
    expect((await prepared())?.steps[0]).toMatchObject({ label: "Installed dependencies (2 packages)" });
    const code = bundled.ok ? bundled.code : "";
    expect(code).toContain("Hello, ${name}!");
    expect(code).toContain("createTextNode");

    // The second start (a new host, as after a restart): from the cache, no request to the registry.
    const again = registry.requests.length;
    await createPreparer({ pool, deps, log: () => {} }).prepare(projectId);
    expect(registry.requests.length).toBe(again);
    expect((await prepared())?.steps[0]).toMatchObject({ label: "Dependencies (2 packages) from the cache" });
  });

  it("never runs install scripts", async () => {
    const deps = settings();
    const { projectId, prepared } = await bundledProject({
      "package.json": JSON.stringify({ dependencies: { "tiny-scripted": "1.0.0" } }),
      "src/main.tsx": 'import { scripted } from "tiny-scripted";\nconsole.log(scripted);\n',
    });
    await createPreparer({ pool, deps, log: () => {} }).prepare(projectId);
    expect((await prepared())?.phase).toBe("ready");
    const [entry] = readdirSync(deps.root).filter((name) => !name.startsWith("."));
    expect(existsSync(path.join(deps.root, entry!, "node_modules/tiny-scripted/package.json"))).toBe(true);
    expect(existsSync(marker())).toBe(false);
  });

  it("says clearly that an unreachable registry could not be reached, with npm's short error", async () => {
    const { projectId, prepared } = await bundledProject(greetProject);
    const preparer = createPreparer({ pool, deps: settings({ registry: "http://127.0.0.1:9/" }), log: () => {} });
    await preparer.prepare(projectId);
    const state = await prepared();
    expect(state).toMatchObject({
      phase: "failed",
      steps: [{ id: "install", label: "Installing dependencies (2 packages) failed", state: "failed" }],
    });
    expect(state?.message).toMatch(/^The npm registry \(http:\/\/127\.0\.0\.1:9\/\) could not be reached/);
    expect(state?.message).toMatch(/npm said: ECONNREFUSED: .*127\.0\.0\.1:9/);
    // The page says it too, where the app would have been.
    const bundled = await preparer.bundle(projectId, "src/main.tsx");
    expect(bundled.ok ? "" : bundled.errors[0]?.text).toMatch(/could not be reached/);
  });

  it("reports a package the registry does not have with npm's error code", async () => {
    const { projectId, prepared } = await bundledProject({
      "package.json": JSON.stringify({ dependencies: { "no-such-package-here": "^1.0.0" } }),
      "src/main.tsx": 'import "no-such-package-here";\n',
    });
    await createPreparer({ pool, deps: settings(), log: () => {} }).prepare(projectId);
    expect((await prepared())?.message).toMatch(/^npm install failed\. npm said: E404: .*no-such-package-here/);
  });

  it("does not run npm again on a reload for a set that just failed; an edit of package.json installs at once", async () => {
    const { api, projectId, prepared } = await bundledProject({
      "package.json": JSON.stringify({ dependencies: { "no-such-package-either": "^1.0.0" } }),
      "src/main.tsx": 'import { greet } from "tiny-greet";\nconsole.log(greet("again"));\n',
    });
    const preparer = createPreparer({ pool, deps: settings(), log: () => {} });
    await preparer.prepare(projectId);
    expect((await prepared())?.message).toMatch(/E404: .*no-such-package-either/);
    const before = registry.requests.length;
    const reloaded = await preparer.bundle(projectId, "src/main.tsx");
    expect(reloaded.ok ? "" : reloaded.errors[0]?.text).toMatch(/E404: .*no-such-package-either/);
    expect(registry.requests.length).toBe(before);

    const file = await api.file.read({ projectId, path: "package.json" });
    await api.file.save({
      projectId,
      path: "package.json",
      content: JSON.stringify({ dependencies: { "tiny-greet": "1.0.0" } }),
      fileId: file.id,
      baseVersion: file.version,
    });
    expect((await preparer.bundle(projectId, "src/main.tsx")).ok).toBe(true);
    expect(registry.requests.slice(before)).toContain("/tiny-greet");
  });

  it("stops an install past the size limit and keeps nothing of it", async () => {
    const deps = settings({ maxBytes: 1024 });
    const { projectId, prepared } = await bundledProject(greetProject);
    await createPreparer({ pool, deps, log: () => {} }).prepare(projectId);
    expect((await prepared())?.message).toMatch(/more than 1 KiB \(PREVIEW_DEPS_MAX_BYTES\)/);
    expect(readdirSync(deps.root)).toEqual([]);
  });

  it("keeps the most recently used sets only", async () => {
    const deps = settings({ keep: 1 });
    const first = await bundledProject(greetProject);
    await createPreparer({ pool, deps, log: () => {} }).prepare(first.projectId);
    const second = await bundledProject({
      ...greetProject,
      "package.json": JSON.stringify({ dependencies: { "tiny-greet": "1.0.0", "tiny-dom": "*" } }),
    });
    await createPreparer({ pool, deps, log: () => {} }).prepare(second.projectId);
    expect((await second.prepared())?.phase).toBe("ready");
    expect(readdirSync(deps.root)).toHaveLength(1);
  });

  it("shows a syntax error with file, line and the line's text, and the page comes back once it is fixed", async () => {
    const deps = settings();
    const { api, projectId, prepared } = await bundledProject({
      ...greetProject,
      "src/main.tsx": 'import { App } from "./App";\ndocument.body.append(App());\n',
      "src/App.tsx": "/** @jsxImportSource tiny-dom */\nexport function App() {\n  return <h1>Hi</h1;\n}\n",
    });
    const preparer = createPreparer({ pool, deps, log: () => {} });
    await preparer.prepare(projectId);
    const failed = await prepared();
    expect(failed?.phase).toBe("failed");
    expect(failed?.errors[0]).toMatchObject({ file: "src/App.tsx", line: 3, lineText: "  return <h1>Hi</h1;" });
    expect(failed?.errors[0]?.column).toBeGreaterThan(1);

    const file = await api.file.read({ projectId, path: "src/App.tsx" });
    await api.file.save({
      projectId,
      path: "src/App.tsx",
      content: "/** @jsxImportSource tiny-dom */\nexport function App() {\n  return <h1>Hi</h1>;\n}\n",
      fileId: file.id,
      baseVersion: file.version,
    });
    // A reload bundles the entry again: the outcome is recorded.
    expect((await preparer.bundle(projectId, "src/main.tsx")).ok).toBe(true);
    expect(await prepared()).toMatchObject({ phase: "ready", errors: [] });
  });

  it("explains an import of a devDependency and refuses to leave node_modules", async () => {
    const { api, projectId } = await bundledProject(greetProject);
    const preparer = createPreparer({ pool, deps: settings(), log: () => {} });
    await preparer.prepare(projectId);
    const messages = async (source: string) => {
      const file = await api.file.read({ projectId, path: "src/main.tsx" });
      await api.file.save({
        projectId,
        path: "src/main.tsx",
        content: source,
        fileId: file.id,
        baseVersion: file.version,
      });
      const result = await preparer.bundle(projectId, "src/main.tsx");
      return result.ok ? [] : result.errors.map((error) => error.text);
    };
    expect(await messages('import ts from "typescript";\nconsole.log(ts);\n')).toEqual([
      expect.stringMatching(/typescript is in devDependencies, which previews do not install/),
    ]);
    expect(await messages('import "tiny-greet/../../../../../etc/passwd";\n')).toHaveLength(1);
    expect(await messages('import "left-pad";\n')).toEqual([
      expect.stringMatching(/left-pad is not among the installed dependencies/),
    ]);
  });
});

describe("the install lock", () => {
  it("waits for another instance installing the same set, then uses its result without installing again", async () => {
    const deps = settings();
    const planned = planDependencies({
      packageJson: greetProject["package.json"],
      lockfile: null,
      registry: deps.registry,
    });
    const plan = planned.ok ? planned.plan! : null;
    // Another instance holds the set's lock (the same keys as deps.ts: "vfpd" and the key's first 32 bits).
    const other = await pool.connect();
    const lockKey = Number.parseInt(plan!.key.slice(0, 8), 16) | 0;
    await other.query("SELECT pg_advisory_lock($1::int, $2::int)", [0x76667064, lockKey]);
    const before = registry.requests.length;
    const waiting = ensureDependencies({ pool, plan: plan!, settings: deps });
    await new Promise((resolve) => setTimeout(resolve, 700));
    // ... finishes its install (renamed into place) and lets go.
    mkdirSync(path.join(deps.root, plan!.key, "node_modules"), { recursive: true });
    await other.query("SELECT pg_advisory_unlock($1::int, $2::int)", [0x76667064, lockKey]);
    other.release();
    expect(await waiting).toMatchObject({ dir: path.join(deps.root, plan!.key), installed: false });
    expect(registry.requests.length).toBe(before);
  });
});

describe("the install cap", () => {
  it(`runs at most ${MAX_CONCURRENT_INSTALLS} npm installs at once; the others wait their turn and succeed`, async () => {
    const slow = await startFakeNpmRegistry({ markerPath: marker(), delayMs: 1_500 });
    try {
      const deps = settings({ registry: slow.url });
      // Three distinct sets, one package each: a package being answered means its install is running.
      const plans = ["tiny-greet", "tiny-dom", "tiny-scripted"].map((name) => {
        const planned = planDependencies({
          packageJson: JSON.stringify({ dependencies: { [name]: "1.0.0" } }),
          lockfile: null,
          registry: slow.url,
        });
        return planned.ok ? planned.plan! : null;
      });
      const results = await Promise.all(plans.map((plan) => ensureDependencies({ pool, plan: plan!, settings: deps })));
      expect(results.map((result) => result.installed)).toEqual([true, true, true]);
      expect(slow.peakPackagesInFlight()).toBeLessThanOrEqual(MAX_CONCURRENT_INSTALLS);
      // npm's cache was inside each install's folder: nothing of it is left beside the sets.
      expect(readdirSync(deps.root).sort()).toEqual(plans.map((plan) => plan!.key).sort());
      for (const plan of plans) expect(existsSync(path.join(deps.root, plan!.key, ".npm-cache"))).toBe(false);
    } finally {
      await slow.close();
    }
  });
});

describe("planDependencies", () => {
  const plan = (packageJson: unknown, lockfile: unknown = null) =>
    planDependencies({
      packageJson: JSON.stringify(packageJson),
      lockfile: lockfile === null ? null : JSON.stringify(lockfile),
      registry: "http://127.0.0.1:4873/",
    });

  it("installs only registry packages, writes none of the project's other fields, and keys by what it installs", () => {
    const result = plan({ name: "x", scripts: { postinstall: "evil" }, workspaces: ["a"], dependencies: { a: "^1" } });
    expect(result.ok && JSON.parse(result.plan!.packageJson)).toEqual({
      name: "vaporform-preview-deps",
      version: "0.0.0",
      private: true,
      dependencies: { a: "^1" },
    });
    const same = plan({ name: "other", dependencies: { a: "^1" } });
    const different = plan({ dependencies: { a: "^2" } });
    expect(result.ok && same.ok && result.plan!.key === same.plan!.key).toBe(true);
    expect(result.ok && different.ok && result.plan!.key !== different.plan!.key).toBe(true);
    expect(plan({ devDependencies: { vite: "^8" } })).toEqual({ ok: true, plan: null });
    for (const spec of [
      "file:../lib",
      "link:../lib",
      "git+https://example.com/x.git",
      "user/repo",
      "https://x/y.tgz",
    ]) {
      expect(plan({ dependencies: { a: spec } }), spec).toMatchObject({
        ok: false,
        message: expect.stringMatching(/registry/),
      });
    }
    expect(plan({ dependencies: { a: "npm:b@^1.0.0" } }).ok).toBe(true);
  });

  it("strips the lockfile's addresses and refuses one that fetches from elsewhere or links folders", () => {
    const lock = (resolved: string) => ({
      lockfileVersion: 3,
      packages: {
        "": { dependencies: { a: "^1" } },
        "node_modules/a": { version: "1.0.0", resolved, integrity: "sha512-x" },
      },
    });
    const fine = plan({ dependencies: { a: "^1" } }, lock("https://registry.npmjs.org/a/-/a-1.0.0.tgz"));
    expect(fine.ok && JSON.parse(fine.plan!.lockfile!).packages["node_modules/a"]).toEqual({
      version: "1.0.0",
      integrity: "sha512-x",
    });
    expect(plan({ dependencies: { a: "^1" } }, lock("http://169.254.169.254/latest/a.tgz"))).toMatchObject({
      ok: false,
    });
    const linked = { lockfileVersion: 3, packages: { "": {}, "node_modules/a": { link: true, resolved: "../a" } } };
    expect(plan({ dependencies: { a: "^1" } }, linked)).toMatchObject({ ok: false });
  });
});
