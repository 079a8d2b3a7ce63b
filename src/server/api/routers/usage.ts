import { ZSetProjectBudgetInput, ZUsageDashboardInput, ZUsageMineInput } from "~/lib/schemas/usage";
import { adminProcedure, createTRPCRouter, optionalProjectProcedure, projectProcedure } from "~/server/api/trpc";
import { getBudgetStatus } from "~/server/services/usage/budget";
import { setProjectBudget } from "~/server/services/usage/budget-admin";
import { myUsage, usageDashboard } from "~/server/services/usage/dashboard";

/** Token and cost usage (read from the daily rollup) and project budgets. */
export const usageRouter = createTRPCRouter({
  dashboard: adminProcedure
    .input(ZUsageDashboardInput)
    .query(({ ctx, input }) => usageDashboard({ db: ctx.db, ...input })),
  mine: optionalProjectProcedure
    .input(ZUsageMineInput)
    .query(({ ctx, input }) =>
      myUsage({ db: ctx.db, userId: ctx.session.user.id, projectId: ctx.project?.id, months: input.months }),
    ),
  projectBudget: projectProcedure.query(({ ctx }) =>
    getBudgetStatus({ db: ctx.db, userId: ctx.session.user.id, projectId: ctx.project.id }),
  ),
  setProjectBudget: projectProcedure.input(ZSetProjectBudgetInput).mutation(({ ctx, input }) =>
    setProjectBudget({
      db: ctx.db,
      actor: ctx.actor,
      projectId: ctx.project.id,
      budgetUsd: input.budgetUsd,
    }),
  ),
});
