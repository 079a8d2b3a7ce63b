import { ZListOutboxInput } from "~/lib/schemas/account";
import { createTRPCRouter, publicProcedure } from "~/server/api/trpc";
import { listDevMailbox } from "~/server/services/mail";

/** The development mailbox of an install without SMTP (see listDevMailbox). */
export const mailboxRouter = createTRPCRouter({
  list: publicProcedure
    .input(ZListOutboxInput)
    .query(({ ctx, input }) => listDevMailbox({ db: ctx.db, ...input, ip: ctx.ip, email: ctx.session?.user.email ?? null })),
});
