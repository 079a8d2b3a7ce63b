/**
 * Bundling a preview's TypeScript/JSX module on request (the React + Vite template's `src/main.tsx`): esbuild reads
 * the project's files from PostgreSQL through a plugin, so nothing of the project touches the disk and no project
 * code runs on the server. Bare imports (`react`) resolve in the dependencies installed for the preview (deps.ts),
 * and never outside that folder.
 */
import { promises as fs } from "node:fs";
import path from "node:path";
import { build, type ImportKind, type Message, type Plugin } from "esbuild";
import type pg from "pg";
import { normalizeFilePath } from "~/lib/paths";
import { bundleErrorHeadline, type PreviewBundleError as BundleError } from "~/lib/schemas/preview";

export type { BundleError };

export const BUNDLED_EXTENSIONS = /\.(?:tsx?|jsx|mts)$/i;
const RESOLVE_EXTENSIONS = [
  "",
  ".tsx",
  ".ts",
  ".jsx",
  ".js",
  ".mjs",
  ".json",
  "/index.tsx",
  "/index.ts",
  "/index.jsx",
  "/index.js",
];
const LOADERS = { ts: "ts", mts: "ts", tsx: "tsx", jsx: "jsx", js: "js", mjs: "js", json: "json", css: "css" } as const;

export type BundleResult = { ok: true; code: string } | { ok: false; errors: BundleError[] };

/** Where bare imports resolve: installed dependencies, or the reason there are none. */
export type BundleDeps =
  | { dir: string; devPackages: string[] }
  | { dir: null; reason: "none" | "failed"; message?: string; devPackages?: string[] };

const INNER = { vaporformInner: true };

/** Bundles `entry` (a project path) and what it imports, from the project and its installed dependencies. */
export async function bundleModule(
  pool: pg.Pool,
  projectId: string,
  entry: string,
  deps: BundleDeps = { dir: null, reason: "none" },
): Promise<BundleResult> {
  const read = async (path: string) => {
    const { rows } = await pool.query<{ content: string }>(
      "SELECT content FROM project_files WHERE project_id = $1 AND file_path = $2 AND NOT is_binary",
      [projectId, path],
    );
    return rows[0]?.content ?? null;
  };
  const modulesRoot = deps.dir ? await fs.realpath(path.join(deps.dir, "node_modules")).catch(() => null) : null;
  const plugin: Plugin = {
    name: "vaporform-project-files",
    setup(pluginBuild) {
      /** esbuild's own resolution in node_modules, kept inside it (a package may not reach the server's files). */
      const resolveInstalled = async (specifier: string, kind: ImportKind, resolveDir: string) => {
        if (!modulesRoot || (!specifier.startsWith(".") && specifier.split(/[\\/]/).includes(".."))) return null;
        const found = await pluginBuild.resolve(specifier, { kind, resolveDir, pluginData: INNER });
        if (found.errors.length > 0 || !found.path) return null;
        if (found.external) return { path: specifier, external: true };
        const real = await fs.realpath(found.path).catch(() => null);
        if (!real || !real.startsWith(`${modulesRoot}${path.sep}`)) return null;
        return { path: real, sideEffects: found.sideEffects };
      };
      pluginBuild.onResolve({ filter: /.*/ }, async (args) => {
        if ((args.pluginData as typeof INNER | undefined)?.vaporformInner) return undefined;
        if (args.kind === "entry-point") return { path: entry, namespace: "project" };
        if (args.namespace === "file") {
          // An import inside an installed package: relative to it, or another package.
          const found = await resolveInstalled(args.path, args.kind, args.resolveDir);
          return found ?? { errors: [{ text: `Cannot resolve "${args.path}" inside the installed dependencies.` }] };
        }
        const relative = args.path.startsWith(".") || args.path.startsWith("/");
        if (!relative) {
          const name = args.path.startsWith("@")
            ? args.path.split("/").slice(0, 2).join("/")
            : args.path.split("/")[0]!;
          if (deps.dir) {
            const found = await resolveInstalled(args.path, args.kind, deps.dir);
            if (found) return found;
          }
          return { errors: [{ text: missingPackageText(args.path, name, deps) }] };
        }
        const base = args.path.startsWith("/") ? "" : args.importer.split("/").slice(0, -1).join("/");
        const joined = resolvePath(base, args.path);
        if (joined !== null) {
          for (const extension of RESOLVE_EXTENSIONS) {
            const candidate = `${joined}${extension}`;
            const checked = normalizeFilePath(candidate);
            if (checked.ok && (await read(checked.path)) !== null) return { path: checked.path, namespace: "project" };
          }
        }
        return { errors: [{ text: `Cannot find "${args.path}" among the project's files.` }] };
      });
      pluginBuild.onLoad({ filter: /.*/, namespace: "project" }, async (args) => {
        const contents = (await read(args.path)) ?? "";
        const extension = args.path.slice(args.path.lastIndexOf(".") + 1).toLowerCase();
        if (extension === "css") {
          // Imported CSS becomes a <style> the module adds, so the preview needs no second file.
          return { contents: styleModule(contents), loader: "js" };
        }
        const loader = LOADERS[extension as keyof typeof LOADERS];
        if (!loader) return { contents: `export default ${JSON.stringify(`/${args.path}`)};`, loader: "js" };
        return { contents, loader };
      });
      pluginBuild.onLoad({ filter: /\.css$/, namespace: "file" }, async (args) => ({
        contents: styleModule(await fs.readFile(args.path, "utf8")),
        loader: "js",
      }));
    },
  };
  try {
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      write: false,
      format: "esm",
      platform: "browser",
      jsx: "automatic",
      sourcemap: "inline",
      define: {
        "process.env.NODE_ENV": '"development"',
        // What Vite gives a page (`import.meta.env`), in development mode.
        "import.meta.env": JSON.stringify({ MODE: "development", DEV: true, PROD: false, SSR: false, BASE_URL: "/" }),
      },
      loader: {
        ".png": "dataurl",
        ".jpg": "dataurl",
        ".gif": "dataurl",
        ".svg": "dataurl",
        ".woff": "dataurl",
        ".woff2": "dataurl",
      },
      logLevel: "silent",
      plugins: [plugin],
    });
    return { ok: true, code: result.outputFiles[0]?.text ?? "" };
  } catch (error) {
    const errors = (error as { errors?: Message[] }).errors;
    if (!errors) throw error;
    return { ok: false, errors: errors.map(toBundleError) };
  }
}

