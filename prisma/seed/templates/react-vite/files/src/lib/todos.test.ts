import { describe, expect, it } from "vitest";
import { remaining, todosReducer, type Todo } from "./todos";

const start: Todo[] = [{ id: "a", title: "First", done: false }];

describe("todosReducer", () => {
  it("adds a todo that is not done", () => {
    const next = todosReducer(start, { type: "add", title: "Second" });
    expect(next).toHaveLength(2);
    expect(next[1]).toMatchObject({ title: "Second", done: false });
  });

  it("toggles a todo without mutating the previous state", () => {
    const next = todosReducer(start, { type: "toggle", id: "a" });
    expect(next[0]?.done).toBe(true);
    expect(start[0]?.done).toBe(false);
  });

  it("removes a todo", () => {
    expect(todosReducer(start, { type: "remove", id: "a" })).toEqual([]);
  });
});

describe("remaining", () => {
  it("counts todos that are not done", () => {
    expect(remaining([...start, { id: "b", title: "Done", done: true }])).toBe(1);
  });
});
