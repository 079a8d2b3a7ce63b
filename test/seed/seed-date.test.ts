import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { seedDatabase } from "../../prisma/seed/index";
import { pool } from "../db";
import { DEMO_INTERACTIONS, DEMO_INTERACTIONS_FINGERPRINT, interactionsFingerprint } from "./demo-fingerprint";

describe("seedDatabase on another date", () => {
  beforeAll(() => {
    // Only Date is faked (timers stay real for pg): a Saturday, ten minutes before midnight, in another month.
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2027-03-06T23:50:00Z"));
  });
  afterAll(() => {
    vi.useRealTimers();
  });

  it("generates the same demo interactions as on any other day and hour", async () => {
    const summary = await seedDatabase(pool);

    expect(summary.demo.interactions).toBe(DEMO_INTERACTIONS);
    expect(await interactionsFingerprint(pool)).toBe(DEMO_INTERACTIONS_FINGERPRINT);
  });
});
