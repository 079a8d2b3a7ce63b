import {
  ZCountPublicTemplatesInput,
  ZDeleteTemplateInput,
  ZHideReviewInput,
  ZListTemplatesInput,
  ZPublishTemplateInput,
  ZRateTemplateInput,
  ZSetTemplateFlagsInput,
  ZTemplateByIdInput,
  ZTemplateFilesInput,
  ZTemplateReviewsInput,
  ZUnrateTemplateInput,
  ZUpdateTemplateInput,
  ZUpgradeApplyInput,
  ZUpgradePreviewInput,
  ZUseTemplateInput,
  ZVoteHelpfulInput,
} from "~/lib/schemas/template";
import type { Session } from "~/server/auth/session";
import {
  adminProcedure,
  createTRPCRouter,
  projectProcedure,
  protectedProcedure,
  publicProcedure,
  templateAuthorProcedure,
} from "~/server/api/trpc";
import type { Viewer } from "~/server/services/templates/access";
import {
  deleteTemplate,
  publishTemplate,
  publishTemplateVersion,
  setTemplateFlags,
  updateTemplate,
} from "~/server/services/templates/authoring";
import { getTemplate, getTemplateFiles } from "~/server/services/templates/detail";
import {
  countPublicTemplates,
  listPublicTemplates,
  listTemplates,
  templateFacets,
} from "~/server/services/templates/gallery";
import {
  hideTemplateReview,
  listTemplateReviews,
  rateTemplate,
  unrateTemplate,
  voteReviewHelpful,
} from "~/server/services/templates/ratings";
import {
  applyTemplateUpgrade,
  previewTemplateUpgrade,
  templateUpgradeStatus,
} from "~/server/services/templates/upgrade";
import { createFromTemplate } from "~/server/services/templates/use";

function viewerOf(session: Session | null): Viewer | null {
  return session ? { id: session.user.id, role: session.user.role } : null;
}

export const templateRouter = createTRPCRouter({
  countPublic: publicProcedure
    .input(ZCountPublicTemplatesInput)
    .query(({ ctx, input }) => countPublicTemplates({ db: ctx.db, category: input?.category })),
  listPublic: publicProcedure.query(({ ctx }) => listPublicTemplates({ db: ctx.db })),
  list: publicProcedure
    .input(ZListTemplatesInput)
    .query(({ ctx, input }) => listTemplates({ db: ctx.db, userId: ctx.session?.user.id ?? null, input })),
  facets: publicProcedure.query(({ ctx }) => templateFacets({ db: ctx.db })),
  byId: publicProcedure
    .input(ZTemplateByIdInput)
    .query(({ ctx, input }) =>
      getTemplate({ db: ctx.db, viewer: viewerOf(ctx.session), templateId: input.templateId }),
    ),
  files: publicProcedure
    .input(ZTemplateFilesInput)
    .query(({ ctx, input }) => getTemplateFiles({ db: ctx.db, viewer: viewerOf(ctx.session), ...input })),
  use: protectedProcedure
    .input(ZUseTemplateInput)
    .mutation(({ ctx, input }) =>
      createFromTemplate({ db: ctx.db, actor: ctx.actor, userId: ctx.session.user.id, ...input }),
    ),
  rate: protectedProcedure
    .input(ZRateTemplateInput)
    .mutation(({ ctx, input }) => rateTemplate({ db: ctx.db, viewer: viewerOf(ctx.session)!, ...input })),
  unrate: protectedProcedure
    .input(ZUnrateTemplateInput)
    .mutation(({ ctx, input }) => unrateTemplate({ db: ctx.db, viewer: viewerOf(ctx.session)!, ...input })),
  reviews: publicProcedure
    .input(ZTemplateReviewsInput)
    .query(({ ctx, input }) => listTemplateReviews({ db: ctx.db, viewer: viewerOf(ctx.session), input })),
  voteHelpful: protectedProcedure
    .input(ZVoteHelpfulInput)
    .mutation(({ ctx, input }) => voteReviewHelpful({ db: ctx.db, viewer: viewerOf(ctx.session)!, ...input })),
  publish: projectProcedure
    .input(ZPublishTemplateInput)
    .mutation(({ ctx, input }) =>
      input.mode === "new"
        ? publishTemplate({ db: ctx.db, userId: ctx.session.user.id, input })
        : publishTemplateVersion({ db: ctx.db, userId: ctx.session.user.id, input }),
    ),
  update: templateAuthorProcedure
    .input(ZUpdateTemplateInput)
    .mutation(({ ctx, input }) =>
      updateTemplate({ db: ctx.db, adminId: ctx.template.isOwn ? null : ctx.session.user.id, input }),
    ),
  delete: templateAuthorProcedure
    .input(ZDeleteTemplateInput)
    .mutation(({ ctx, input }) =>
      deleteTemplate({ db: ctx.db, adminId: ctx.template.isOwn ? null : ctx.session.user.id, ...input }),
    ),
  setFlags: adminProcedure
    .input(ZSetTemplateFlagsInput)
    .mutation(({ ctx, input }) => setTemplateFlags({ db: ctx.db, adminId: ctx.session.user.id, ...input })),
  hideReview: adminProcedure
    .input(ZHideReviewInput)
    .mutation(({ ctx, input }) => hideTemplateReview({ db: ctx.db, adminId: ctx.session.user.id, ...input })),
  upgradeStatus: projectProcedure
    .input(ZUpgradePreviewInput)
    .query(({ ctx }) => templateUpgradeStatus({ db: ctx.db, projectId: ctx.project.id, userId: ctx.session.user.id })),
  upgradePreview: projectProcedure
    .input(ZUpgradePreviewInput)
    .query(({ ctx }) => previewTemplateUpgrade({ db: ctx.db, projectId: ctx.project.id, userId: ctx.session.user.id })),
  upgradeApply: projectProcedure
    .input(ZUpgradeApplyInput)
    .mutation(({ ctx, input }) =>
      applyTemplateUpgrade({
        db: ctx.db,
        actor: ctx.actor,
        projectId: ctx.project.id,
        userId: ctx.session.user.id,
        input,
      }),
    ),
});
