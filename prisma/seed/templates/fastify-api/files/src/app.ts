import Fastify, { type FastifyServerOptions } from "fastify";
import { bookmarksRoutes } from "./routes/bookmarks.js";

export function buildApp(options: FastifyServerOptions = {}) {
  const app = Fastify(options);

  app.get("/health", async () => ({ status: "ok" }));
  app.register(bookmarksRoutes, { prefix: "/api/bookmarks" });

  return app;
}
