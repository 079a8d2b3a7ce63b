/**
 * What a project's preview can be, decided from its files alone: this install serves web files as they are
 * stored and bundles TypeScript/JSX modules with esbuild (no project code runs on the server), so a project that
 * needs a server process is told so honestly instead of showing a broken page.
 */

/** Dependencies that mean "this app is a server process" (Node web frameworks and full-stack frameworks). */
const SERVER_DEPENDENCIES = [
  "express",
  "fastify",
  "next",
  "koa",
  "@hapi/hapi",
  "@nestjs/core",
  "nuxt",
  "@remix-run/node",
];

export type SiteKind = "static" | "needs-bundling" | "needs-server" | "empty";

export interface SiteVerdict {
  kind: SiteKind;
  /** Shown in the preview pane; null when the site is served as it is. */
  message: string | null;
  /** The module index.html loads that is bundled (a project path, e.g. `src/main.tsx`); null otherwise. */
  entry: string | null;
}

const MODULE_SOURCE = /<script\b[^>]*\bsrc\s*=\s*["']?([^"'\s>]+\.(?:tsx?|jsx|mts))["'\s>]/i;

/** From the text of the root index.html and package.json (null when the file does not exist). */
export function classifySite(files: { indexHtml: string | null; packageJson: string | null }): SiteVerdict {
  const { indexHtml, packageJson } = files;
  if (indexHtml !== null) {
    const source = MODULE_SOURCE.exec(indexHtml)?.[1];
    const entry = source ? source.replace(/^\.?\/+/, "") : null;
    if (entry) {
      return {
        kind: "needs-bundling",
        entry,
        message:
          `index.html loads ${entry}: it is bundled with esbuild from the project's files on each request, with the ` +
          'packages of package.json "dependencies" installed by npm (install scripts never run; devDependencies ' +
          "are not installed).",
      };
    }
    return { kind: "static", message: null, entry: null };
  }
  const server = serverDependency(packageJson);
  if (server) {
    return {
      kind: "needs-server",
      entry: null,
      message:
        `This project depends on ${server} and has no index.html: it needs a server process (npm install, then ` +
        "a Node.js server running the project's own code). This install serves previews from stored files only " +
        "and never runs project code on its server, so it cannot run this project. Run it on your machine " +
        "(download the project as a zip) or add a static index.html to preview.",
    };
  }
  return {
    kind: "empty",
    entry: null,
    message: "There is no index.html at the project root to serve. Create one (File > New file: index.html).",
  };
}

function serverDependency(packageJson: string | null): string | null {
  if (packageJson === null) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(packageJson);
  } catch {
    return null;
  }
  if (typeof parsed !== "object" || parsed === null) return null;
  const record = parsed as Record<string, unknown>;
  const names = new Set<string>();
  for (const field of ["dependencies", "devDependencies"]) {
    const deps = record[field];
    if (typeof deps === "object" && deps !== null) for (const name of Object.keys(deps)) names.add(name);
  }
  return SERVER_DEPENDENCIES.find((name) => names.has(name)) ?? null;
}
