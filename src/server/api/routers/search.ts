import { ZSearchCodeInput } from "~/lib/schemas/search";
import { createTRPCRouter, optionalProjectProcedure } from "~/server/api/trpc";
import { searchCode } from "~/server/services/search";

/**
 * Code search over one of the caller's projects (someone else's answers NOT_FOUND) or all of them; the service
 * scopes every query to the caller as well.
 */
export const searchRouter = createTRPCRouter({
  query: optionalProjectProcedure
    .input(ZSearchCodeInput)
    .query(({ ctx, input }) => searchCode({ db: ctx.db, userId: ctx.session.user.id, ...input })),
});
