/**
 * Preparing a running preview whose index.html loads a TypeScript/JSX module: install the npm dependencies of its
 * package.json (deps.ts), then bundle the entry (bundle.ts). Runs in the preview host (the process that serves the
 * port), when the listener opens and again on every request of a bundled module, so an edit of package.json is
 * installed on the next reload; the bundle comes from the host's cache (bundle-cache.ts) while no file changed. Each step is written into the service row's `configuration.prepare`
 * (ZPreviewPrepare), which `project.preview` answers and the pane shows: with several instances, the one serving
 * the port writes it, and any instance's Next server reads it.
 */
import type pg from "pg";
import type { PreviewBundleError, PreviewPrepare, PreviewStep } from "~/lib/schemas/preview";
import { bundleModule, type BundleDeps, type BundleResult } from "./bundle";
import { bundleKey, createBundleCache, projectFileState, type BundleCache } from "./bundle-cache";
import { DepsInstallError, ensureDependencies, isInstalled, type DepsSettings } from "./deps";
import { planDependencies } from "./deps-plan";
import { SERVICE_RESOURCE } from "./lifecycle";
import { classifySite } from "./site";

export interface Preparer {
  /** Installs and bundles the entry of the project's index.html (when it loads one), recording each step. */
  prepare(projectId: string): Promise<void>;
  /** Bundles one module of the project for a request (installing first when package.json changed). */
  bundle(projectId: string, modulePath: string): Promise<BundleResult>;
  /** Forgets what was recorded for a preview that stopped. */
  forget(projectId: string): void;
}

