/**
 * The bundles of a preview host, so a request of a TypeScript/JSX module does not run esbuild each time (a preview
 * port needs no sign-in: anyone reaching it could otherwise make the server build without limit). An entry is keyed
 * by (project, module, dependency set, the project's file state): the file state is one cheap query, an md5 over
 * every file's (path, content hash, version), so any saved edit, new, renamed or deleted file makes the next request
 * build again. One build at a time per key (concurrent requests share its promise), at most
 * `MAX_CONCURRENT_BUILDS` builds in the process, and the cache is bounded by entries and bytes (least recently
 * used out first).
 */
import type pg from "pg";
import type { BundleResult } from "./bundle";
import { createLimiter } from "./limiter";

export const MAX_CONCURRENT_BUILDS = 2;
export const BUNDLE_CACHE_MAX_ENTRIES = 64;
export const BUNDLE_CACHE_MAX_BYTES = 64 * 1024 * 1024;

/** Every host's builds share the process's cap. */
const builds = createLimiter(MAX_CONCURRENT_BUILDS);

export interface BundleCache {
  /** The bundle of `key` (see `bundleKey`), built by `build` only when no entry (or running build) has it. */
  get(key: string, build: () => Promise<BundleResult>): Promise<BundleResult>;
  /** Drops a project's entries (its preview stopped). */
  forget(projectId: string): void;
  /** esbuild runs so far through this cache (tests count them). */
  readonly builds: number;
}

/** The state of every file of a project, in one value: changes with any edit, creation, rename or deletion. */
export async function projectFileState(pool: pg.Pool, projectId: string): Promise<string> {
  const { rows } = await pool.query<{ state: string | null }>(
    `SELECT count(*) || ':' || coalesce(md5(string_agg(file_path || ':' || coalesce(content_hash, '') || ':' || version,
                                                       '/' ORDER BY file_path)), '') AS state
       FROM project_files WHERE project_id = $1`,
    [projectId],
  );
  return rows[0]?.state ?? "";
}

export function bundleKey(parts: { projectId: string; modulePath: string; depsKey: string; fileState: string }) {
  return JSON.stringify([parts.projectId, parts.modulePath, parts.depsKey, parts.fileState]);
}

export function createBundleCache(options: { maxEntries?: number; maxBytes?: number } = {}): BundleCache {
  const maxEntries = options.maxEntries ?? BUNDLE_CACHE_MAX_ENTRIES;
  const maxBytes = options.maxBytes ?? BUNDLE_CACHE_MAX_BYTES;
  /** Insertion order is recency: a hit is moved to the end. */
  const entries = new Map<string, { result: BundleResult; bytes: number }>();
  const pending = new Map<string, Promise<BundleResult>>();
  let bytes = 0;
  let count = 0;

  const projectOf = (key: string) => (JSON.parse(key) as string[])[0];
  const drop = (key: string) => {
    const entry = entries.get(key);
    if (!entry) return;
    entries.delete(key);
    bytes -= entry.bytes;
  };
  const store = (key: string, result: BundleResult) => {
    const size = result.ok ? Buffer.byteLength(result.code) : JSON.stringify(result.errors).length;
    if (size > maxBytes) return;
    // An older state of the same module is never asked for again.
    const [projectId, modulePath] = JSON.parse(key) as string[];
    for (const known of [...entries.keys()]) {
      const [p, m] = JSON.parse(known) as string[];
      if (p === projectId && m === modulePath) drop(known);
    }
    entries.set(key, { result, bytes: size });
    bytes += size;
    for (const oldest of entries.keys()) {
      if (entries.size <= maxEntries && bytes <= maxBytes) break;
      drop(oldest);
    }
  };

  return {
    get(key, build) {
      const hit = entries.get(key);
      if (hit) {
        entries.delete(key);
        entries.set(key, hit);
        return Promise.resolve(hit.result);
      }
      const running = pending.get(key);
      if (running) return running;
      const promise = builds
        .run(() => {
          count += 1;
          return build();
        })
        .then((result) => {
          if (pending.get(key) === promise) store(key, result);
          return result;
        })
        .finally(() => {
          if (pending.get(key) === promise) pending.delete(key);
        });
      pending.set(key, promise);
      return promise;
    },
    forget(projectId) {
      for (const key of [...entries.keys()]) if (projectOf(key) === projectId) drop(key);
      for (const key of [...pending.keys()]) if (projectOf(key) === projectId) pending.delete(key);
    },
    get builds() {
      return count;
    },
  };
}
