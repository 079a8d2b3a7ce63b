import { ZRunJobInput } from "~/lib/schemas/jobs";
import { ZAdminListUsersInput, ZAdminUpdateUserInput, ZListOutboxInput } from "~/lib/schemas/account";
import {
  ZCreatePriceInput,
  ZListAuditLogInput,
  ZRepriceInput,
  ZSetBudgetDefaultsInput,
  ZSetUserBudgetInput,
} from "~/lib/schemas/usage";
import { adminProcedure, createTRPCRouter } from "~/server/api/trpc";
import { getPool } from "~/server/db/pool";
import { listUsers, updateUser } from "~/server/services/admin-users";
import { listJobs, runJobNow } from "~/server/services/jobs/admin";
import { listOutbox } from "~/server/services/mail";
import { listAuditLog } from "~/server/services/usage/audit";
import { getBudgetDefaults } from "~/server/services/usage/budget";
import { setBudgetDefaults, setUserBudget } from "~/server/services/usage/budget-admin";
import { createPrice, listPrices } from "~/server/services/usage/prices";
import { reprice } from "~/server/services/usage/reprice";

/** Administration: users, the mail outbox, model prices and re-pricing, AI budgets, the audit log, background jobs. */
export const adminRouter = createTRPCRouter({
  users: createTRPCRouter({
    list: adminProcedure.input(ZAdminListUsersInput).query(({ ctx, input }) => listUsers({ db: ctx.db, ...input })),
    update: adminProcedure
      .input(ZAdminUpdateUserInput)
      .mutation(({ ctx, input }) => updateUser({ db: ctx.db, actor: ctx.actor, ...input })),
  }),
  mail: createTRPCRouter({
    list: adminProcedure.input(ZListOutboxInput).query(({ ctx, input }) => listOutbox({ db: ctx.db, ...input })),
  }),
  prices: createTRPCRouter({
    list: adminProcedure.query(({ ctx }) => listPrices({ db: ctx.db })),
    create: adminProcedure
      .input(ZCreatePriceInput)
      .mutation(({ ctx, input }) => createPrice({ db: ctx.db, actor: ctx.actor, ...input })),
  }),
  reprice: adminProcedure
    .input(ZRepriceInput)
    .mutation(({ ctx, input }) => reprice({ db: ctx.db, actor: ctx.actor, ...input })),
  auditLog: adminProcedure.input(ZListAuditLogInput).query(({ ctx, input }) => listAuditLog({ db: ctx.db, ...input })),
  budgets: createTRPCRouter({
    defaults: adminProcedure.query(({ ctx }) => getBudgetDefaults(ctx.db)),
    setDefaults: adminProcedure
      .input(ZSetBudgetDefaultsInput)
      .mutation(({ ctx, input }) => setBudgetDefaults({ db: ctx.db, actor: ctx.actor, ...input })),
    setUser: adminProcedure
      .input(ZSetUserBudgetInput)
      .mutation(({ ctx, input }) => setUserBudget({ db: ctx.db, actor: ctx.actor, ...input })),
  }),
  jobs: createTRPCRouter({
    list: adminProcedure.query(({ ctx }) => listJobs({ db: ctx.db, pool: getPool() })),
    run: adminProcedure
      .input(ZRunJobInput)
      .mutation(({ ctx, input }) => runJobNow({ pool: getPool(), actor: ctx.actor, ...input })),
  }),
});
