import {
  ZAssistantCreateProjectInput,
  ZAssistantMessagesInput,
  ZAssistantReviewInput,
  ZAssistantSendInput,
  ZAssistantTurnDiffInput,
  ZAssistantTurnInput,
  ZAssistantUndoInput,
} from "~/lib/schemas/assistant";
import { createTRPCRouter, projectProcedure, protectedProcedure } from "~/server/api/trpc";
import {
  assistantModels,
  cancelTurn,
  conversationMessages,
  createProjectFromPrompt,
  listConversations,
  reviewTurn,
  sendMessage,
  turnDiff,
  undoTurn,
} from "~/server/services/assistant";

/**
 * Claude in the IDE; every procedure is scoped to one of the caller's projects (projectProcedure), except the two
 * of the new-project dialog, which has no project yet: `available` (what `models` answers) and `createProject`.
 */
export const assistantRouter = createTRPCRouter({
  models: projectProcedure.query(({ ctx }) => assistantModels({ db: ctx.db, userId: ctx.session.user.id })),
  available: protectedProcedure.query(({ ctx }) => assistantModels({ db: ctx.db, userId: ctx.session.user.id })),
  /** A new project whose first files Claude writes from the prompt: { projectId, interactionId, conversationId }. */
  createProject: protectedProcedure
    .input(ZAssistantCreateProjectInput)
    .mutation(({ ctx, input }) =>
      createProjectFromPrompt({ db: ctx.db, actor: ctx.actor, userId: ctx.session.user.id, input }),
    ),
  conversations: projectProcedure.query(({ ctx }) =>
    listConversations({ db: ctx.db, userId: ctx.session.user.id, projectId: ctx.project.id }),
  ),
  messages: projectProcedure.input(ZAssistantMessagesInput).query(({ ctx, input }) =>
    conversationMessages({
      db: ctx.db,
      userId: ctx.session.user.id,
      projectId: ctx.project.id,
      conversationId: input.conversationId,
    }),
  ),
  send: projectProcedure.input(ZAssistantSendInput).mutation(({ ctx, input }) =>
    sendMessage({
      db: ctx.db,
      userId: ctx.session.user.id,
      projectId: ctx.project.id,
      projectName: ctx.project.name,
      conversationId: input.conversationId,
      message: input.message,
      model: input.model,
    }),
  ),
  cancel: projectProcedure.input(ZAssistantTurnInput).mutation(({ ctx, input }) =>
    cancelTurn({
      db: ctx.db,
      userId: ctx.session.user.id,
      projectId: ctx.project.id,
      interactionId: input.interactionId,
    }),
  ),
  turnDiff: projectProcedure.input(ZAssistantTurnDiffInput).query(({ ctx, input }) =>
    turnDiff({
      db: ctx.db,
      userId: ctx.session.user.id,
      projectId: ctx.project.id,
      interactionId: input.interactionId,
      path: input.path,
    }),
  ),
  review: projectProcedure.input(ZAssistantReviewInput).mutation(({ ctx, input }) =>
    reviewTurn({
      db: ctx.db,
      userId: ctx.session.user.id,
      projectId: ctx.project.id,
      interactionId: input.interactionId,
      decision: input.decision,
      paths: input.paths,
    }),
  ),
  undoTurn: projectProcedure.input(ZAssistantUndoInput).mutation(({ ctx, input }) =>
    undoTurn({
      db: ctx.db,
      userId: ctx.session.user.id,
      projectId: ctx.project.id,
      interactionId: input.interactionId,
      overwrite: input.overwrite,
    }),
  ),
});
