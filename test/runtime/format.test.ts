import { describe, expect, it } from "vitest";
import { timeAgo, waitTime } from "~/lib/format";

describe("formatting", () => {
  it("says how long to wait in words", () => {
    expect(waitTime(1)).toBe("1 second");
    expect(waitTime(8)).toBe("8 seconds");
    expect(waitTime(119)).toBe("119 seconds");
    expect(waitTime(121)).toBe("3 minutes");
    expect(waitTime(900)).toBe("15 minutes");
  });

  it("says how long ago something happened", () => {
    const now = new Date("2026-11-26T12:00:00Z");
    expect(timeAgo(new Date("2026-11-26T11:59:30Z"), now)).toBe("just now");
    expect(timeAgo(new Date("2026-11-26T11:57:00Z"), now)).toBe("3 minutes ago");
    expect(timeAgo(new Date("2026-11-25T12:00:00Z"), now)).toBe("yesterday");
  });
});
