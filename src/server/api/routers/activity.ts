import { ZListActivityInput } from "~/lib/schemas/activity";
import { createTRPCRouter, projectProcedure } from "~/server/api/trpc";
import { listProjectActivity } from "~/server/services/activity";

export const activityRouter = createTRPCRouter({
  list: projectProcedure
    .input(ZListActivityInput)
    .query(({ ctx, input }) => listProjectActivity({ db: ctx.db, ...input, projectId: ctx.project.id })),
});
