/**
 * What a preview installs, decided from the project's package.json and package-lock.json alone (pure): only registry
 * packages, written into a package.json of our own (no scripts, workspaces or anything else of the project's), and
 * a lockfile without its download addresses, so npm fetches every package from the configured registry (a lockfile
 * can name any URL; the server would fetch it). The cache key is a hash of exactly what is installed.
 */
import { createHash } from "node:crypto";

export interface DepsPlan {
  /** sha-256 (hex) of what is installed: the cache directory's name. */
  key: string;
  /** The package.json written for the install. */
  packageJson: string;
  /** The lockfile written beside it (then `npm ci`), or null (`npm install`). */
  lockfile: string | null;
  /** Direct runtime dependencies (devDependencies are never installed for a preview). */
  packages: string[];
  /** Names in devDependencies, to explain an import of one. */
  devPackages: string[];
}

export type DepsPlanResult = { ok: true; plan: DepsPlan | null } | { ok: false; message: string };

const NAME = /^(?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/;
/** A semver range or a dist-tag (no ':' or '/': those are file:, git, URLs, user/repo shorthands), or an npm: alias. */
const RANGE = /^[A-Za-z0-9.*^~<>=|x\s+-]*$/;
const DEPENDENCY_FIELDS = ["dependencies", "devDependencies", "optionalDependencies", "peerDependencies"] as const;
/** Registries whose tarball addresses a lockfile may carry (stripped either way). */
const KNOWN_REGISTRY_HOSTS = new Set(["registry.npmjs.org", "registry.yarnpkg.com"]);

function validSpec(spec: unknown): boolean {
  if (typeof spec !== "string" || spec.length > 200) return false;
  if (spec.startsWith("npm:")) {
    const at = spec.lastIndexOf("@");
    const name = at > 4 ? spec.slice(4, at) : spec.slice(4);
    return NAME.test(name) && (at <= 4 || RANGE.test(spec.slice(at + 1)));
  }
  return RANGE.test(spec);
}

function record(value: unknown): Record<string, unknown> | null {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

/** The install of a project's package.json (+ lockfile), or why it cannot be installed; null: nothing to install. */
export function planDependencies(files: {
  packageJson: string | null;
  lockfile: string | null;
  registry: string | undefined;
}): DepsPlanResult {
  if (files.packageJson === null) return { ok: true, plan: null };
  let parsed: Record<string, unknown> | null;
  try {
    parsed = record(JSON.parse(files.packageJson));
  } catch {
    return { ok: false, message: "package.json is not valid JSON, so its dependencies cannot be installed." };
  }
  if (!parsed) return { ok: false, message: "package.json is not a JSON object." };
  const written: Record<string, unknown> = { name: "vaporform-preview-deps", version: "0.0.0", private: true };
  let lock = files.lockfile === null ? null : sanitizeLockfile(files.lockfile, files.registry);
  if (lock !== null && !lock.ok) return lock;
  for (const field of DEPENDENCY_FIELDS) {
    const deps = record(parsed[field]);
    if (!deps) continue;
    for (const [name, spec] of Object.entries(deps)) {
      if (!NAME.test(name)) return { ok: false, message: `package.json: "${name}" is not a valid npm package name.` };
      if (!validSpec(spec)) {
        return {
          ok: false,
          message:
            `package.json: ${field}["${name}"] is "${String(spec)}": previews install only packages from the npm ` +
            "registry (a version range, a tag or an npm: alias), never file:, link:, git or URL dependencies.",
        };
      }
    }
    // Without a lockfile only what the page loads is resolved; with one, npm ci wants package.json as it was.
    if (field === "dependencies" || lock !== null) written[field] = deps;
  }
  const packages = Object.keys(record(parsed.dependencies) ?? {});
  const devPackages = Object.keys(record(parsed.devDependencies) ?? {});
  if (packages.length === 0) return { ok: true, plan: null };
  if (lock?.ok && lock.text === null) lock = null;
  const packageJson = `${JSON.stringify(written, null, 2)}\n`;
  const lockfile = lock?.ok ? lock.text : null;
  const key = createHash("sha256")
    .update(JSON.stringify({ format: 1, packageJson, lockfile, registry: files.registry ?? null }))
    .digest("hex");
  return { ok: true, plan: { key, packageJson, lockfile, packages, devPackages } };
}

/**
 * The lockfile without download addresses (npm resolves each package by name and version on the configured
 * registry, and checks its integrity); refused when it links local folders or names a non-registry source. A
 * lockfile of version 1 (npm 6) is ignored: text null.
 */
function sanitizeLockfile(
  text: string,
  registry: string | undefined,
): { ok: true; text: string | null } | { ok: false; message: string } {
  let parsed: Record<string, unknown> | null;
  try {
    parsed = record(JSON.parse(text));
  } catch {
    return { ok: false, message: "package-lock.json is not valid JSON." };
  }
  const packages = record(parsed?.packages);
  if (!parsed || !packages || typeof parsed.lockfileVersion !== "number" || parsed.lockfileVersion < 2) {
    return { ok: true, text: null };
  }
  const hosts = new Set(KNOWN_REGISTRY_HOSTS);
  if (registry) hosts.add(new URL(registry).host);
  const cleaned: Record<string, unknown> = {};
  for (const [path, value] of Object.entries(packages)) {
    const entry = record(value);
    if (!entry) continue;
    if (path !== "" && (entry.link === true || !path.includes("node_modules/"))) {
      return {
        ok: false,
        message: `package-lock.json links ${path || "a workspace"}: previews install registry packages only.`,
      };
    }
    const { resolved, ...rest } = entry;
    if (typeof resolved === "string" && !registryTarball(resolved, hosts)) {
      return {
        ok: false,
        message: `package-lock.json fetches ${path} from ${resolved}: previews install packages from the npm registry only.`,
      };
    }
    cleaned[path] = rest;
  }
  const { dependencies: _legacyTree, ...top } = parsed;
  return { ok: true, text: `${JSON.stringify({ ...top, packages: cleaned }, null, 2)}\n` };
}

function registryTarball(resolved: string, hosts: Set<string>): boolean {
  try {
    const url = new URL(resolved);
    return (
      (url.protocol === "https:" || url.protocol === "http:") && hosts.has(url.host) && url.pathname.includes("/-/")
    );
  } catch {
    return false;
  }
}
