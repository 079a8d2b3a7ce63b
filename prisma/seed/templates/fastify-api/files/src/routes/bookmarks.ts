import { randomUUID } from "node:crypto";
import type { FastifyPluginAsync } from "fastify";

export interface Bookmark {
  id: string;
  url: string;
  title: string;
  tags: string[];
  createdAt: string;
}

type NewBookmark = Pick<Bookmark, "url" | "title"> & { tags?: string[] };

const bookmarkBody = {
  type: "object",
  required: ["url", "title"],
  additionalProperties: false,
  properties: {
    url: { type: "string", format: "uri", maxLength: 2048 },
    title: { type: "string", minLength: 1, maxLength: 200 },
    tags: { type: "array", items: { type: "string", maxLength: 40 }, maxItems: 10 },
  },
} as const;

const idParams = {
  type: "object",
  required: ["id"],
  properties: { id: { type: "string", format: "uuid" } },
} as const;

/** Bookmarks kept in memory per app instance: replace the Map with a database for persistence. */
export const bookmarksRoutes: FastifyPluginAsync = async (app) => {
  const bookmarks = new Map<string, Bookmark>();

  app.get<{ Querystring: { tag?: string } }>(
    "/",
    { schema: { querystring: { type: "object", properties: { tag: { type: "string" } } } } },
    async (request) => {
      const { tag } = request.query;
      const all = [...bookmarks.values()];
      return tag ? all.filter((b) => b.tags.includes(tag)) : all;
    },
  );

  app.get<{ Params: { id: string } }>("/:id", { schema: { params: idParams } }, async (request, reply) => {
    const bookmark = bookmarks.get(request.params.id);
    if (!bookmark) return reply.code(404).send({ error: "Bookmark not found" });
    return bookmark;
  });

  app.post<{ Body: NewBookmark }>("/", { schema: { body: bookmarkBody } }, async (request, reply) => {
    const bookmark: Bookmark = {
      id: randomUUID(),
      url: request.body.url,
      title: request.body.title,
      tags: request.body.tags ?? [],
      createdAt: new Date().toISOString(),
    };
    bookmarks.set(bookmark.id, bookmark);
    return reply.code(201).send(bookmark);
  });

  app.delete<{ Params: { id: string } }>("/:id", { schema: { params: idParams } }, async (request, reply) => {
    if (!bookmarks.delete(request.params.id)) return reply.code(404).send({ error: "Bookmark not found" });
    return reply.code(204).send();
  });
};
