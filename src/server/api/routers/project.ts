import { ZCreateProjectInput, ZGetProjectInput, ZProjectPreviewInput } from "~/lib/schemas/project";
import { createTRPCRouter, projectProcedure, protectedProcedure } from "~/server/api/trpc";
import { createProject, getProject, listProjects } from "~/server/services/project";
import { getPreview, startPreview, stopPreview } from "~/server/services/preview/lifecycle";

export const projectRouter = createTRPCRouter({
  list: protectedProcedure.query(({ ctx }) => listProjects({ db: ctx.db, userId: ctx.session.user.id })),
  create: protectedProcedure.input(ZCreateProjectInput).mutation(({ ctx, input }) =>
    createProject({
      db: ctx.db,
      actor: ctx.actor,
      userId: ctx.session.user.id,
      name: input.name,
      description: input.description,
      templateId: input.templateId,
    }),
  ),
  get: projectProcedure
    .input(ZGetProjectInput)
    .query(({ ctx }) => getProject({ db: ctx.db, projectId: ctx.project.id, userId: ctx.session.user.id })),
  preview: projectProcedure
    .input(ZProjectPreviewInput)
    .query(({ ctx }) => getPreview({ db: ctx.db, projectId: ctx.project.id })),
  start: projectProcedure
    .input(ZProjectPreviewInput)
    .mutation(({ ctx }) => startPreview({ db: ctx.db, projectId: ctx.project.id, userId: ctx.session.user.id })),
  stop: projectProcedure
    .input(ZProjectPreviewInput)
    .mutation(({ ctx }) => stopPreview({ db: ctx.db, projectId: ctx.project.id, userId: ctx.session.user.id })),
});
