/** A folder or file of the project tree, built from the flat list of paths the server keeps. */
export interface TreeNode {
  name: string;
  path: string;
  kind: "folder" | "file";
  children: TreeNode[];
}

/** The placeholder that keeps an otherwise empty folder alive (paths are the only structure stored). */
export const FOLDER_PLACEHOLDER = ".gitkeep";

/** Builds the tree: folders first, then files, each sorted by name (natural order). */
export function buildFileTree(paths: readonly string[]): TreeNode[] {
  const root: TreeNode = { name: "", path: "", kind: "folder", children: [] };
  const folders = new Map<string, TreeNode>([["", root]]);
  for (const path of paths) {
    const segments = path.split("/");
    let parent = root;
    for (let index = 0; index < segments.length - 1; index++) {
      const folderPath = segments.slice(0, index + 1).join("/");
      let folder = folders.get(folderPath);
      if (!folder) {
        folder = { name: segments[index]!, path: folderPath, kind: "folder", children: [] };
        folders.set(folderPath, folder);
        parent.children.push(folder);
      }
      parent = folder;
    }
    const name = segments[segments.length - 1]!;
    if (name !== FOLDER_PLACEHOLDER) parent.children.push({ name, path, kind: "file", children: [] });
  }
  const collator = new Intl.Collator("en", { numeric: true, sensitivity: "base" });
  const sort = (node: TreeNode) => {
    node.children.sort((a, b) => (a.kind === b.kind ? collator.compare(a.name, b.name) : a.kind === "folder" ? -1 : 1));
    node.children.forEach(sort);
  };
  sort(root);
  return root.children;
}

/** The paths of the nodes a keyboard user can reach, in display order, given which folders are open. */
export function visibleNodes(
  nodes: readonly TreeNode[],
  expanded: ReadonlySet<string>,
  depth = 0,
): { node: TreeNode; depth: number }[] {
  return nodes.flatMap((node) => [
    { node, depth },
    ...(node.kind === "folder" && expanded.has(node.path) ? visibleNodes(node.children, expanded, depth + 1) : []),
  ]);
}
