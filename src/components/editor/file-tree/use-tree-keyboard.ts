"use client";

import type { KeyboardEvent } from "react";
import type { TreeNode } from "~/lib/file-tree";
import { parentPath } from "~/lib/paths";

interface TreeKeyboard {
  /** The rows as shown, top to bottom. */
  rows: { node: TreeNode }[];
  selected: string | null;
  expanded: ReadonlySet<string>;
  select(path: string): void;
  toggle(path: string): void;
  openFile(path: string): void;
  rename(node: TreeNode): void;
  remove(node: TreeNode): void;
}

/** The tree's keys (WAI-ARIA tree pattern): arrows move and fold, Enter opens, F2 renames, Delete deletes. */
export function useTreeKeyboard({ rows, selected, expanded, select, toggle, openFile, rename, remove }: TreeKeyboard) {
  return (event: KeyboardEvent<HTMLUListElement>) => {
    // Keys pressed in a row's actions menu bubble here through the portal: they are the menu's, not the tree's.
    if ((event.target as HTMLElement).getAttribute("role") !== "treeitem") return;
    const index = rows.findIndex(({ node }) => node.path === selected);
    const current = rows[index]?.node;
    const focusRow = (path: string | undefined) => {
      if (!path) return;
      select(path);
      requestAnimationFrame(() => document.getElementById(`tree-${path}`)?.focus());
    };
    switch (event.key) {
      case "ArrowDown":
        event.preventDefault();
        focusRow(rows[Math.min(rows.length - 1, index + 1)]?.node.path);
        break;
      case "ArrowUp":
        event.preventDefault();
        focusRow(rows[Math.max(0, index - 1)]?.node.path);
        break;
      case "ArrowRight":
        if (current?.kind === "folder" && !expanded.has(current.path)) toggle(current.path);
        break;
      case "ArrowLeft":
        if (current?.kind === "folder" && expanded.has(current.path)) toggle(current.path);
        else if (current) focusRow(parentPath(current.path) || undefined);
        break;
      case "Enter":
        if (current?.kind === "file") openFile(current.path);
        else if (current) toggle(current.path);
        break;
      case "F2":
        if (current) rename(current);
        break;
      case "Delete":
        if (current) remove(current);
        break;
    }
  };
}
