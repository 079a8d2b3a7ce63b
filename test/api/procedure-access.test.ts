import { randomBytes, randomUUID } from "node:crypto";
import { TRPCError } from "@trpc/server";
import { beforeAll, describe, expect, it } from "vitest";
import { appRouter, createCaller } from "~/server/api/root";
import { createTRPCContext, type ProcedureMeta } from "~/server/api/trpc";
import { loadSessionUser } from "~/server/auth/session-user";
import type { Session } from "~/server/auth/session";
import { db } from "~/server/db/client";
import { pool } from "../db";

/**
 * Walks every procedure of the app router, so a procedure added tomorrow is covered without anyone remembering:
 * each protected one refuses an anonymous caller, each project-scoped one answers NOT_FOUND for another user's
 * project, each admin one refuses a non-admin.
 */
type AnyProcedure = { _def: { type: "query" | "mutation" | "subscription"; meta?: ProcedureMeta; inputs: unknown[] } };
const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, AnyProcedure>);
const PROJECT_SCOPED = ["project", "optionalProject"];

/** Whether one of the procedure's input schemas has a `projectId` field, required or optional. */
function takesProjectId(procedure: AnyProcedure): boolean {
  return procedure._def.inputs.some((input) => {
    const shape = (input as { shape?: Record<string, unknown> }).shape;
    return shape !== undefined && "projectId" in shape;
  });
}

async function makeUser(role: "user" | "admin"): Promise<Session> {
  const suffix = randomBytes(4).toString("hex");
  const { rows } = await pool.query<{ id: string }>(
    `INSERT INTO users (email, username, full_name, password_hash, role) VALUES ($1, $2, $3, 'x', $4) RETURNING id`,
    [`walker-${suffix}@example.com`, `walker-${suffix}`, `Walker ${suffix}`, role],
  );
  const user = await loadSessionUser({ db, userId: rows[0]!.id, sessionVersion: 0 });
  if (!user) throw new Error("user not loaded");
  return { user };
}

async function call(path: string, session: Session | null, input: unknown): Promise<unknown> {
  const caller = createCaller(await createTRPCContext({ headers: new Headers(), session, ip: "198.51.100.7" }));
  const procedure = path.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller);
  return (procedure as (input: unknown) => Promise<unknown>)(input);
}

async function errorCode(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TRPCError) return error.code;
    throw error;
  }
  return "OK";
}

describe("every procedure of the app router", () => {
  let owner: Session;
  let stranger: Session;
  let ownersProject: string;
  let ownersTemplate: string;

  beforeAll(async () => {
    owner = await makeUser("user");
    stranger = await makeUser("user");
    const { rows } = await pool.query<{ id: string }>(
      `INSERT INTO projects (user_id, name, description, tech_stack) VALUES ($1, 'Private', 'not yours', '{}') RETURNING id`,
      [owner.user.id],
    );
    ownersProject = rows[0]!.id;
    const template = await pool.query<{ id: string }>(
      `INSERT INTO project_templates (created_by, name, description, category, tech_stack, file_structure, is_public)
       VALUES ($1, 'Theirs', 'not yours', 'web-app', '{}', '{"files": []}', true) RETURNING id`,
      [owner.user.id],
    );
    ownersTemplate = template.rows[0]!.id;
  });

  it("declares who may call it, through its procedure type", () => {
    expect(procedures.length).toBeGreaterThan(0);
    for (const [path, procedure] of procedures) {
      expect(
        ["public", "protected", "project", "optionalProject", "templateAuthor", "admin"],
        `${path} has no access level`,
      ).toContain(procedure._def.meta?.access);
    }
  });

  it("checks the project of every procedure that takes a projectId, optional or not, through its procedure type", () => {
    const taking = procedures.filter(([, procedure]) => takesProjectId(procedure));
    expect(taking.map(([path]) => path)).toContain("search.query");
    for (const [path, procedure] of taking) {
      expect(PROJECT_SCOPED, `${path} takes a projectId without checking it`).toContain(procedure._def.meta?.access);
    }
  });

  it("refuses an anonymous caller on every protected, project and admin procedure", async () => {
    const guarded = procedures.filter(([, procedure]) => procedure._def.meta?.access !== "public");
    expect(guarded.length).toBeGreaterThan(0);
    for (const [path, procedure] of guarded) {
      const access = procedure._def.meta?.access ?? "";
      const input = PROJECT_SCOPED.includes(access)
        ? { projectId: ownersProject }
        : access === "templateAuthor"
          ? { templateId: ownersTemplate }
          : undefined;
      expect(await errorCode(call(path, null, input)), path).toBe("UNAUTHORIZED");
    }
  });

  it("answers NOT_FOUND to another user on every project-scoped procedure, and to a made-up project id", async () => {
    const scoped = procedures.filter(([, procedure]) => PROJECT_SCOPED.includes(procedure._def.meta?.access ?? ""));
    expect(scoped.map(([path]) => path)).toEqual(
      expect.arrayContaining(["search.query", "usage.mine", "usage.projectBudget", "usage.setProjectBudget"]),
    );
    for (const [path] of scoped) {
      expect(await errorCode(call(path, stranger, { projectId: ownersProject })), path).toBe("NOT_FOUND");
      expect(await errorCode(call(path, owner, { projectId: randomUUID() })), path).toBe("NOT_FOUND");
    }
  });

  it("answers NOT_FOUND to anyone but the author on every template-author procedure, and to a made-up template", async () => {
    const scoped = procedures.filter(([, procedure]) => procedure._def.meta?.access === "templateAuthor");
    expect(scoped.map(([path]) => path)).toEqual(expect.arrayContaining(["template.update", "template.delete"]));
    for (const [path] of scoped) {
      expect(await errorCode(call(path, stranger, { templateId: ownersTemplate })), path).toBe("NOT_FOUND");
      expect(await errorCode(call(path, owner, { templateId: randomUUID() })), path).toBe("NOT_FOUND");
    }
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM project_templates WHERE id = $1`, [
      ownersTemplate,
    ]);
    expect(rows[0].n).toBe(1);
  });

  it("refuses a non-admin on every admin procedure", async () => {
    const adminOnly = procedures.filter(([, procedure]) => procedure._def.meta?.access === "admin");
    expect(adminOnly.map(([path]) => path)).toEqual(
      expect.arrayContaining([
        "usage.dashboard",
        "admin.prices.list",
        "admin.prices.create",
        "admin.reprice",
        "admin.auditLog",
        "admin.budgets.defaults",
        "admin.budgets.setDefaults",
        "admin.budgets.setUser",
        "admin.jobs.list",
        "admin.jobs.run",
        "template.setFlags",
        "template.hideReview",
      ]),
    );
    for (const [path] of adminOnly) {
      expect(await errorCode(call(path, stranger, undefined)), path).toBe("FORBIDDEN");
    }
  });

  it("refuses every mutation whose CSRF token is missing or forged, before it runs", async () => {
    const mutations = procedures.filter(([, procedure]) => procedure._def.type === "mutation");
    for (const [path] of mutations) {
      const caller = createCaller(
        await createTRPCContext({ headers: new Headers(), session: owner, csrfVerified: false }),
      );
      const procedure = path.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], caller);
      expect(await errorCode((procedure as (input: unknown) => Promise<unknown>)({})), path).toBe("FORBIDDEN");
    }
  });
});
