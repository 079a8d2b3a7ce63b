import { ZAdminListUsersInput, ZAdminUpdateUserInput, ZListOutboxInput } from "~/lib/schemas/account";
import { ZCreatePriceInput, ZRepriceInput, ZSetBudgetDefaultsInput, ZSetUserBudgetInput } from "~/lib/schemas/usage";
import { adminProcedure, createTRPCRouter } from "~/server/api/trpc";
import { listUsers, updateUser } from "~/server/services/admin-users";
import { listOutbox } from "~/server/services/mail";
import { getBudgetDefaults } from "~/server/services/usage/budget";
import { setBudgetDefaults, setUserBudget } from "~/server/services/usage/budget-admin";
import { createPrice, listPrices, reprice } from "~/server/services/usage/prices";

/** Administration: users, the mail outbox, model prices and re-pricing, AI budgets. */
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
      .mutation(({ ctx, input }) => createPrice({ db: ctx.db, adminId: ctx.session.user.id, ...input })),
  }),
  reprice: adminProcedure
    .input(ZRepriceInput)
    .mutation(({ ctx, input }) => reprice({ db: ctx.db, adminId: ctx.session.user.id, ...input })),
  budgets: createTRPCRouter({
    defaults: adminProcedure.query(({ ctx }) => getBudgetDefaults(ctx.db)),
    setDefaults: adminProcedure
      .input(ZSetBudgetDefaultsInput)
      .mutation(({ ctx, input }) => setBudgetDefaults({ db: ctx.db, adminId: ctx.session.user.id, ...input })),
    setUser: adminProcedure
      .input(ZSetUserBudgetInput)
      .mutation(({ ctx, input }) => setUserBudget({ db: ctx.db, adminId: ctx.session.user.id, ...input })),
  }),
});
