import { describe, expect, it } from "vitest";
import { buildFileTree, visibleNodes } from "~/lib/file-tree";
import { fuzzyFilter, fuzzyMatch } from "~/lib/fuzzy";

describe("quick-open fuzzy matching", () => {
  it("matches characters in order, case-insensitively, and refuses out-of-order ones", () => {
    expect(fuzzyMatch("apts", "src/app.tsx")?.positions).toHaveLength(4);
    expect(fuzzyMatch("APP", "src/app.tsx")).not.toBeNull();
    expect(fuzzyMatch("xz", "src/app.tsx")).toBeNull();
    expect(fuzzyMatch("sp", "ps")).toBeNull();
  });

  it("ranks file-name and word-start matches above scattered ones", () => {
    const ranked = fuzzyFilter("btn", ["src/about/this/notes.md", "src/components/button.tsx", "docs/b/t/n.txt"]).map(
      (m) => m.path,
    );
    expect(ranked[0]).toBe("src/components/button.tsx");
    const exact = fuzzyFilter("index", ["src/pages/index.ts", "src/i/n/d/e/x.ts"]).map((m) => m.path);
    expect(exact[0]).toBe("src/pages/index.ts");
  });

  it("returns everything for an empty query, up to the limit", () => {
    expect(fuzzyFilter("", ["a", "b", "c"], 2)).toHaveLength(2);
  });
});

describe("file tree", () => {
  const tree = buildFileTree([
    "src/z.ts",
    "README.md",
    "src/lib/a.ts",
    "src/app.tsx",
    "empty/.gitkeep",
    "src/file10.ts",
    "src/file2.ts",
  ]);

  it("puts folders first, sorts naturally and hides folder placeholders", () => {
    expect(tree.map((node) => node.name)).toEqual(["empty", "src", "README.md"]);
    const src = tree.find((node) => node.name === "src")!;
    expect(src.children.map((node) => node.name)).toEqual(["lib", "app.tsx", "file2.ts", "file10.ts", "z.ts"]);
    expect(tree.find((node) => node.name === "empty")!.children).toEqual([]);
  });

  it("lists what is visible given the open folders", () => {
    expect(visibleNodes(tree, new Set()).map(({ node }) => node.path)).toEqual(["empty", "src", "README.md"]);
    const open = visibleNodes(tree, new Set(["src", "src/lib"]));
    expect(open.map(({ node, depth }) => `${depth}:${node.path}`)).toContain("2:src/lib/a.ts");
  });
});
