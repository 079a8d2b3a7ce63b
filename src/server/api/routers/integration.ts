import {
  ZCreateIntegrationInput,
  ZIntegrationRefInput,
  ZListIntegrationsInput,
  ZUpdateIntegrationInput,
} from "~/lib/schemas/integration";
import { createTRPCRouter, projectProcedure } from "~/server/api/trpc";
import {
  createIntegration,
  deleteIntegration,
  listIntegrations,
  testIntegration,
  updateIntegration,
} from "~/server/services/integrations";

export const integrationRouter = createTRPCRouter({
  list: projectProcedure
    .input(ZListIntegrationsInput)
    .query(({ ctx }) => listIntegrations({ db: ctx.db, projectId: ctx.project.id })),
  create: projectProcedure.input(ZCreateIntegrationInput).mutation(({ ctx, input }) =>
    createIntegration({
      db: ctx.db,
      actor: ctx.actor,
      ...input,
      projectId: ctx.project.id,
      userId: ctx.session.user.id,
    }),
  ),
  update: projectProcedure
    .input(ZUpdateIntegrationInput)
    .mutation(({ ctx, input }) =>
      updateIntegration({ db: ctx.db, actor: ctx.actor, ...input, projectId: ctx.project.id }),
    ),
  delete: projectProcedure.input(ZIntegrationRefInput).mutation(({ ctx, input }) =>
    deleteIntegration({
      db: ctx.db,
      actor: ctx.actor,
      projectId: ctx.project.id,
      integrationId: input.integrationId,
    }),
  ),
  test: projectProcedure.input(ZIntegrationRefInput).mutation(({ ctx, input }) =>
    testIntegration({
      db: ctx.db,
      projectId: ctx.project.id,
      projectName: ctx.project.name,
      integrationId: input.integrationId,
    }),
  ),
});