export function createPreparer(options: {
  pool: pg.Pool;
  deps: DepsSettings;
  log?: (line: string) => void;
  /** Where bundles are kept between requests (default: a cache of this preparer's own). */
  bundleCache?: BundleCache;
}): Preparer {
  const { pool, deps: settings } = options;
  const cache = options.bundleCache ?? createBundleCache();
  const log = options.log ?? ((line: string) => console.warn(line));
  const recorded = new Map<string, string>();
  /** Per preview, the install step that installed its current set: a reload's cache hit keeps showing it. */
  const installs = new Map<string, { key: string; step: PreviewStep }>();

  async function record(projectId: string, prepare: Omit<PreviewPrepare, "updatedAt">): Promise<void> {
    const signature = JSON.stringify({ ...prepare, steps: prepare.steps.map(({ ms: _ms, ...step }) => step) });
    if (recorded.get(projectId) === signature) return;
    recorded.set(projectId, signature);
    await pool.query(
      `UPDATE infrastructure_resources
          SET configuration = jsonb_set(coalesce(configuration, '{}'), '{prepare}', $4::jsonb)
        WHERE project_id = $1 AND resource_type = $2 AND resource_name = $3 AND status <> 'stopped'`,
      [
        projectId,
        SERVICE_RESOURCE.type,
        SERVICE_RESOURCE.name,
        JSON.stringify({ ...prepare, updatedAt: new Date().toISOString() }),
      ],
    );
  }

  async function readFiles(projectId: string) {
    const { rows } = await pool.query<{ file_path: string; content: string | null }>(
      `SELECT file_path, content FROM project_files
        WHERE project_id = $1 AND file_path IN ('index.html', 'package.json', 'package-lock.json') AND NOT is_binary`,
      [projectId],
    );
    const text = (name: string) => rows.find((row) => row.file_path === name)?.content ?? null;
    return { indexHtml: text("index.html"), packageJson: text("package.json"), lockfile: text("package-lock.json") };
  }

  /**
   * The dependencies to bundle against, installing them when needed; `onStep` hears of the install step (none
   * when there is nothing to install). An install that fails is a reason, not an exception.
   */
  async function dependencies(
    projectId: string,
    files: Awaited<ReturnType<typeof readFiles>>,
    onStep: (step: PreviewStep) => Promise<void>,
  ): Promise<{ deps: BundleDeps; depsKey: string; failure: string | null }> {
    const planned = planDependencies({ ...files, registry: settings.registry });
    const fail = async (message: string, label: string) => {
      await onStep({ id: "install", label, state: "failed", ms: null });
      return { deps: { dir: null, reason: "failed", message } as const, depsKey: "failed", failure: message };
    };
    if (!planned.ok) return fail(planned.message, "Dependencies cannot be installed");
    const plan = planned.plan;
    if (!plan) return { deps: { dir: null, reason: "none" }, depsKey: "none", failure: null };
    const count = `${plan.packages.length} package${plan.packages.length === 1 ? "" : "s"}`;
    const cached = await isInstalled(plan, settings);
    if (!cached)
      await onStep({ id: "install", label: `Installing dependencies (${count})`, state: "active", ms: null });
    try {
      const installed = await ensureDependencies({ pool, plan, settings });
      if (installed.installed)
        log(`▸ Preview dependencies ${plan.key.slice(0, 12)} (${count}) installed in ${installed.ms} ms`);
      const known = installs.get(projectId);
      const step: PreviewStep =
        !installed.installed && known?.key === plan.key
          ? known.step
          : {
              id: "install",
              label: installed.installed
                ? `Installed dependencies (${count})`
                : `Dependencies (${count}) from the cache`,
              state: "done",
              ms: installed.ms,
            };
      installs.set(projectId, { key: plan.key, step });
      await onStep(step);
      return { deps: { dir: installed.dir, devPackages: plan.devPackages }, depsKey: plan.key, failure: null };
    } catch (error) {
      if (!(error instanceof DepsInstallError)) throw error;
      return fail(error.message, `Installing dependencies (${count}) failed`);
    }
  }

  async function run(projectId: string, modulePath: string | null): Promise<BundleResult | null> {
    const files = await readFiles(projectId);
    const entry = classifySite({ indexHtml: files.indexHtml, packageJson: files.packageJson }).entry;
    const target = modulePath ?? entry;
    if (!target) return null;
    const forEntry = target === entry;
    const steps: PreviewStep[] = [];
    const show = async (phase: PreviewPrepare["phase"], extra: Partial<PreviewPrepare> = {}) => {
      if (forEntry) await record(projectId, { phase, steps: [...steps], errors: [], message: null, ...extra });
    };
    const { deps, depsKey, failure } = await dependencies(projectId, files, async (step) => {
      const at = steps.findIndex((known) => known.id === step.id);
      if (at >= 0) steps[at] = step;
      else steps.push(step);
      // Only a real install is worth a row update while it runs; the outcome is recorded with the bundle.
      if (step.state === "active")
        await record(projectId, { phase: "installing", steps: [...steps], errors: [], message: null });
    });
    if (failure !== null) {
      await show("failed", { message: failure });
      return { ok: false, errors: [{ file: null, line: null, column: null, text: failure, lineText: null }] };
    }
    const bundleStep = (state: PreviewStep["state"], ms: number | null): PreviewStep => ({
      id: "bundle",
      label: `Bundling ${target}`,
      state,
      ms,
    });
    // A first preparation shows the bundling step; a reload's bundle only records a changed outcome.
    if (modulePath === null) {
      steps.push(bundleStep("active", null));
      await show("bundling");
      steps.pop();
    }
    const started = Date.now();
    // Read before the build: an edit while it runs makes a new key, so the next request builds again.
    const fileState = await projectFileState(pool, projectId);
    const result = await cache.get(bundleKey({ projectId, modulePath: target, depsKey, fileState }), () =>
      bundleModule(pool, projectId, target, deps),
    );
    const ms = Date.now() - started;
    steps.push(bundleStep(result.ok ? "done" : "failed", ms));
    const errors: PreviewBundleError[] = result.ok ? [] : result.errors.slice(0, 20);
    await show(result.ok ? "ready" : "failed", { errors });
    return result;
  }

  return {
    async prepare(projectId) {
      await run(projectId, null);
    },
    async bundle(projectId, modulePath) {
      return (await run(projectId, modulePath))!;
    },
    forget(projectId) {
      recorded.delete(projectId);
      installs.delete(projectId);
      cache.forget(projectId);
    },
  };
}