function resolvePath(base: string, path: string): string | null {
  const segments = base === "" ? [] : base.split("/");
  for (const segment of path.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") {
      if (segments.length === 0) return null;
      segments.pop();
    } else segments.push(segment);
  }
  return segments.join("/");
}

function styleModule(css: string): string {
  // Imported CSS becomes a <style> the module adds, so the preview needs no second file.
  return `const style = document.createElement("style"); style.textContent = ${JSON.stringify(css)}; document.head.append(style);`;
}

function missingPackageText(specifier: string, name: string, deps: BundleDeps): string {
  if (deps.dir === null && deps.reason === "failed") {
    return `Cannot import "${specifier}": the project's npm dependencies could not be installed. ${deps.message ?? ""}`.trim();
  }
  if (deps.devPackages?.includes(name)) {
    return `Cannot import "${specifier}": ${name} is in devDependencies, which previews do not install. List it under "dependencies" in package.json.`;
  }
  return `Cannot import "${specifier}": ${name} is not among the installed dependencies. Add it to "dependencies" in package.json.`;
}

function toBundleError(message: Message): BundleError {
  const location = message.location;
  return {
    file: location ? location.file.replace(/^project:/, "") : null,
    line: location?.line ?? null,
    column: location ? location.column + 1 : null,
    text: message.text,
    lineText: location?.lineText ?? null,
  };
}

/** `src/App.tsx:12:5 — message`, then the line itself. */
export function formatBundleError(error: BundleError): string {
  return `${bundleErrorHeadline(error)}${error.lineText ? `\n    ${error.lineText.trim()}` : ""}`;
}

/** A module that shows why the preview cannot run in the page, where the preview would have been. */
export function errorModule(title: string, lines: string[]): string {
  const text = `${title}\n\n${lines.join("\n\n")}`;
  return `const pre = document.createElement("pre");
pre.setAttribute("data-vaporform-bundle-error", "");
pre.style.cssText = "white-space:pre-wrap;font:13px ui-monospace,monospace;color:#b91c1c;background:#fef2f2;padding:1rem;margin:0";
pre.textContent = ${JSON.stringify(text)};
document.body.prepend(pre);
console.error(${JSON.stringify(text)});
`;
}
