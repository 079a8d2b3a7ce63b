import { describe, expect, it } from "vitest";
import { hasConflictMarkers } from "~/lib/merge-markers";
import { mergeFileSets, mergeText, type MergeFile } from "~/server/services/templates/merge";

const options = { theirsVersion: "1.1.0" };
const text = (content: string): MergeFile => ({ content, isBinary: false });
const binary = (bytes: number[]): MergeFile => ({ content: Buffer.from(bytes).toString("base64"), isBinary: true });
const set = (files: Record<string, MergeFile>) => new Map(Object.entries(files));

/** The one entry of merging a single path (or undefined when the merge leaves it alone). */
function mergePath(base: MergeFile | null, theirs: MergeFile | null, ours: MergeFile | null) {
  const only = (file: MergeFile | null) => set(file ? { "f.txt": file } : {});
  const entries = mergeFileSets(only(base), only(theirs), only(ours), options);
  expect(entries.length).toBeLessThanOrEqual(1);
  return entries[0];
}

const BASE = "one\ntwo\nthree\nfour\nfive\n";

describe("three-way merge of a template upgrade, per path", () => {
  it("adds a file the template added, and leaves paths the template did not change alone", () => {
    const entries = mergeFileSets(
      set({ "keep.txt": text("same\n") }),
      set({ "keep.txt": text("same\n"), "new.txt": text("hello\n") }),
      set({ "keep.txt": text("edited by the user\n"), "mine.txt": text("only mine\n") }),
      options,
    );
    expect(entries).toEqual([
      {
        path: "new.txt",
        change: "add",
        status: "clean",
        base: null,
        theirs: text("hello\n"),
        ours: null,
        merged: text("hello\n"),
      },
    ]);
  });

  it("an added file colliding with a different file of the user's is a conflict with both sides in markers", () => {
    const entry = mergePath(null, text("theirs\n"), text("mine\n"));
    expect(entry).toMatchObject({ change: "add", status: "conflict", ours: text("mine\n"), theirs: text("theirs\n") });
    expect(entry!.merged!.content).toBe("<<<<<<< yours\nmine\n=======\ntheirs\n>>>>>>> template 1.1.0\n");
  });

  it("an added file the user already has, identical, changes nothing", () => {
    expect(mergePath(null, text("same\n"), text("same\n"))).toBeUndefined();
  });

  it("deletes a file the template deleted when the user left it as it was", () => {
    expect(mergePath(text(BASE), null, text(BASE))).toMatchObject({ change: "delete", status: "clean", merged: null });
  });

  it("a deleted file the user changed is a conflict proposing to keep theirs", () => {
    const ours = text(BASE + "six\n");
    expect(mergePath(text(BASE), null, ours)).toMatchObject({ change: "delete", status: "conflict", merged: ours });
  });

  it("a deleted file the user deleted too changes nothing", () => {
    expect(mergePath(text(BASE), null, null)).toBeUndefined();
  });

  it("takes the template's change of a file the user did not touch", () => {
    const theirs = text(BASE.replace("two", "TWO"));
    expect(mergePath(text(BASE), theirs, text(BASE))).toMatchObject({
      change: "modify",
      status: "clean",
      merged: theirs,
    });
  });

  it("a change the user already made by hand changes nothing", () => {
    const theirs = text(BASE.replace("two", "TWO"));
    expect(mergePath(text(BASE), theirs, theirs)).toBeUndefined();
  });

  it("a changed file the user deleted is a conflict proposing the template's", () => {
    const theirs = text(BASE.replace("two", "TWO"));
    expect(mergePath(text(BASE), theirs, null)).toMatchObject({ change: "modify", status: "conflict", merged: theirs });
  });

  it("merges changes to different lines cleanly", () => {
    const entry = mergePath(text(BASE), text(BASE.replace("two", "TWO")), text(BASE.replace("five", "FIVE")));
    expect(entry).toMatchObject({ change: "modify", status: "clean" });
    expect(entry!.merged).toEqual(text("one\nTWO\nthree\nfour\nFIVE\n"));
  });

  it("the same change on both sides within other changes is no collision", () => {
    const entry = mergePath(
      text(BASE),
      text("one\nTWO\nthree\nfour\nfive\nsix\n"),
      text("zero\none\nTWO\nthree\nfour\nfive\n"),
    );
    expect(entry).toMatchObject({ status: "clean", merged: text("zero\none\nTWO\nthree\nfour\nfive\nsix\n") });
  });

  it("changes to the same line collide: a conflict whose proposal has markers around both sides", () => {
    const entry = mergePath(text(BASE), text(BASE.replace("three", "THREE")), text(BASE.replace("three", "3")));
    expect(entry).toMatchObject({ change: "modify", status: "conflict" });
    expect(entry!.merged!.content).toBe(
      "one\ntwo\n<<<<<<< yours\n3\n=======\nTHREE\n>>>>>>> template 1.1.0\nfour\nfive\n",
    );
    expect(hasConflictMarkers(entry!.merged!.content)).toBe(true);
    expect(entry!.base).toEqual(text(BASE));
  });

  it("binary files never line-merge: both changed is a conflict proposing the user's", () => {
    const ours = binary([9, 9]);
    expect(mergePath(binary([1, 2]), binary([3, 4]), ours)).toMatchObject({
      change: "modify",
      status: "conflict",
      merged: ours,
    });
    expect(mergePath(binary([1, 2]), binary([3, 4]), binary([1, 2]))).toMatchObject({
      status: "clean",
      merged: binary([3, 4]),
    });
    // Added on both sides, differently: no markers inside bytes.
    expect(mergePath(null, binary([3]), binary([4]))).toMatchObject({ status: "conflict", merged: binary([4]) });
    // A text that became binary in the template while the user edited it.
    expect(mergePath(text(BASE), binary([1]), text(BASE + "x\n"))).toMatchObject({ status: "conflict" });
  });
});

