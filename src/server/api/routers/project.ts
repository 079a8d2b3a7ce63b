import { ZProjectDashboardInput } from "~/lib/schemas/dashboard";
import { ZCreateProjectInput, ZGetProjectInput } from "~/lib/schemas/project";
import { createTRPCRouter, projectProcedure, protectedProcedure } from "~/server/api/trpc";
import { createProject, getProject, listProjects } from "~/server/services/project";
import { getProjectDashboard } from "~/server/services/projects/dashboard";

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
  dashboard: projectProcedure
    .input(ZProjectDashboardInput)
    .query(({ ctx }) => getProjectDashboard({ db: ctx.db, projectId: ctx.project.id })),
});
