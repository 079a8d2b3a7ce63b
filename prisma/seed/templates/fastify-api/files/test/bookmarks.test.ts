import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildApp } from "../src/app.js";

let app: ReturnType<typeof buildApp>;

beforeEach(async () => {
  app = buildApp();
  await app.ready();
});

afterEach(async () => {
  await app.close();
});

describe("bookmarks", () => {
  it("answers the health check", async () => {
    const res = await app.inject({ method: "GET", url: "/health" });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: "ok" });
  });

  it("creates a bookmark and filters by tag", async () => {
    const created = await app.inject({
      method: "POST",
      url: "/api/bookmarks",
      payload: { url: "https://fastify.dev", title: "Fastify", tags: ["node"] },
    });
    expect(created.statusCode).toBe(201);
    const { id } = created.json<{ id: string }>();

    const byTag = await app.inject({ method: "GET", url: "/api/bookmarks?tag=node" });
    expect(byTag.json()).toHaveLength(1);

    const otherTag = await app.inject({ method: "GET", url: "/api/bookmarks?tag=python" });
    expect(otherTag.json()).toHaveLength(0);

    const deleted = await app.inject({ method: "DELETE", url: `/api/bookmarks/${id}` });
    expect(deleted.statusCode).toBe(204);
  });

  it("rejects an invalid body with 400", async () => {
    const res = await app.inject({ method: "POST", url: "/api/bookmarks", payload: { url: "not a url" } });
    expect(res.statusCode).toBe(400);
  });

  it("answers 404 for an unknown id", async () => {
    const res = await app.inject({ method: "GET", url: "/api/bookmarks/00000000-0000-4000-8000-000000000000" });
    expect(res.statusCode).toBe(404);
  });
});
