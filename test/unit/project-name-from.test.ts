import { describe, expect, it } from "vitest";
import { projectNameFrom, ZProjectName } from "~/lib/schemas/project";

describe("projectNameFrom", () => {
  it.each([
    ["React + Vite", "React Vite"],
    ["Next.js (App Router)", "Next.js (App Router)"],
    ["  ✨ Fancy: starter!  ", "Fancy starter"],
    ["Café & Co", "Café Co"],
    ["+++", "My project"],
  ])("%s -> %s, a valid project name", (templateName, expected) => {
    const name = projectNameFrom(templateName);
    expect(name).toBe(expected);
    expect(ZProjectName.safeParse(name).success).toBe(true);
  });

  it("stays within the name's length limit", () => {
    expect(ZProjectName.safeParse(projectNameFrom("a".repeat(99) + " +b" + "c".repeat(50))).success).toBe(true);
  });
});
