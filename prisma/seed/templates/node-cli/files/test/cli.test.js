import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { run } from "../src/cli.js";

function capture() {
  let text = "";
  return { write: (chunk) => { text += chunk; }, get text() { return text; } };
}

async function todo(args, env) {
  const stdout = capture();
  const stderr = capture();
  const code = await run(args, { env, stdout, stderr });
  return { code, out: stdout.text, err: stderr.text };
}

describe("todo", () => {
  let dir;
  let env;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "todo-cli-"));
    env = { TODO_FILE: join(dir, "todo.json") };
  });

  after(() => rm(dir, { recursive: true, force: true }));

  it("adds, lists and completes tasks", async () => {
    assert.equal((await todo(["add", "write", "tests"], env)).out, "Added #1: write tests\n");
    await todo(["add", "ship it"], env);
    assert.equal((await todo(["list"], env)).out, "[ ] #1 write tests\n[ ] #2 ship it\n");

    assert.equal((await todo(["done", "1"], env)).code, 0);
    assert.equal((await todo(["list"], env)).out, "[ ] #2 ship it\n");
    assert.equal((await todo(["list", "--all"], env)).out, "[x] #1 write tests\n[ ] #2 ship it\n");
  });

  it("fails with exit code 1 for an unknown task", async () => {
    const { code, err } = await todo(["rm", "99"], env);
    assert.equal(code, 1);
    assert.match(err, /no task #99/);
  });

  it("fails with exit code 2 for bad usage", async () => {
    assert.equal((await todo(["frobnicate"], env)).code, 2);
    assert.equal((await todo(["done", "abc"], env)).code, 2);
    assert.equal((await todo(["--nope"], env)).code, 2);
  });

  it("prints help", async () => {
    const { code, out } = await todo(["--help"], env);
    assert.equal(code, 0);
    assert.match(out, /Usage: todo/);
  });
});
