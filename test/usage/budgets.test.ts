import { describe, expect, it } from "vitest";
import { db } from "~/server/db/client";
import { AppError } from "~/server/errors";
import { assertTurnAllowed, getBudgetStatus } from "~/server/services/usage/budget";
import { pool } from "../db";
import { expectFailure } from "../files/support";
import { interaction, person, project } from "./support";

// This month, in UTC (the budgets' month), and a moment inside it.
const now = new Date();
const thisMonth = `${now.toISOString().slice(0, 8)}01T00:00:00Z`;
const lastMonth = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 15)).toISOString();
const monthName = now.toLocaleString("en-US", { month: "long", year: "numeric", timeZone: "UTC" });

async function spend(projectId: string, userId: string, usd: string, at = thisMonth) {
  await interaction(projectId, userId, { createdAt: at, costUsd: usd });
}

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}

describe("AI budgets", () => {
  it("warns at 80 % and refuses at 100 % of the user's budget, counting only this month", async () => {
    const admin = await person({ role: "admin" });
    const user = await person();
    const p = await project(user.userId);
    await admin.api.admin.budgets.setUser({ userId: user.userId, budgetUsd: 10 });
    await spend(p, user.userId, "500.000000", lastMonth);
    await spend(p, user.userId, "7.990000");
    expect((await getBudgetStatus({ db, userId: user.userId, projectId: p })).level).toBe("ok");
    await assertTurnAllowed({ db, userId: user.userId, projectId: p });

    await spend(p, user.userId, "0.010000");
    const warning = await getBudgetStatus({ db, userId: user.userId, projectId: p });
    expect(warning.level).toBe("warning");
    expect(warning.message).toContain(`Your AI budget of $10.00 for ${monthName} is 80 % used`);
    await assertTurnAllowed({ db, userId: user.userId, projectId: p });

    await spend(p, user.userId, "2.000000");
    const exceeded = await getBudgetStatus({ db, userId: user.userId, projectId: p });
    expect(exceeded.level).toBe("exceeded");
    expect(exceeded.details?.user).toMatchObject({ source: "override", budgetUsd: "10.00", spentUsd: "10.000000" });
    const error = await refusal(assertTurnAllowed({ db, userId: user.userId, projectId: p }));
    expect(error.code).toBe("FORBIDDEN");
    expect(error.message).toMatch(new RegExp(`budget of \\$10\\.00 for ${monthName} is used up`));
  });

  it("applies the normal or premium default set by an admin, and the override over either", async () => {
    const admin = await person({ role: "admin" });
    await admin.api.admin.budgets.setDefaults({ normalUsd: 5, premiumUsd: 50 });
    expect(await admin.api.admin.budgets.defaults()).toEqual({ normalUsd: "5.00", premiumUsd: "50.00" });
    const normal = await person();
    const premium = await person({ premium: true });
    const pn = await project(normal.userId);
    const pp = await project(premium.userId);
    await spend(pn, normal.userId, "6.000000");
    await spend(pp, premium.userId, "6.000000");
    expect((await getBudgetStatus({ db, userId: normal.userId, projectId: pn })).level).toBe("exceeded");
    const premiumStatus = await getBudgetStatus({ db, userId: premium.userId, projectId: pp });
    expect(premiumStatus.level).toBe("ok");
    expect(premiumStatus.details?.user).toMatchObject({ source: "premium-default", budgetUsd: "50.00" });

    await admin.api.admin.budgets.setUser({ userId: normal.userId, budgetUsd: 100 });
    expect((await getBudgetStatus({ db, userId: normal.userId, projectId: pn })).level).toBe("ok");
    await admin.api.admin.budgets.setUser({ userId: normal.userId, budgetUsd: null });
    expect((await getBudgetStatus({ db, userId: normal.userId, projectId: pn })).details?.user.source).toBe("default");

    const audit = await pool.query(
      `SELECT action, details FROM admin_audit_log WHERE action IN ('budget.defaults', 'budget.user') AND admin_id = $1 ORDER BY created_at`,
      [admin.userId],
    );
    expect(audit.rows.map((row) => row.action)).toEqual(["budget.defaults", "budget.user", "budget.user"]);
    expect(audit.rows[1].details).toEqual({ before: null, after: "100.00" });
    expect(audit.rows[2].details).toEqual({ before: "100.00", after: null });
  });

  it("refuses at a project's own budget, set by its owner, with a message naming the project's budget", async () => {
    const user = await person();
    const admin = await person({ role: "admin" });
    await admin.api.admin.budgets.setUser({ userId: user.userId, budgetUsd: 1000 });
    const p = await project(user.userId);
    const other = await project(user.userId);
    await user.api.usage.setProjectBudget({ projectId: p, budgetUsd: 2 });
    await spend(p, user.userId, "1.600000");
    expect((await user.api.usage.projectBudget({ projectId: p })).level).toBe("warning");
    await spend(p, user.userId, "0.400000");
    const error = await refusal(assertTurnAllowed({ db, userId: user.userId, projectId: p }));
    expect(error.message).toMatch(new RegExp(`This project's AI budget of \\$2\\.00 for ${monthName} is used up`));
    // The other project has no budget of its own; the user's is far from used.
    await assertTurnAllowed({ db, userId: user.userId, projectId: other });
    const stranger = await person();
    await expectFailure(stranger.api.usage.setProjectBudget({ projectId: p, budgetUsd: 99 }), "NOT_FOUND");
  });

  it("refuses bad amounts with a clear message and writes nothing", async () => {
    const admin = await person({ role: "admin" });
    const user = await person();
    const p = await project(user.userId);
    await expectFailure(
      admin.api.admin.budgets.setUser({ userId: user.userId, budgetUsd: -1 }),
      "BAD_REQUEST",
      /negative/,
    );
    await expectFailure(
      admin.api.admin.budgets.setUser({ userId: user.userId, budgetUsd: 1_000_001 }),
      "BAD_REQUEST",
      /at most \$1,000,000/,
    );
    await expectFailure(
      admin.api.admin.budgets.setUser({ userId: user.userId, budgetUsd: "12" as unknown as number }),
      "BAD_REQUEST",
      /amount/,
    );
    await expectFailure(
      admin.api.admin.budgets.setDefaults({ normalUsd: Number.POSITIVE_INFINITY, premiumUsd: 5 }),
      "BAD_REQUEST",
    );
    await expectFailure(user.api.usage.setProjectBudget({ projectId: p, budgetUsd: -5 }), "BAD_REQUEST");
    await expectFailure(user.api.admin.budgets.setUser({ userId: user.userId, budgetUsd: 5 }), "FORBIDDEN");
    const rows = await pool.query(
      `SELECT (SELECT ai_budget_usd FROM users WHERE id = $1) AS u, (SELECT ai_budget_usd FROM projects WHERE id = $2) AS p`,
      [user.userId, p],
    );
    expect(rows.rows[0]).toEqual({ u: null, p: null });
  });
});
