import { describe, expect, it } from "vitest";
import { defaultCommitMessage, operationProgress, projectNameFromUrl, shortCommit } from "~/lib/git/display";
import { ZProjectName } from "~/lib/schemas/project";

describe("projectNameFromUrl", () => {
  it("takes the repository's last path segment without .git", () => {
    expect(projectNameFromUrl("https://github.com/team/my-app.git")).toBe("my-app");
    expect(projectNameFromUrl("http://127.0.0.1:4000/repos/Shop%20Front/")).toBe("Shop Front");
    expect(projectNameFromUrl("  https://example.com/a/b/Thing.GIT  ")).toBe("Thing");
  });

  it("answers a valid project name, or nothing", () => {
    const name = projectNameFromUrl("https://example.com/x/@scope~weird!name.git");
    expect(name).toBe("scope weird name");
    expect(ZProjectName.safeParse(name).success).toBe(true);
    expect(projectNameFromUrl("https://example.com/")).toBe("");
    expect(projectNameFromUrl("not a url")).toBe("");
    expect(projectNameFromUrl("https://example.com/---.git")).toBe("");
  });
});

describe("shortCommit", () => {
  it("keeps git's seven characters", () => {
    expect(shortCommit("0123456789abcdef0123456789abcdef01234567")).toBe("0123456");
  });
});

describe("defaultCommitMessage", () => {
  it("counts the changed files, then lists them as git status --short does", () => {
    expect(defaultCommitMessage([{ path: "src/app.ts", change: "modify" }])).toBe(
      "Update 1 file from Vaporform\n\nM src/app.ts",
    );
    expect(
      defaultCommitMessage([
        { path: "a.ts", change: "add" },
        { path: "b.ts", change: "delete" },
      ]),
    ).toBe("Update 2 files from Vaporform\n\nA a.ts\nD b.ts");
  });

  it("lists at most 50 paths, with the rest counted", () => {
    const many = Array.from({ length: 55 }, (_, index) => ({ path: `f${index}.ts`, change: "modify" as const }));
    const lines = defaultCommitMessage(many).split("\n");
    expect(lines).toHaveLength(2 + 50 + 1);
    expect(lines.at(-1)).toBe("… and 5 more");
  });

  it("has a subject when nothing changed", () => {
    expect(defaultCommitMessage([])).toBe("Update 0 files from Vaporform");
  });
});

describe("operationProgress", () => {
  it("has a percentage and counts when the total is known", () => {
    expect(operationProgress({ status: "running", phase: "Receiving objects", loaded: 1234, total: 2900 })).toEqual({
      percent: 43,
      text: "Receiving objects 43% (1,234/2,900)",
    });
    expect(operationProgress({ status: "running", phase: "Resolving", loaded: 12, total: 10 }).percent).toBe(100);
  });

  it("is indeterminate while the total is unknown, and full once succeeded", () => {
    expect(operationProgress({ status: "running", phase: "Downloading", loaded: 52_000, total: null })).toEqual({
      percent: null,
      text: "Downloading (52,000)",
    });
    expect(operationProgress({ status: "running", phase: "Starting", loaded: 0, total: null }).text).toBe("Starting");
    expect(operationProgress({ status: "succeeded", phase: "Done", loaded: 0, total: null }).percent).toBe(100);
  });
});
