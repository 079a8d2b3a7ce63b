import { describe, expect, it } from "vitest";
import {
  compilePathFilter,
  exactMatcher,
  exactWholeWordRegex,
  toPostgresRegex,
  wordsMatcher,
} from "~/server/services/search/patterns";

/** Every match of a JavaScript matcher in `text`. */
function all(matcher: RegExp | null, text: string): string[] {
  return matcher ? [...text.matchAll(matcher)].map((found) => found[0]) : [];
}

describe("search pattern compilers (no database)", () => {
  it("words: highlights words and quoted phrases as whole words, leaving out -excluded terms and OR", () => {
    const matcher = wordsMatcher('user "save file" -draft or', false);
    expect(all(matcher, "User users save  file draft or")).toEqual(["User", "save  file"]);
    expect(all(wordsMatcher("User", true), "user User")).toEqual(["User"]);
    expect(wordsMatcher("-only", false)).toBeNull();
  });

  it("exact: takes regex characters literally, with editor-style whole words when asked", () => {
    expect(all(exactMatcher("a.b(", false, false), "axb( a.b( A.B(")).toEqual(["a.b(", "A.B("]);
    expect(all(exactMatcher("get", true, true), "get getter _get get_x Get")).toEqual(["get"]);
    expect(all(exactMatcher("-x", false, true), "a-x -xy")).toEqual(["-x"]);
    expect(exactWholeWordRegex("a.b")).toBe("(?n)\\ya\\.b\\y");
    expect(exactWholeWordRegex("(x")).toBe("(?n)\\(x\\y");
  });

  it("regex: translates JavaScript spellings to a newline-sensitive PostgreSQL ARE", () => {
    expect(toPostgresRegex("\\bfoo\\B", false)).toBe("(?n)\\yfoo\\Y");
    expect(toPostgresRegex("(?<name>a)[\\b]", false)).toBe("(?n)(a)[\\b]");
    expect(toPostgresRegex("[]a]|b", true)).toBe("(?n)\\y(?:[]a]|b)\\y");
    expect(toPostgresRegex("(?<=a)b", false)).toBe("(?n)(?<=a)b");
  });

  it("regex: refuses pathological patterns (nested quantifiers, back-references) and unfinished group names", () => {
    expect(() => toPostgresRegex("(a+)+", false)).toThrow(/repeats a repeated group/);
    expect(() => toPostgresRegex("(x*){2,}", false)).toThrow(/repeats a repeated group/);
    expect(() => toPostgresRegex("(a)\\1", false)).toThrow(/refers back to a group/);
    expect(() => toPostgresRegex("(?<n>a)\\k<n>", false)).toThrow(/refers back to a group/);
    expect(() => toPostgresRegex("(?<name", false)).toThrow(/unfinished group name/);
    expect(toPostgresRegex("[\\1]", false)).toBe("(?n)[\\1]");
  });

  it("globs: anchored globs, names in any folder, braces, exclusions and plain substrings", () => {
    const filter = compilePathFilter("src/**/*.ts, *.{md,txt}, !**/*.test.ts, lib, ./docs");
    expect(filter.include).toBe("^src/(?:.*/)?[^/]*\\.ts$|(?:^|/)[^/]*\\.(?:md|txt)$");
    expect(filter.exclude).toBe("^(?:.*/)?[^/]*\\.test\\.ts$");
    expect(filter.substrings).toBe("lib|docs");
    const include = new RegExp(filter.include!);
    expect(["src/a.ts", "src/x/y/b.ts", "README.md", "docs/notes.txt"].every((path) => include.test(path))).toBe(true);
    expect(["src/a.tsx", "lib/a.ts", "a.md.bak"].some((path) => include.test(path))).toBe(false);
    expect(compilePathFilter("a?c, !.git")).toEqual({ include: "(?:^|/)a[^/]c$", substrings: null, exclude: "\\.git" });
    expect(compilePathFilter(undefined)).toEqual({ include: null, substrings: null, exclude: null });
    expect(compilePathFilter(" , ")).toEqual({ include: null, substrings: null, exclude: null });
  });
});
