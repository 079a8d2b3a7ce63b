import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import { templateRouter } from "~/server/api/routers/template";
import { createCallerFactory, createTRPCRouter } from "~/server/api/trpc";

export const appRouter = createTRPCRouter({
  template: templateRouter,
});

export type AppRouter = typeof appRouter;
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;

/** Calls procedures in-process: server components and tests. */
export const createCaller = createCallerFactory(appRouter);
