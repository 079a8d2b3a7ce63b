import { ZProjectDashboardInput } from "~/lib/schemas/dashboard";
import {
  ZCreateProjectInput,
  ZDeleteEnvVarInput,
  ZDeleteProjectInput,
  ZGetProjectInput,
  ZListProjectsInput,
  ZProjectIdInput,
  ZProjectPreviewInput,
  ZSetEnvVarInput,
  ZUpdateProjectInput,
} from "~/lib/schemas/project";
import { createTRPCRouter, projectProcedure, protectedProcedure } from "~/server/api/trpc";
import { createProject, getProject, listProjects } from "~/server/services/project";
import {
  archiveProject,
  deleteEnvVar,
  deleteProject,
  getProjectSettings,
  setEnvVar,
  unarchiveProject,
  updateProject,
} from "~/server/services/project-settings";
import { getProjectDashboard } from "~/server/services/projects/dashboard";
import { getPreview, startPreview, stopPreview } from "~/server/services/preview/lifecycle";

export const projectRouter = createTRPCRouter({
  list: protectedProcedure
    .input(ZListProjectsInput)
    .query(({ ctx, input }) => listProjects({ db: ctx.db, userId: ctx.session.user.id, input })),
  create: protectedProcedure.input(ZCreateProjectInput).mutation(({ ctx, input }) =>
    createProject({
      db: ctx.db,
      actor: ctx.actor,
      userId: ctx.session.user.id,
      name: input.name,
      description: input.description,
      functionality: input.functionality,
      architectureType: input.architectureType,
      techStack: input.techStack,
      templateId: input.templateId,
    }),
  ),
  get: projectProcedure
    .input(ZGetProjectInput)
    .query(({ ctx }) => getProject({ db: ctx.db, projectId: ctx.project.id, userId: ctx.session.user.id })),
  dashboard: projectProcedure
    .input(ZProjectDashboardInput)
    .query(({ ctx }) => getProjectDashboard({ db: ctx.db, projectId: ctx.project.id })),
  /** The settings page: metadata, limits, repository, env var names (never their values). */
  settings: projectProcedure
    .input(ZProjectIdInput)
    .query(({ ctx }) => getProjectSettings({ db: ctx.db, projectId: ctx.project.id, userId: ctx.session.user.id })),
  update: projectProcedure
    .input(ZUpdateProjectInput)
    .mutation(({ ctx, input }) => updateProject({ ...scope(ctx), input })),
  setEnvVar: projectProcedure
    .input(ZSetEnvVarInput)
    .mutation(({ ctx, input }) => setEnvVar({ ...scope(ctx), name: input.name, value: input.value })),
  deleteEnvVar: projectProcedure
    .input(ZDeleteEnvVarInput)
    .mutation(({ ctx, input }) => deleteEnvVar({ ...scope(ctx), name: input.name })),
  archive: projectProcedure.input(ZProjectIdInput).mutation(({ ctx }) => archiveProject(scope(ctx))),
  unarchive: projectProcedure.input(ZProjectIdInput).mutation(({ ctx }) => unarchiveProject(scope(ctx))),
  delete: projectProcedure
    .input(ZDeleteProjectInput)
    .mutation(({ ctx, input }) => deleteProject({ ...scope(ctx), confirmName: input.confirmName })),
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

function scope(ctx: {
  db: Parameters<typeof getProject>[0]["db"];
  actor: Parameters<typeof archiveProject>[0]["actor"];
  project: { id: string };
  session: { user: { id: string } };
}) {
  return { db: ctx.db, actor: ctx.actor, projectId: ctx.project.id, userId: ctx.session.user.id };
}
