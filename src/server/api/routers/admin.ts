import { ZAdminListUsersInput, ZAdminUpdateUserInput, ZListOutboxInput } from "~/lib/schemas/account";
import { adminProcedure, createTRPCRouter } from "~/server/api/trpc";
import { listUsers, updateUser } from "~/server/services/admin-users";
import { listOutbox } from "~/server/services/mail";

/** Administration: users and the mail outbox. */
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
});
