import { ZCountPublicTemplatesInput, ZUpgradeApplyInput, ZUpgradePreviewInput } from "~/lib/schemas/template";
import { createTRPCRouter, projectProcedure, publicProcedure } from "~/server/api/trpc";
import { countPublicTemplates, listPublicTemplates } from "~/server/services/template";
import {
  applyTemplateUpgrade,
  previewTemplateUpgrade,
  templateUpgradeStatus,
} from "~/server/services/templates/upgrade";

export const templateRouter = createTRPCRouter({
  countPublic: publicProcedure
    .input(ZCountPublicTemplatesInput)
    .query(({ ctx, input }) => countPublicTemplates({ db: ctx.db, category: input?.category })),
  listPublic: publicProcedure.query(({ ctx }) => listPublicTemplates({ db: ctx.db })),
  upgradeStatus: projectProcedure
    .input(ZUpgradePreviewInput)
    .query(({ ctx }) => templateUpgradeStatus({ db: ctx.db, projectId: ctx.project.id, userId: ctx.session.user.id })),
  upgradePreview: projectProcedure
    .input(ZUpgradePreviewInput)
    .query(({ ctx }) => previewTemplateUpgrade({ db: ctx.db, projectId: ctx.project.id, userId: ctx.session.user.id })),
  upgradeApply: projectProcedure.input(ZUpgradeApplyInput).mutation(({ ctx, input }) =>
    applyTemplateUpgrade({
      db: ctx.db,
      actor: ctx.actor,
      projectId: ctx.project.id,
      userId: ctx.session.user.id,
      input,
    }),
  ),
});
