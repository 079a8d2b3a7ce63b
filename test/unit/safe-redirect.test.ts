import { describe, expect, it } from "vitest";
import { safeCallbackPath } from "~/lib/safe-redirect";

describe("callback paths after sign-in", () => {
  it("keeps paths of this site, with their query and hash", () => {
    expect(safeCallbackPath("/settings")).toBe("/settings");
    expect(safeCallbackPath("/projects/1?open=a.ts#x")).toBe("/projects/1?open=a.ts#x");
    expect(safeCallbackPath(["/admin/users", "/other"])).toBe("/admin/users");
  });

  it("sends every way off the site to the home page", () => {
    for (const attack of [
      "https://evil.example/",
      "//evil.example",
      "/\\evil.example",
      "/\t/evil.example",
      "/\n/evil.example",
      "javascript:alert(1)",
      "evil.example",
      "",
      undefined,
      null,
    ]) {
      expect(safeCallbackPath(attack), String(attack)).toBe("/");
    }
  });
});
