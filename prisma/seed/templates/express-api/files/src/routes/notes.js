import { randomUUID } from "node:crypto";
import { Router } from "express";

const MAX_TITLE = 200;
const MAX_BODY = 10_000;

function badRequest(message) {
  return Object.assign(new Error(message), { status: 400 });
}

function validate(input, { partial = false } = {}) {
  if (typeof input !== "object" || input === null) throw badRequest("Body must be a JSON object");
  const { title, body } = input;
  if (!partial || title !== undefined) {
    if (typeof title !== "string" || !title.trim()) throw badRequest("title is required");
    if (title.length > MAX_TITLE) throw badRequest(`title is longer than ${MAX_TITLE} characters`);
  }
  if (body !== undefined && (typeof body !== "string" || body.length > MAX_BODY)) {
    throw badRequest(`body must be a string of at most ${MAX_BODY} characters`);
  }
  return { title: title?.trim(), body };
}

/** Notes kept in memory: swap the Map for a database when you need persistence. */
export function notesRouter() {
  const notes = new Map();
  const router = Router();

  router.get("/", (_req, res) => {
    res.json([...notes.values()]);
  });

  router.get("/:id", (req, res) => {
    const note = notes.get(req.params.id);
    if (!note) return res.status(404).json({ error: "Note not found" });
    res.json(note);
  });

  router.post("/", (req, res) => {
    const { title, body } = validate(req.body);
    const now = new Date().toISOString();
    const note = { id: randomUUID(), title, body: body ?? "", createdAt: now, updatedAt: now };
    notes.set(note.id, note);
    res.status(201).location(`${req.baseUrl}/${note.id}`).json(note);
  });

  router.patch("/:id", (req, res) => {
    const note = notes.get(req.params.id);
    if (!note) return res.status(404).json({ error: "Note not found" });
    const { title, body } = validate(req.body, { partial: true });
    const updated = {
      ...note,
      ...(title !== undefined && { title }),
      ...(body !== undefined && { body }),
      updatedAt: new Date().toISOString(),
    };
    notes.set(note.id, updated);
    res.json(updated);
  });

  router.delete("/:id", (req, res) => {
    if (!notes.delete(req.params.id)) return res.status(404).json({ error: "Note not found" });
    res.status(204).end();
  });

  return router;
}
