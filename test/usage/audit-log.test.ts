import { describe, expect, it } from "vitest";
import { expectFailure } from "../files/support";
import { interaction, person, project, tag } from "./support";

const RATES = { input: 2, output: 10, cacheWrite5m: 2.5, cacheWrite1h: 4, cacheRead: 0.2 };

describe("admin.auditLog", () => {
  it("answers the newest price and re-pricing rows first, with who did them and the totals before and after", async () => {
    const admin = await person({ role: "admin" });
    const user = await person();
    const p = await project(user.userId);
    const model = `claude-a-${tag()}`;
    await interaction(p, user.userId, { model, createdAt: "2026-03-10T12:00:00Z", input: 1_000_000, output: 0 });
    await admin.api.admin.prices.create({ model, effectiveFrom: new Date("2026-03-01T00:00:00Z"), rates: RATES });
    await admin.api.admin.reprice({ model, from: "2026-03-01", to: "2026-03-31" });
    await admin.api.admin.budgets.setDefaults({ normalUsd: 30, premiumUsd: 120 });

    const log = await admin.api.admin.auditLog({ limit: 50, actions: ["price.create", "usage.reprice"] });
    expect(log.every((row) => row.action === "price.create" || row.action === "usage.reprice")).toBe(true);
    const mine = log.filter((row) => row.target.model === model);
    expect(mine.map((row) => row.action)).toEqual(["usage.reprice", "price.create"]);
    expect(mine[0]!.admin).toEqual({ id: admin.userId, username: expect.stringMatching(/^usage_/) });
    expect(mine[0]!.target).toEqual({ model, from: "2026-03-01", to: "2026-03-31" });
    expect(mine[0]!.details).toMatchObject({
      interactions: 1,
      changed: 1,
      before: { costUsd: "0.000000", priced: 0, unpriced: 1 },
      after: { costUsd: "2.000000", priced: 1, unpriced: 0 },
    });
    expect(mine[0]!.createdAt.getTime()).toBeGreaterThanOrEqual(mine[1]!.createdAt.getTime());

    const all = await admin.api.admin.auditLog({ limit: 1 });
    expect(all).toHaveLength(1);
    expect(all[0]!.action).toBe("budget.defaults");
  });

  it("refuses a limit over 50, an unknown action and a non-admin", async () => {
    const admin = await person({ role: "admin" });
    const user = await person();
    await expectFailure(admin.api.admin.auditLog({ limit: 51 }), "BAD_REQUEST", /at most 50/);
    await expectFailure(admin.api.admin.auditLog({ actions: ["user.delete" as "price.create"] }), "BAD_REQUEST");
    await expectFailure(user.api.admin.auditLog({}), "FORBIDDEN");
  });
});

describe("usage.projectBudget", () => {
  it("answers the project's month-to-date spend with or without a budget of its own", async () => {
    const user = await person();
    const p = await project(user.userId);
    const thisMonth = `${new Date().toISOString().slice(0, 8)}01T00:00:00Z`;
    await interaction(p, user.userId, { createdAt: thisMonth, costUsd: "1.250000" });
    const without = await user.api.usage.projectBudget({ projectId: p });
    expect(without.details?.project).toBeNull();
    expect(without.details?.projectSpentUsd).toBe("1.250000");

    await user.api.usage.setProjectBudget({ projectId: p, budgetUsd: 5 });
    const withBudget = await user.api.usage.projectBudget({ projectId: p });
    expect(withBudget.details?.project).toMatchObject({ budgetUsd: "5.00", spentUsd: "1.250000", level: "ok" });
    expect(withBudget.details?.projectSpentUsd).toBe("1.250000");

    await user.api.usage.setProjectBudget({ projectId: p, budgetUsd: null });
    expect((await user.api.usage.projectBudget({ projectId: p })).details?.project).toBeNull();
  });
});
