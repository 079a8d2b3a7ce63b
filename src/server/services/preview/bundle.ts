/**
 * Bundling a preview's TypeScript/JSX module on request (the React + Vite template's `src/main.tsx`): esbuild reads
 * every file from PostgreSQL through a plugin, so nothing of the project touches the disk and no project code runs
 * on the server. npm packages are not installed by this install: an import of one fails with a message that says so.
 */
import { build, type Message, type Plugin } from "esbuild";
import type pg from "pg";
import { normalizeFilePath } from "~/lib/paths";

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

export type BundleResult = { ok: true; code: string } | { ok: false; errors: string[] };

/** Bundles `entry` (a project path) and what it imports from the project, as one ES module. */
export async function bundleModule(pool: pg.Pool, projectId: string, entry: string): Promise<BundleResult> {
  const read = async (path: string) => {
    const { rows } = await pool.query<{ content: string }>(
      "SELECT content FROM project_files WHERE project_id = $1 AND file_path = $2 AND NOT is_binary",
      [projectId, path],
    );
    return rows[0]?.content ?? null;
  };
  const missingPackages = new Set<string>();
  const plugin: Plugin = {
    name: "vaporform-project-files",
    setup(pluginBuild) {
      pluginBuild.onResolve({ filter: /.*/ }, async (args) => {
        if (args.kind === "entry-point") return { path: entry, namespace: "project" };
        const relative = args.path.startsWith(".") || args.path.startsWith("/");
        if (!relative) {
          const name = args.path.startsWith("@")
            ? args.path.split("/").slice(0, 2).join("/")
            : args.path.split("/")[0]!;
          missingPackages.add(name);
          return {
            errors: [
              {
                text: `Cannot import "${args.path}": npm dependencies are not installed for previews on this install, so only the project's own files can be bundled.`,
              },
            ],
          };
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
          return {
            contents: `const style = document.createElement("style"); style.textContent = ${JSON.stringify(contents)}; document.head.append(style);`,
            loader: "js",
          };
        }
        const loader = LOADERS[extension as keyof typeof LOADERS];
        if (!loader) return { contents: `export default ${JSON.stringify(`/${args.path}`)};`, loader: "js" };
        return { contents, loader };
      });
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
      logLevel: "silent",
      plugins: [plugin],
    });
    return { ok: true, code: result.outputFiles[0]?.text ?? "" };
  } catch (error) {
    const errors = (error as { errors?: Message[] }).errors;
    if (!errors) throw error;
    return { ok: false, errors: errors.map(formatMessage) };
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

function formatMessage(message: Message): string {
  const where = message.location
    ? `${message.location.file.replace(/^project:/, "")}:${message.location.line}:${message.location.column + 1}: `
    : "";
  return `${where}${message.text}`;
}

/** A module that shows the bundler's errors in the page, where the preview would have been. */
export function errorModule(errors: string[]): string {
  const text = `The preview could not be bundled:\n\n${errors.join("\n")}`;
  return `const pre = document.createElement("pre");
pre.setAttribute("data-vaporform-bundle-error", "");
pre.style.cssText = "white-space:pre-wrap;font:13px ui-monospace,monospace;color:#b91c1c;background:#fef2f2;padding:1rem;margin:0";
pre.textContent = ${JSON.stringify(text)};
document.body.prepend(pre);
console.error(${JSON.stringify(text)});
`;
}
