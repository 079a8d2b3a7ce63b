import { ZSearchCodeInput } from "~/lib/schemas/search";
import { createTRPCRouter, protectedProcedure } from "~/server/api/trpc";
import { searchCode } from "~/server/services/search";

/** Code search over the caller's own projects (the service scopes every query to the caller). */
export const searchRouter = createTRPCRouter({
  query: protectedProcedure
    .input(ZSearchCodeInput)
    .query(({ ctx, input }) => searchCode({ db: ctx.db, userId: ctx.session.user.id, ...input })),
});
