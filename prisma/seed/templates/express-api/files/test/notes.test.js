import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createApp } from "../src/app.js";

let server;
let baseUrl;

before(async () => {
  server = createApp().listen(0);
  await new Promise((resolve) => server.once("listening", resolve));
  baseUrl = `http://127.0.0.1:${server.address().port}`;
});

after(() => new Promise((resolve) => server.close(resolve)));

function request(path, { method = "GET", body } = {}) {
  return fetch(`${baseUrl}${path}`, {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

describe("notes API", () => {
  it("answers the health check", async () => {
    const res = await request("/health");
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { status: "ok" });
  });

  it("creates, reads, updates and deletes a note", async () => {
    const created = await request("/api/notes", { method: "POST", body: { title: " Hello ", body: "World" } });
    assert.equal(created.status, 201);
    const note = await created.json();
    assert.equal(note.title, "Hello");
    assert.equal(created.headers.get("location"), `/api/notes/${note.id}`);

    const fetched = await request(`/api/notes/${note.id}`);
    assert.deepEqual(await fetched.json(), note);

    const patched = await request(`/api/notes/${note.id}`, { method: "PATCH", body: { body: "Changed" } });
    const updated = await patched.json();
    assert.equal(updated.title, "Hello");
    assert.equal(updated.body, "Changed");

    const deleted = await request(`/api/notes/${note.id}`, { method: "DELETE" });
    assert.equal(deleted.status, 204);
    assert.equal((await request(`/api/notes/${note.id}`)).status, 404);
  });

  it("rejects a note without a title", async () => {
    const res = await request("/api/notes", { method: "POST", body: { body: "no title" } });
    assert.equal(res.status, 400);
    assert.deepEqual(await res.json(), { error: "title is required" });
  });

  it("answers 400 for malformed JSON", async () => {
    const res = await fetch(`${baseUrl}/api/notes`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{not json",
    });
    assert.equal(res.status, 400);
  });

  it("answers 404 for unknown routes", async () => {
    assert.equal((await request("/nope")).status, 404);
  });
});
