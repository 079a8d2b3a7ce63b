/**
 * The three-way merge of a template upgrade, pure: base (the files of the template version the project came
 * from), theirs (the files of the newer version) and ours (the project's files now). Only what the template
 * changed between base and theirs is carried over; what the user changed alone stays theirs to keep. Text files
 * are merged line by line with node-diff3 (the diff3 of GNU diffutils); binary files never are.
 */
import { diff3Merge } from "node-diff3";
import { MARKER_OURS, MARKER_SPLIT, theirsMarker } from "~/lib/merge-markers";

/** One file's content: text, or base64 when `isBinary`. */
export interface MergeFile {
  content: string;
  isBinary: boolean;
}

export type FileSet = ReadonlyMap<string, MergeFile>;

export type MergeChange = "add" | "modify" | "delete";

export interface MergeEntry {
  path: string;
  /** What the template did to the path between base and theirs. */
  change: MergeChange;
  status: "clean" | "conflict";
  base: MergeFile | null;
  theirs: MergeFile | null;
  ours: MergeFile | null;
  /**
   * Clean: the file to write (`null`: delete it). Conflict: a proposal to start resolving from (text with
   * conflict markers where the two sides collide; ours, or theirs when ours is gone, for the others).
   */
  merged: MergeFile | null;
}

export interface MergeOptions {
  /** The new version, named in the template side's conflict marker. */
  theirsVersion: string;
  /** Who "theirs" is in that marker (default "template"; a git pull says "remote"). */
  theirsLabel?: string;
  /**
   * What is left of the line-merge work one upgrade may do (see `lineMergeCost`), spent by every text merged; past
   * it, a file changed on both sides is one collision instead. Omitted: MERGE_REQUEST_BUDGET for this call.
   */
  budget?: { left: number };
}

/**
 * node-diff3's LCS (Hunt-McIlroy) is synchronous and far from linear: about (lines + matching line pairs) x the
 * common length per diff, so a 20,000-line file takes a second, and 2,000 repeated lines (`},`, blank lines) take
 * fourteen, all on the server's one thread. A file whose estimate passes MERGE_FILE_BUDGET, or once an upgrade has
 * spent MERGE_REQUEST_BUDGET, is not merged line by line: what differs (its lines between the common start and
 * end) becomes one collision, for the user to resolve or to take a side whole. Calibrated here: 1e8 ~ 0.15 s.
 */
export const MERGE_FILE_BUDGET = 5e8;
export const MERGE_REQUEST_BUDGET = 2e9;

function same(a: MergeFile | null, b: MergeFile | null): boolean {
  if (a === null || b === null) return a === b;
  return a.content === b.content && a.isBinary === b.isBinary;
}

/**
 * The files the upgrade would change, sorted by path: a clean entry whose result differs from ours, or a
 * conflict. Paths the template did not change are left alone, and so is a change the project already has.
 */
export function mergeFileSets(base: FileSet, theirs: FileSet, ours: FileSet, options: MergeOptions): MergeEntry[] {
  const paths = [...new Set([...base.keys(), ...theirs.keys()])].sort();
  const entries: MergeEntry[] = [];
  const shared = { ...options, budget: options.budget ?? { left: MERGE_REQUEST_BUDGET } };
  for (const path of paths) {
    const entry = mergeOne(path, base.get(path) ?? null, theirs.get(path) ?? null, ours.get(path) ?? null, shared);
    if (entry) entries.push(entry);
  }
  return entries;
}

function mergeOne(
  path: string,
  base: MergeFile | null,
  theirs: MergeFile | null,
  ours: MergeFile | null,
  options: MergeOptions,
): MergeEntry | null {
  if (same(base, theirs)) return null;
  // Already what the template now has (the same change made by hand, or a file the user deleted too).
  if (same(ours, theirs)) return null;
  const entry = (change: MergeChange, status: MergeEntry["status"], merged: MergeFile | null): MergeEntry => ({
    path,
    change,
    status,
    base,
    theirs,
    ours,
    merged,
  });

  if (base === null) {
    // Added by the template: a different file of the user's at that path collides with it (add/add).
    if (ours === null) return entry("add", "clean", theirs);
    return entry("add", "conflict", proposal(null, ours, theirs!, options));
  }
  if (theirs === null) {
    // Deleted by the template: only a file the user left as it was goes with it.
    if (same(ours, base)) return entry("delete", "clean", null);
    return entry("delete", "conflict", ours);
  }
  if (same(ours, base)) return entry("modify", "clean", theirs);
  // Changed by the template, deleted by the user: which one wins is theirs to say.
  if (ours === null) return entry("modify", "conflict", theirs);
  if (base.isBinary || theirs.isBinary || ours.isBinary) return entry("modify", "conflict", ours);
  const merged = mergeText(base.content, ours.content, theirs.content, options);
  return entry("modify", merged.conflict ? "conflict" : "clean", { content: merged.text, isBinary: false });
}

/** Add/add: both texts in one pair of markers (or ours alone for binary, which cannot hold markers). */
function proposal(base: MergeFile | null, ours: MergeFile, theirs: MergeFile, options: MergeOptions): MergeFile {
  if (ours.isBinary || theirs.isBinary) return ours;
  const merged = mergeText(base?.content ?? "", ours.content, theirs.content, options);
  return { content: merged.text, isBinary: false };
}

