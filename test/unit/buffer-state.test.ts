import { describe, expect, it } from "vitest";
import {
  bufferClosed,
  bufferEdited,
  bufferLoaded,
  bufferMoved,
  bufferSaved,
  dirtyPaths,
  onBufferEdit,
} from "~/components/editor/buffer-state";

let projects = 0;
const newProject = () => `project-${++projects}`;

describe("unsaved buffers", () => {
  it("marks a buffer unsaved when its version id leaves the saved one, and saved again when undo brings it back", () => {
    const project = newProject();
    bufferLoaded(project, "a.ts", 1);
    expect(dirtyPaths(project).has("a.ts")).toBe(false);
    bufferEdited(project, "a.ts", 2);
    expect([...dirtyPaths(project)]).toEqual(["a.ts"]);
    bufferEdited(project, "a.ts", 1);
    expect(dirtyPaths(project).size).toBe(0);
  });

  it("keeps typing done during a save as unsaved", () => {
    const project = newProject();
    bufferLoaded(project, "a.ts", 1);
    bufferEdited(project, "a.ts", 2); // the save sends the text of version 2
    bufferEdited(project, "a.ts", 3); // typing while it is on its way
    bufferSaved(project, "a.ts", 2);
    expect(dirtyPaths(project).has("a.ts")).toBe(true);
    bufferSaved(project, "a.ts", 3);
    expect(dirtyPaths(project).has("a.ts")).toBe(false);
  });

  it("hands out the same set until a buffer flips between saved and unsaved, so keystrokes re-render nothing", () => {
    const project = newProject();
    bufferLoaded(project, "a.ts", 1);
    bufferEdited(project, "a.ts", 2);
    const first = dirtyPaths(project);
    bufferEdited(project, "a.ts", 3);
    bufferEdited(project, "a.ts", 4);
    expect(dirtyPaths(project)).toBe(first);
  });

  it("keeps a renamed buffer unsaved (its new model has a fresh history) and a saved one saved", () => {
    const project = newProject();
    bufferLoaded(project, "src/a.ts", 5);
    bufferLoaded(project, "src/b.ts", 7);
    bufferEdited(project, "src/a.ts", 6);
    bufferMoved(project, "src/a.ts", "lib/a.ts", 1);
    bufferMoved(project, "src/b.ts", "lib/b.ts", 1);
    expect([...dirtyPaths(project)]).toEqual(["lib/a.ts"]);
    bufferSaved(project, "lib/a.ts", 1);
    expect(dirtyPaths(project).size).toBe(0);
  });

  it("forgets closed buffers, a whole folder, or a whole project, and reports edits to listeners", () => {
    const project = newProject();
    const edits: string[] = [];
    const unsubscribe = onBufferEdit((id, path) => id === project && edits.push(path));
    for (const path of ["src/a.ts", "src/b.ts", "README.md"]) {
      bufferLoaded(project, path, 1);
      bufferEdited(project, path, 2);
    }
    unsubscribe();
    bufferEdited(project, "README.md", 3);
    expect(edits).toEqual(["src/a.ts", "src/b.ts", "README.md"]);
    bufferClosed(project, "src");
    expect([...dirtyPaths(project)]).toEqual(["README.md"]);
    bufferClosed(project);
    expect(dirtyPaths(project).size).toBe(0);
  });
});
