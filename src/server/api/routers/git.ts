import {
  ZGitBranchesInput,
  ZGitImportInput,
  ZGitOperationInput,
  ZGitProjectInput,
  ZGitPullApplyInput,
  ZGitPullPreviewInput,
  ZGitPushInput,
} from "~/lib/git/schemas";
import { createTRPCRouter, projectProcedure, protectedProcedure } from "~/server/api/trpc";
import {
  applyGitPull,
  cancelOperation,
  getGitStatus,
  getOperation,
  listRemoteBranches,
  previewGitPull,
  pushProject,
  startGitImport,
} from "~/server/services/git";

export const gitRouter = createTRPCRouter({
  /** The branches of a remote (and its default), to choose one before importing. */
  branches: protectedProcedure
    .input(ZGitBranchesInput)
    .query(({ ctx, input }) => listRemoteBranches({ db: ctx.db, userId: ctx.session.user.id, input })),
  /** Starts importing a remote's branch as a new project; follow it with git.operation. */
  import: protectedProcedure
    .input(ZGitImportInput)
    .mutation(({ ctx, input }) => startGitImport({ db: ctx.db, userId: ctx.session.user.id, input })),
  operation: protectedProcedure
    .input(ZGitOperationInput)
    .query(({ ctx, input }) => getOperation({ db: ctx.db, userId: ctx.session.user.id, ...input })),
  cancel: protectedProcedure
    .input(ZGitOperationInput)
    .mutation(({ ctx, input }) => cancelOperation({ db: ctx.db, userId: ctx.session.user.id, ...input })),
  status: projectProcedure
    .input(ZGitProjectInput)
    .query(({ ctx }) => getGitStatus({ db: ctx.db, projectId: ctx.project.id, userId: ctx.session.user.id })),
  push: projectProcedure
    .input(ZGitPushInput)
    .mutation(({ ctx, input }) =>
      pushProject({ db: ctx.db, projectId: ctx.project.id, userId: ctx.session.user.id, input }),
    ),
  pullPreview: projectProcedure
    .input(ZGitPullPreviewInput)
    .query(({ ctx, input }) =>
      previewGitPull({ db: ctx.db, projectId: ctx.project.id, userId: ctx.session.user.id, input }),
    ),
  pullApply: projectProcedure
    .input(ZGitPullApplyInput)
    .mutation(({ ctx, input }) =>
      applyGitPull({ db: ctx.db, actor: ctx.actor, projectId: ctx.project.id, userId: ctx.session.user.id, input }),
    ),
});
