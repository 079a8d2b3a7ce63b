import { describe, expect, it } from "vitest";
import { isValidBranchName, ZGitBranch } from "~/lib/git/branch";
import { ZGitImportInput } from "~/lib/git/schemas";
import { ZRepositoryBranch } from "~/lib/schemas/project";

const VALID = ["main", "feature/x", "release-1.2", "a/b/c", "fix_123", "v1.0", "ünïcödé", "a.b", "@x", "x@y", "a{b}"];
const INVALID = [
  "..",
  "a..b",
  "a/..",
  "@",
  "HEAD",
  "a@{b",
  "@{",
  "x.lock",
  "a/b.lock",
  "a.lock/b",
  "/a",
  "a/",
  "a//b",
  "a.",
  ".a",
  "a/.hidden",
  "-a",
  "a b",
  "a\tb",
  "a\nb",
  "a\u0000b",
  "a\u001fb",
  "a\u007fb",
  "a~b",
  "a^b",
  "a:b",
  "a?b",
  "a*b",
  "a[b",
  "a\\b",
];

describe("branch names", () => {
  it.each(VALID)("accepts %j", (name) => {
    expect(isValidBranchName(name)).toBe(true);
    expect(ZGitBranch.safeParse(name).success).toBe(true);
  });

  it.each(INVALID)("refuses %j", (name) => {
    expect(isValidBranchName(name)).toBe(false);
    expect(ZGitBranch.safeParse(name).success).toBe(false);
  });

  it("is one rule: the import's schema and the project settings' answer alike", () => {
    expect(ZRepositoryBranch).toBe(ZGitBranch);
    for (const name of [...VALID, ...INVALID]) {
      const imported = ZGitImportInput.safeParse({ url: "https://example.com/r.git", name: "P", branch: name });
      expect(imported.success, name).toBe(isValidBranchName(name));
    }
    expect(ZGitBranch.safeParse("  main  ").data).toBe("main");
  });
});
