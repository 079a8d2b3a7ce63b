import { ZExportActivityInput, ZListActivityInput } from "~/lib/schemas/activity";
import { createTRPCRouter, projectProcedure } from "~/server/api/trpc";
import { exportProjectActivity, listProjectActivity } from "~/server/services/activity";

export const activityRouter = createTRPCRouter({
  list: projectProcedure
    .input(ZListActivityInput)
    .query(({ ctx, input }) => listProjectActivity({ db: ctx.db, ...input, projectId: ctx.project.id })),
  export: projectProcedure
    .input(ZExportActivityInput)
    .query(({ ctx, input }) =>
      exportProjectActivity({ db: ctx.db, projectId: ctx.project.id, filter: input, maxRows: input.maxRows }),
    ),
});
