import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import { accountRouter } from "~/server/api/routers/account";
import { activityRouter } from "~/server/api/routers/activity";
import { adminRouter } from "~/server/api/routers/admin";
import { assistantRouter } from "~/server/api/routers/assistant";
import { fileRouter } from "~/server/api/routers/file";
import { gitRouter } from "~/server/api/routers/git";
import { integrationRouter } from "~/server/api/routers/integration";
import { mailboxRouter } from "~/server/api/routers/mailbox";
import { projectRouter } from "~/server/api/routers/project";
import { searchRouter } from "~/server/api/routers/search";
import { templateRouter } from "~/server/api/routers/template";
import { usageRouter } from "~/server/api/routers/usage";
import { createCallerFactory, createTRPCRouter } from "~/server/api/trpc";

export const appRouter = createTRPCRouter({
  template: templateRouter,
  account: accountRouter,
  activity: activityRouter,
  admin: adminRouter,
  assistant: assistantRouter,
  mailbox: mailboxRouter,
  project: projectRouter,
  file: fileRouter,
  git: gitRouter,
  integration: integrationRouter,
  search: searchRouter,
  usage: usageRouter,
});

export type AppRouter = typeof appRouter;
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;

/** Calls procedures in-process: server components and tests. */
export const createCaller = createCallerFactory(appRouter);