describe("line merge: line breaks and the final newline", () => {
  it("merges a CRLF file line by line and keeps CRLF", () => {
    const crlf = (s: string) => s.replaceAll("\n", "\r\n");
    const merged = mergeText(crlf(BASE), crlf(BASE.replace("five", "FIVE")), crlf(BASE.replace("two", "TWO")), options);
    expect(merged).toEqual({ text: crlf("one\nTWO\nthree\nfour\nFIVE\n"), conflict: false });
  });

  it("a project converted to CRLF still merges the template's LF change, and keeps the user's CRLF", () => {
    const merged = mergeText(BASE, BASE.replaceAll("\n", "\r\n"), BASE.replace("two", "TWO"), options);
    expect(merged).toEqual({ text: "one\r\nTWO\r\nthree\r\nfour\r\nfive\r\n", conflict: false });
  });

  it("conflict markers follow the file's line breaks", () => {
    const crlf = (s: string) => s.replaceAll("\n", "\r\n");
    const merged = mergeText(crlf(BASE), crlf(BASE.replace("one", "1")), crlf(BASE.replace("one", "ONE")), options);
    expect(merged.conflict).toBe(true);
    expect(merged.text).toBe(crlf("<<<<<<< yours\n1\n=======\nONE\n>>>>>>> template 1.1.0\ntwo\nthree\nfour\nfive\n"));
  });

  it("keeps a missing final newline, and takes the side that changed it", () => {
    const noEol = BASE.slice(0, -1);
    expect(mergeText(noEol, noEol.replace("one", "ONE"), noEol.replace("five", "FIVE"), options)).toEqual({
      text: "ONE\ntwo\nthree\nfour\nFIVE",
      conflict: false,
    });
    // The template added the final newline; the user changed another line.
    expect(mergeText(noEol, noEol.replace("one", "ONE"), BASE, options).text).toBe("ONE\ntwo\nthree\nfour\nfive\n");
    // The user removed it; the template changed another line.
    expect(mergeText(BASE, noEol, BASE.replace("one", "ONE"), options).text).toBe("ONE\ntwo\nthree\nfour\nfive");
  });

  it("a collision on a last line without newline still ends in a marker line", () => {
    const merged = mergeText("a\nb", "a\nB", "a\nbb", options);
    expect(merged).toEqual({
      text: "a\n<<<<<<< yours\nB\n=======\nbb\n>>>>>>> template 1.1.0\n",
      conflict: true,
    });
  });

  it("handles empty texts", () => {
    expect(mergeText("", "", "new\n", options)).toEqual({ text: "new\n", conflict: false });
    expect(mergeText("old\n", "old\n", "", options)).toEqual({ text: "", conflict: false });
  });
});

