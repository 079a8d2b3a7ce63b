/**
 * The baseline of `npm run bench:search`: ripgrep, the tool people search code with, over the same files written
 * to disk and read once (page-cached), the same queries and the same repetitions, each run timed from spawn to
 * exit (its output read through a pipe, as an editor would).
 *
 * The flags closest to each mode of search.query:
 * - words (all the terms in a file, whole words, any case, "quoted" phrases): `rg -i -w -F -e term…`, which finds
 *   lines with any of the terms; ripgrep has no "every term somewhere in the file" mode, so it may list more.
 * - exact: `rg -F` (with `-i` unless case-sensitive, `-w` for whole word).
 * - regex: `rg -e` (line by line, as our newline-sensitive regexes; `-i` unless case-sensitive).
 * A path filter becomes a `-g` glob. Unlike search.query, ripgrep does not stop at 50 files.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export interface BenchQuery {
  query: string;
  caseSensitive?: boolean;
  wholeWord?: boolean;
  pathFilter?: string;
}

/** ripgrep on PATH, installed from Debian's `ripgrep` package when missing (as .ci/run installs chromium). */
export function ensureRipgrep(): string {
  const found = spawnSync("rg", ["--version"], { encoding: "utf8" });
  if (found.status === 0) return found.stdout.split("\n")[0] ?? "ripgrep";
  console.log("ripgrep missing: installing Debian's ripgrep");
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  for (const args of [
    ["update", "-qq"],
    ["install", "-y", "-qq", "ripgrep"],
  ]) {
    const result = spawnSync("apt-get", args, { stdio: ["ignore", "ignore", "inherit"], env });
    if (result.status !== 0) throw new Error(`apt-get ${args.join(" ")} failed: install ripgrep (rg) and run again`);
  }
  return spawnSync("rg", ["--version"], { encoding: "utf8" }).stdout.split("\n")[0] ?? "ripgrep";
}

/** Writes the files under a new temporary folder and reads each back once, so ripgrep reads from the page cache. */
export function writeTree(files: { path: string; content: string }[]): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "vf-bench-rg-"));
  for (const file of files) {
    const full = path.join(root, file.path);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, file.content);
  }
  for (const file of files) fs.readFileSync(path.join(root, file.path));
  return root;
}

/** The ripgrep arguments closest to one search.query call (see the comment at the top). */
export function ripgrepArgs(mode: "words" | "exact" | "regex", query: BenchQuery): string[] {
  const args = ["--line-number", "--no-heading", "--color", "never"];
  if (!query.caseSensitive) args.push("-i");
  if (query.pathFilter) args.push("-g", query.pathFilter);
  if (mode === "words") {
    // websearch syntax: "quoted phrases" and bare words.
    const terms = [...query.query.matchAll(/"([^"]+)"|(\S+)/g)].map((match) => match[1] ?? match[2] ?? "");
    args.push("-w", "-F", ...terms.flatMap((term) => ["-e", term]));
  } else if (mode === "exact") {
    if (query.wholeWord) args.push("-w");
    args.push("-F", "-e", query.query);
  } else {
    if (query.wholeWord) args.push("-w");
    args.push("-e", query.query);
  }
  return args;
}

/** Runs ripgrep once per query as a warm-up, then `repeats` times: the wall times and the files found. */
export function measureRipgrep(
  root: string,
  mode: "words" | "exact" | "regex",
  queries: BenchQuery[],
  repeats: number,
) {
  const times: number[] = [];
  let files = 0;
  for (const query of queries) {
    const args = [...ripgrepArgs(mode, query), "."];
    const run = () => {
      const result = spawnSync("rg", args, { cwd: root, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
      // 1 is "nothing found"; 2 is an error (a bad pattern, say), which would make the comparison meaningless.
      if (result.status !== 0 && result.status !== 1) throw new Error(`rg ${args.join(" ")}: ${result.stderr}`);
      return result.stdout;
    };
    run();
    for (let repeat = 0; repeat < repeats; repeat++) {
      const started = performance.now();
      const output = run();
      times.push(performance.now() - started);
      if (repeat === 0)
        files += new Set(
          output
            .split("\n")
            .filter(Boolean)
            .map((line) => line.split(":")[0]),
        ).size;
    }
  }
  return { times, files };
}
