/**
 * tRPC wiring, top to bottom: context, initialisation, procedure builders.
 * Authorization is the procedure type: a procedure cannot forget to check who is calling.
 */
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { z, ZodError } from "zod";
import { CSRF_REFUSED } from "~/server/auth/csrf";
import { getSession, type Session } from "~/server/auth/session";
import { clientIpFrom } from "~/server/client-ip";
import { db } from "~/server/db/client";
import { databaseUnavailable, isTransientDatabaseError } from "~/server/db/errors";
import { makeActor, type Actor } from "~/server/db/write";
import { AppError } from "~/server/errors";
import { archivedProjectError } from "~/server/services/project-settings";

// ---------------------------------------------------------------------------------------------------------------
// 1. Context
// ---------------------------------------------------------------------------------------------------------------

/**
 * Built once per request (HTTP handler, server components) or by tests with a session of their choosing.
 * `ip` is the client's address (for rate limits, see src/server/client-ip.ts); `csrfVerified` is false only for an HTTP request whose
 * CSRF token is missing or forged, and mutations refuse such requests.
 */
export async function createTRPCContext(opts: {
  headers: Headers;
  session?: Session | null;
  ip?: string;
  csrfVerified?: boolean;
}) {
  const session = opts.session === undefined ? await getSession() : opts.session;
  return {
    db,
    session,
    headers: opts.headers,
    ip: opts.ip ?? clientIpFrom(opts.headers),
    csrfVerified: opts.csrfVerified ?? true,
  };
}

export type Context = Awaited<ReturnType<typeof createTRPCContext>>;

// ---------------------------------------------------------------------------------------------------------------
// 2. Initialisation
// ---------------------------------------------------------------------------------------------------------------

/** Who may call a procedure; set by its builder, read by the test that walks every procedure. */
export type ProcedureAccess = "public" | "protected" | "project" | "optionalProject" | "templateAuthor" | "admin";
export interface ProcedureMeta {
  access: ProcedureAccess;
}

const t = initTRPC
  .context<Context>()
  .meta<ProcedureMeta>()
  .create({
    transformer: superjson,
    errorFormatter({ shape, error }) {
      const cause = error.cause;
      return {
        ...shape,
        data: {
          ...shape.data,
          // Field-level messages for forms; nothing else of an internal error reaches the client.
          zodError: cause instanceof ZodError ? z.flattenError(cause) : null,
          app: cause instanceof AppError ? (cause.data ?? null) : null,
        },
      };
    },
  });

export const createCallerFactory = t.createCallerFactory;
export const createTRPCRouter = t.router;

/**
 * Maps the services' AppError to tRPC codes, a lost database connection to a "try again", and hides the message
 * of anything unexpected.
 */
const errorMapping = t.middleware(async ({ next, path, type }) => {
  const result = await next();
  if (!result.ok) {
    let cause = result.error.cause;
    // An archived project's file write, refused by the database (the one check every write passes).
    cause = archivedProjectError(cause) ?? cause;
    if (!(cause instanceof AppError) && isTransientDatabaseError(cause)) {
      console.warn(`[trpc] ${path}: database connection lost: ${cause?.message ?? "unknown error"}`);
      cause = databaseUnavailable(type === "mutation");
    }
    if (cause instanceof AppError) {
      throw new TRPCError({ code: cause.code, message: cause.message, cause });
    }
    if (result.error.code === "INTERNAL_SERVER_ERROR") {
      console.error(`[trpc] ${path} failed:`, cause ?? result.error);
      throw new TRPCError({
        code: "INTERNAL_SERVER_ERROR",
        message: "Something went wrong on our side. Please try again.",
      });
    }
  }
  return result;
});

// ---------------------------------------------------------------------------------------------------------------
// 3. Procedure builders
// ---------------------------------------------------------------------------------------------------------------

/** Mutations over HTTP must echo the CSRF cookie in a header (src/lib/csrf.ts); reads need not. */
const csrfGuard = t.middleware(({ ctx, type, next }) => {
  if (type === "mutation" && !ctx.csrfVerified) {
    throw new TRPCError({ code: "FORBIDDEN", message: CSRF_REFUSED });
  }
  return next();
});

/** Anyone, signed in or not. */
export const publicProcedure = t.procedure.meta({ access: "public" }).use(errorMapping).use(csrfGuard);

/**
 * A signed-in, active user; `ctx.session` is non-null, and `ctx.actor` is that user as the author of the writes
 * the procedure makes.
 */
export const protectedProcedure = publicProcedure.meta({ access: "protected" }).use(({ ctx, next }) => {
  if (!ctx.session) throw new TRPCError({ code: "UNAUTHORIZED", message: "Please sign in." });
  return next({ ctx: { session: ctx.session, actor: sessionActor(ctx.session) } });
});

/** The signed-in user as the author of their own writes. */
export function sessionActor(session: Session): Actor {
  return makeActor({ userId: session.user.id, source: "user" });
}

/**
 * A procedure on one of the caller's projects: the input carries `projectId`, ownership is checked here and the
 * project is put on `ctx`. Someone else's project answers NOT_FOUND, as does one that does not exist.
 */
export const projectProcedure = protectedProcedure
  .meta({ access: "project" })
  .input(z.object({ projectId: z.uuid() }))
  .use(async ({ ctx, input, next }) => next({ ctx: { project: await ownProject(ctx, input.projectId) } }));

/**
 * A procedure on one of the caller's projects or on all of them (search): `projectId` is optional, and when it is
 * given it is checked as by projectProcedure, so someone else's project answers NOT_FOUND rather than nothing.
 */
export const optionalProjectProcedure = protectedProcedure
  .meta({ access: "optionalProject" })
  .input(z.object({ projectId: z.uuid().optional() }))
  .use(async ({ ctx, input, next }) =>
    next({ ctx: { project: input.projectId === undefined ? null : await ownProject(ctx, input.projectId) } }),
  );

async function ownProject(ctx: Context & { session: Session }, projectId: string) {
  const project = await ctx.db.project.findFirst({
    where: { id: projectId, userId: ctx.session.user.id },
    select: { id: true, name: true, userId: true },
  });
  if (!project) throw new TRPCError({ code: "NOT_FOUND", message: "Project not found." });
  return project;
}

/**
 * A procedure on a template the caller wrote (or any template, for an admin): the input carries `templateId`,
 * checked here; `ctx.template` says whose it is. Anyone else's template answers NOT_FOUND, as does one that does
 * not exist.
 */
export const templateAuthorProcedure = protectedProcedure
  .meta({ access: "templateAuthor" })
  .input(z.object({ templateId: z.uuid() }))
  .use(async ({ ctx, input, next }) => {
    const template = await ctx.db.projectTemplate.findFirst({
      where: {
        id: input.templateId,
        ...(ctx.session.user.role === "admin" ? {} : { createdById: ctx.session.user.id }),
      },
      select: { id: true, createdById: true },
    });
    if (!template) throw new TRPCError({ code: "NOT_FOUND", message: "Template not found." });
    return next({ ctx: { template: { id: template.id, isOwn: template.createdById === ctx.session.user.id } } });
  });

/** An administrator. */
export const adminProcedure = protectedProcedure.meta({ access: "admin" }).use(({ ctx, next }) => {
  if (ctx.session.user.role !== "admin") throw new TRPCError({ code: "FORBIDDEN", message: "Administrators only." });
  return next();
});