describe("conflict markers", () => {
  it("are found at the start of a line only", () => {
    expect(hasConflictMarkers("a\n<<<<<<< yours\nb\n")).toBe(true);
    expect(hasConflictMarkers("a\r\n=======\r\nb")).toBe(true);
    expect(hasConflictMarkers("x >>>>>>> y\n// ======= banner\n")).toBe(false);
  });
});

describe("line merge: bounded work", () => {
  /** `count` lines of `}` (the lines that cost the LCS most) with `changes` applied at their line numbers. */
  const braces = (count: number, changes: Record<number, string> = {}) =>
    Array.from({ length: count }, (_, i) => changes[i] ?? "}").join("\n") + "\n";

  it("a file of thousands of repeated lines changed on both sides is one collision between the common start and end", () => {
    // node-diff3 alone spends minutes on this (2,000 such lines took 14 s), holding the server's one thread.
    const base = braces(20_000);
    const merged = mergeText(base, braces(20_000, { 100: "ours" }), braces(20_000, { 19_000: "theirs" }), options);
    expect(merged.conflict).toBe(true);
    const lines = merged.text.split("\n");
    expect(lines.slice(0, 100).every((line) => line === "}")).toBe(true);
    expect(lines[100]).toBe("<<<<<<< yours");
    expect(lines[101]).toBe("ours");
    expect(lines.filter((line) => line === "theirs")).toHaveLength(1);
    // The 999 lines after the template's change are common to all three: after the block, as they were.
    expect(lines.at(-1001)).toBe(">>>>>>> template 1.1.0");
    expect(lines.slice(-1000, -1).every((line) => line === "}")).toBe(true);
    expect(lines.at(-1)).toBe("");
  });

  it("still merges a large file whose one side only changed line breaks, without diffing it", () => {
    const base = braces(20_000);
    const merged = mergeText(base, base.replaceAll("\n", "\r\n"), braces(20_000, { 5: "theirs" }), options);
    expect(merged).toEqual({ text: braces(20_000, { 5: "theirs" }).replaceAll("\n", "\r\n"), conflict: false });
  });

  it("shares one budget across an upgrade's files: once it is spent, a file changed on both sides is a collision", () => {
    const ours = BASE.replace("one", "ONE");
    const theirs = BASE.replace("five", "FIVE");
    expect(mergeText(BASE, ours, theirs, { ...options, budget: { left: 1e6 } }).conflict).toBe(false);
    expect(mergeText(BASE, ours, theirs, { ...options, budget: { left: 1 } }).conflict).toBe(true);
    const budget = { left: 1e6 };
    const entries = mergeFileSets(
      set({ "a.txt": text(BASE), "b.txt": text(BASE) }),
      set({ "a.txt": text(theirs), "b.txt": text(theirs) }),
      set({ "a.txt": text(ours), "b.txt": text(ours) }),
      { ...options, budget },
    );
    expect(entries.map((entry) => entry.status)).toEqual(["clean", "clean"]);
    expect(budget.left).toBeLessThan(1e6);
    budget.left = 1;
    const spent = mergeFileSets(
      set({ "a.txt": text(BASE) }),
      set({ "a.txt": text(theirs) }),
      set({ "a.txt": text(ours) }),
      { ...options, budget },
    );
    expect(spent.map((entry) => entry.status)).toEqual(["conflict"]);
  });
});
