/**
 * `npm run bench:bundle`: the IDE route's first-load JavaScript, gzip, read from the build output (building first
 * when the build is missing or stale), against the home page's in the same build. Target (DESIGN.md section 5):
 * the IDE's first load without Monaco under 300 kB gzip; Monaco must not be in it (it loads lazily).
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { buildIsStale, recordBuild } from "../scripts/build-state";
import { verdict } from "./support";

const TARGET_BYTES = 300 * 1024;
const IDE_ROUTE = "/projects/[projectId]";
/** Strings only Monaco's code contains: if a first-load chunk has one, Monaco is not lazy. */
const MONACO_MARKERS = ["MonacoEnvironment", "monaco-editor", "vs/editor/editor.api"];

interface RouteStats {
  route: string;
  firstLoadChunkPaths: string[];
}

function gzipSize(file: string): number {
  return gzipSync(fs.readFileSync(file), { level: 9 }).length;
}

function main() {
  if (buildIsStale()) {
    console.log("Building first (the build is missing or stale)…");
    const result = spawnSync("node_modules/.bin/next", ["build"], {
      stdio: "inherit",
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
    });
    if (result.status !== 0) process.exit(result.status ?? 1);
    recordBuild();
  }
  const stats = JSON.parse(fs.readFileSync(".next/diagnostics/route-bundle-stats.json", "utf8")) as RouteStats[];
  const measure = (route: string) => {
    const entry = stats.find((candidate) => candidate.route === route);
    if (!entry) throw new Error(`No bundle stats for ${route}`);
    const chunks = entry.firstLoadChunkPaths.filter((chunk) => chunk.endsWith(".js"));
    const monaco = chunks.filter((chunk) => {
      const text = fs.readFileSync(chunk, "utf8");
      return MONACO_MARKERS.some((marker) => text.includes(marker));
    });
    return { chunks, gzip: chunks.reduce((sum, chunk) => sum + gzipSize(chunk), 0), monaco };
  };

  const ide = measure(IDE_ROUTE);
  const home = measure("/");
  const lazyMonaco = fs
    .readdirSync(".next/static/chunks")
    .filter((name) => name.endsWith(".js"))
    .map((name) => path.join(".next/static/chunks", name))
    .filter(
      (chunk) =>
        MONACO_MARKERS.some((marker) => fs.readFileSync(chunk, "utf8").includes(marker)) && !ide.chunks.includes(chunk),
    )
    .reduce((sum, chunk) => sum + gzipSize(chunk), 0);

  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;
  console.log(`home page first load:        ${kb(home.gzip)} gzip (${home.chunks.length} chunks)`);
  console.log(`IDE route first load:        ${kb(ide.gzip)} gzip (${ide.chunks.length} chunks)`);
  console.log(`Monaco, loaded lazily:       ${kb(lazyMonaco)} gzip (not in the first load)`);
  console.log(`IDE / home page:             ${(ide.gzip / home.gzip).toFixed(2)}x`);
  console.log(
    `Monaco in the IDE's first load: ${ide.monaco.length === 0 ? "no" : `YES (${ide.monaco.join(", ")})`}  ${verdict(ide.monaco.length === 0)}`,
  );
  console.log(`IDE first load: ${kb(ide.gzip)}  target < ${kb(TARGET_BYTES)}  ${verdict(ide.gzip < TARGET_BYTES)}`);
}

main();