interface SplitText {
  lines: string[];
  /** The dominant line break ("\r\n" or "\n"), or null for a text without any. */
  eol: "\r\n" | "\n" | null;
  trailingNewline: boolean;
}

/**
 * Lines without their breaks, so a file whose line breaks were converted (CRLF <-> LF) still merges line by
 * line, and whether the last line has a break, so "no newline at end of file" is kept or taken like a change.
 */
function splitText(text: string): SplitText {
  if (text === "") return { lines: [], eol: null, trailingNewline: false };
  const crlf = text.match(/\r\n/g)?.length ?? 0;
  const lf = (text.match(/\n/g)?.length ?? 0) - crlf;
  const eol = crlf + lf === 0 ? null : crlf > lf ? "\r\n" : "\n";
  const trailingNewline = text.endsWith("\n");
  const body = trailingNewline ? text.slice(0, text.endsWith("\r\n") ? -2 : -1) : text;
  return { lines: body.split(/\r?\n/), eol, trailingNewline };
}

/** Three-way choice of an attribute: the user's when they changed it, else the template's. */
function pick<T>(base: T, ours: T, theirs: T): T {
  return ours !== base ? ours : theirs;
}

/**
 * A line-based diff3 merge of `ours` and `theirs` from `base`. A collision becomes a block between conflict markers
 * (ours first, as in git), and `conflict` says there was one. Line breaks and the final newline follow whichever
 * side changed them (the user's when both did).
 */
export function mergeText(
  base: string,
  ours: string,
  theirs: string,
  options: MergeOptions,
): { text: string; conflict: boolean } {
  const o = splitText(base);
  const a = splitText(ours);
  const b = splitText(theirs);
  // The lines all three share at the start and at the end need no diff (and cost the LCS the most).
  const shortest = Math.min(o.lines.length, a.lines.length, b.lines.length);
  let head = 0;
  while (head < shortest && o.lines[head] === a.lines[head] && o.lines[head] === b.lines[head]) head += 1;
  let tail = 0;
  const at = (lines: string[]) => lines[lines.length - 1 - tail];
  while (tail < shortest - head && at(o.lines) === at(a.lines) && at(o.lines) === at(b.lines)) tail += 1;
  const middle = (lines: string[]) => lines.slice(head, lines.length - tail);
  const [mo, ma, mb] = [middle(o.lines), middle(a.lines), middle(b.lines)];

  // One side's lines unchanged (its line breaks alone converted) or both the same: the other side's, no diff.
  const budget = options.budget ?? { left: MERGE_REQUEST_BUDGET };
  const taken = sameLines(ma, mo) || sameLines(ma, mb) ? mb : sameLines(mb, mo) ? ma : null;
  const cost = taken ? 0 : lineMergeCost(mo, ma) + lineMergeCost(mo, mb);
  const affordable = cost <= MERGE_FILE_BUDGET && cost <= budget.left;
  if (affordable) budget.left -= cost;
  const regions = taken
    ? [{ ok: taken }]
    : affordable
      ? diff3Merge(ma, mo, mb, { excludeFalseConflicts: true })
      : [{ conflict: { a: ma, o: mo, b: mb, aIndex: 0, oIndex: 0, bIndex: 0 } }];
  const lines: string[] = o.lines.slice(0, head);
  let conflict = false;
  for (const region of regions) {
    if (region.ok) lines.push(...region.ok);
    else if (region.conflict) {
      conflict = true;
      lines.push(
        MARKER_OURS,
        ...region.conflict.a,
        MARKER_SPLIT,
        ...region.conflict.b,
        theirsMarker(options.theirsVersion, options.theirsLabel),
      );
    }
  }
  lines.push(...o.lines.slice(o.lines.length - tail));
  // A side without any line break says nothing about them; without a base to compare with, the user's win.
  const eol = (a.eol === null ? b.eol : b.eol === null || o.eol === null ? a.eol : pick(o.eol, a.eol, b.eol)) ?? "\n";
  // A conflict block always ends in its marker's line break, so the file stays well formed for an editor.
  const trailingNewline =
    conflict && lines.at(-1)?.startsWith(">>>>>>>")
      ? true
      : pick(o.trailingNewline, a.trailingNewline, b.trailingNewline);
  const text = lines.length === 0 ? "" : lines.join(eol) + (trailingNewline ? eol : "");
  return { text, conflict };
}

function sameLines(x: readonly string[], y: readonly string[]): boolean {
  return x.length === y.length && x.every((line, i) => line === y[i]);
}

/**
 * An estimate of node-diff3's work to diff `x` against `y`: every line of `x` walks its matches in `y` and the
 * candidate chain, as long as the common subsequence.
 */
export function lineMergeCost(x: readonly string[], y: readonly string[]): number {
  if (x.length === 0 || y.length === 0) return x.length + y.length;
  const counts = new Map<string, number>();
  for (const line of y) counts.set(line, (counts.get(line) ?? 0) + 1);
  let matches = 0;
  for (const line of x) matches += counts.get(line) ?? 0;
  return (x.length + matches) * Math.min(x.length, y.length);
}
