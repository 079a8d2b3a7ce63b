import { ZListOutboxInput } from "~/lib/schemas/account";
import { createTRPCRouter, protectedProcedure } from "~/server/api/trpc";
import { listMailbox } from "~/server/services/mail";

/** The mailbox page: an admin's view of the outbox, or (without SMTP) a user's own mail (see listMailbox). */
export const mailboxRouter = createTRPCRouter({
  list: protectedProcedure
    .input(ZListOutboxInput)
    .query(({ ctx, input }) => listMailbox({ db: ctx.db, ...input, user: ctx.session.user })),
});
