import { describe, expect, it } from "vitest";
import { defaultCommitMessage, projectNameFromUrl, shortCommit } from "~/lib/git/display";
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
  it("names a single change in its subject", () => {
    expect(defaultCommitMessage([{ path: "src/app.ts", change: "modify" }])).toBe("Update src/app.ts");
  });

  it("lists several changes under a subject, with the rest counted", () => {
    expect(
      defaultCommitMessage([
        { path: "a.ts", change: "add" },
        { path: "b.ts", change: "delete" },
      ]),
    ).toBe("Update 2 files from Vaporform\n\n- Add a.ts\n- Delete b.ts");
    const many = Array.from({ length: 25 }, (_, index) => ({ path: `f${index}.ts`, change: "modify" as const }));
    const message = defaultCommitMessage(many);
    expect(message.split("\n")).toHaveLength(2 + 20 + 1);
    expect(message.endsWith("- and 5 more")).toBe(true);
  });

  it("has a message when nothing changed", () => {
    expect(defaultCommitMessage([])).toBe("Sync from Vaporform");
  });
});
