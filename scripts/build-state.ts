import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

/** What `next build` reads: when any of it changes, the build is stale. */
const INPUTS = [
  "src",
  "public",
  "next.config.mjs",
  "postcss.config.mjs",
  "tsconfig.json",
  "package-lock.json",
  "prisma/schema.prisma",
];
const STAMP = ".next/vaporform-build.json";

function* files(entry: string): Generator<string> {
  if (!fs.existsSync(entry)) return;
  const stat = fs.statSync(entry);
  if (stat.isFile()) {
    yield entry;
    return;
  }
  for (const child of fs.readdirSync(entry).sort()) {
    if (child === "generated" || child.endsWith(".test.ts")) continue;
    yield* files(path.join(entry, child));
  }
}

/** A hash of every build input's path and content. */
export function sourceHash(root = process.cwd()): string {
  const hash = createHash("sha256");
  for (const input of INPUTS) {
    for (const file of files(path.join(root, input))) {
      hash.update(path.relative(root, file)).update("\0").update(fs.readFileSync(file)).update("\0");
    }
  }
  return hash.digest("hex");
}

/** True when there is no production build, or it was made from other sources than these. */
export function buildIsStale(root = process.cwd()): boolean {
  const stamp = path.join(root, STAMP);
  if (!fs.existsSync(path.join(root, ".next/BUILD_ID")) || !fs.existsSync(stamp)) return true;
  const recorded = JSON.parse(fs.readFileSync(stamp, "utf8")) as { hash?: string };
  return recorded.hash !== sourceHash(root);
}

export function recordBuild(root = process.cwd()) {
  fs.writeFileSync(
    path.join(root, STAMP),
    JSON.stringify({ hash: sourceHash(root), builtAt: new Date().toISOString() }),
  );
}
