import { ZCountPublicTemplatesInput } from "~/lib/schemas/template";
import { createTRPCRouter, publicProcedure } from "~/server/api/trpc";
import { countPublicTemplates, listPublicTemplates } from "~/server/services/template";

export const templateRouter = createTRPCRouter({
  countPublic: publicProcedure
    .input(ZCountPublicTemplatesInput)
    .query(({ ctx, input }) => countPublicTemplates({ db: ctx.db, category: input?.category })),
  listPublic: publicProcedure.query(({ ctx }) => listPublicTemplates({ db: ctx.db })),
});
