/**
 * A commit's tree with some paths changed, written into a repository whose objects hold that tree: only the trees
 * on the way to a changed path are read and written again; every other entry (an untouched folder, a file the
 * project does not track: a symbolic link, a submodule, `node_modules/`) is kept as it was, same id and mode.
 */
import fs from "node:fs";
import git, { type TreeEntry } from "isomorphic-git";

/** A path made a blob (`oid`) or removed (`oid` null). */
export interface TreeEdit {
  path: string;
  oid: string | null;
}

/** A tree being edited: its entries by name, and the subtrees opened to edit below them. */
interface OpenTree {
  entries: Map<string, TreeEntry>;
  opened: Map<string, OpenTree>;
}

/** Regular files keep their mode when their content changes (an executable stays executable). */
const FILE_MODES = new Set(["100644", "100755"]);

async function openTree(dir: string, oid: string | null): Promise<OpenTree> {
  const entries = new Map<string, TreeEntry>();
  if (oid) for (const entry of (await git.readTree({ fs, dir, oid })).tree) entries.set(entry.path, entry);
  return { entries, opened: new Map() };
}

/**
 * The subtree `name` of `node`, opened; a missing one is new and empty when `create`, null otherwise. With
 * `create`, an entry that is not a folder (a symbolic link, a submodule the project does not track) gives way to
 * the folder of the project's file.
 */
async function openChild(dir: string, node: OpenTree, name: string, create: boolean): Promise<OpenTree | null> {
  const open = node.opened.get(name);
  if (open) return open;
  const entry = node.entries.get(name);
  if (entry?.type !== "tree" && !create) return null;
  const child = await openTree(dir, entry?.type === "tree" ? entry.oid : null);
  node.opened.set(name, child);
  return child;
}

/** Writes `node`'s opened subtrees, then `node`; answers its id, or null when it is empty (git has no empty folder). */
async function writeOpenTree(dir: string, node: OpenTree, root: boolean): Promise<string | null> {
  for (const [name, child] of node.opened) {
    const oid = await writeOpenTree(dir, child, false);
    if (oid === null) node.entries.delete(name);
    else node.entries.set(name, { mode: "040000", path: name, oid, type: "tree" });
  }
  if (node.entries.size === 0 && !root) return null;
  return git.writeTree({ fs, dir, tree: [...node.entries.values()] });
}

/**
 * Writes the tree `base` (a tree or commit id in `dir`; null: an empty one) with `edits` applied and answers its id.
 * A changed file keeps its mode from `base` when it was a regular file there; a new one is `100644`. A project
 * file's path wins over an entry the project does not track: a file replaces a symbolic link or a folder at its
 * path, a file's folder replaces a link. A folder left empty by the removals is removed.
 */
export async function writeEditedTree(dir: string, base: string | null, edits: readonly TreeEdit[]): Promise<string> {
  const root = await openTree(dir, base);
  for (const edit of edits) {
    const segments = edit.path.split("/");
    const name = segments.pop()!;
    let node: OpenTree | null = root;
    for (const segment of segments) {
      node = await openChild(dir, node, segment, edit.oid !== null);
      if (!node) break;
    }
    if (!node) continue;
    if (edit.oid === null) {
      if (node.entries.get(name)?.type === "blob") node.entries.delete(name);
      continue;
    }
    const before = node.entries.get(name);
    const mode = before?.type === "blob" && FILE_MODES.has(before.mode) ? before.mode : "100644";
    node.opened.delete(name);
    node.entries.set(name, { mode, path: name, oid: edit.oid, type: "blob" });
  }
  return (await writeOpenTree(dir, root, true))!;
}
