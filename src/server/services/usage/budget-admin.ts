import type { TSetBudgetDefaultsInput, TSetProjectBudgetInput, TSetUserBudgetInput } from "~/lib/schemas/usage";
import type { Database } from "~/server/db/client";
import { withWrite, type Actor } from "~/server/db/write";
import { AppError } from "~/server/errors";
import { recordAudit } from "./audit";
import { BUDGET_SETTING, budgetDefaultsFrom } from "./budget";

/** Cents, as NUMERIC(12,2) keeps them. */
function cents(amount: number): string {
  return (Math.round(amount * 100) / 100).toFixed(2);
}

/** Sets the install's default monthly budgets for normal and premium users (audited with the values before). */
export async function setBudgetDefaults(options: { db: Database; actor: Actor } & TSetBudgetDefaultsInput) {
  const { db, actor } = options;
  const next = { normalUsd: cents(options.normalUsd), premiumUsd: cents(options.premiumUsd) };
  return withWrite(db, actor, async (tx) => {
    // One admin at a time: the audit row's "before" is then the value actually replaced.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('vf_budget_defaults'))`;
    const before = budgetDefaultsFrom(
      await tx.installSetting.findMany({
        where: { name: { in: [BUDGET_SETTING.normal, BUDGET_SETTING.premium] } },
        select: { name: true, value: true },
      }),
    );
    for (const [name, value] of [
      [BUDGET_SETTING.normal, next.normalUsd],
      [BUDGET_SETTING.premium, next.premiumUsd],
    ] as const) {
      await tx.installSetting.upsert({ where: { name }, create: { name, value }, update: { value } });
    }
    await recordAudit(tx, {
      adminId: actor.userId,
      action: "budget.defaults",
      target: {},
      details: { before, after: next },
    });
    return next;
  });
}

/** Sets (or clears, with null) a user's own monthly budget, overriding the default (audited). */
export async function setUserBudget(options: { db: Database; actor: Actor } & TSetUserBudgetInput) {
  const { db, actor, userId } = options;
  const budget = options.budgetUsd === null ? null : cents(options.budgetUsd);
  return withWrite(db, actor, async (tx) => {
    const rows = await tx.$queryRaw<{ before: string | null }[]>`
      SELECT ai_budget_usd::text AS before FROM users WHERE id = ${userId}::uuid FOR UPDATE`;
    if (!rows[0]) throw new AppError("NOT_FOUND", "User not found.");
    await tx.$executeRaw`UPDATE users SET ai_budget_usd = ${budget}::numeric WHERE id = ${userId}::uuid`;
    await recordAudit(tx, {
      adminId: actor.userId,
      action: "budget.user",
      target: { userId },
      details: { before: rows[0].before, after: budget },
    });
    return { userId, budgetUsd: budget };
  });
}

/**
 * Sets (or clears) the monthly budget of one of the caller's projects (the procedure checked ownership; the
 * owner's own setting, so not in the admins' audit log).
 */
export async function setProjectBudget(options: { db: Database; actor: Actor } & TSetProjectBudgetInput) {
  const { db, actor, projectId } = options;
  const budget = options.budgetUsd === null ? null : cents(options.budgetUsd);
  return withWrite(db, actor, async (tx) => {
    const rows = await tx.$queryRaw<{ before: string | null }[]>`
      SELECT ai_budget_usd::text AS before FROM projects WHERE id = ${projectId}::uuid
         AND user_id = ${actor.userId}::uuid FOR UPDATE`;
    if (!rows[0]) throw new AppError("NOT_FOUND", "Project not found.");
    await tx.$executeRaw`UPDATE projects SET ai_budget_usd = ${budget}::numeric WHERE id = ${projectId}::uuid`;
    return { projectId, budgetUsd: budget };
  });
}
