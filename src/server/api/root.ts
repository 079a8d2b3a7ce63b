import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import { accountRouter } from "~/server/api/routers/account";
import { adminRouter } from "~/server/api/routers/admin";
import { mailboxRouter } from "~/server/api/routers/mailbox";
import { templateRouter } from "~/server/api/routers/template";
import { createCallerFactory, createTRPCRouter } from "~/server/api/trpc";

export const appRouter = createTRPCRouter({
  template: templateRouter,
  account: accountRouter,
  admin: adminRouter,
  mailbox: mailboxRouter,
});

export type AppRouter = typeof appRouter;
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;

/** Calls procedures in-process: server components and tests. */
export const createCaller = createCallerFactory(appRouter);
