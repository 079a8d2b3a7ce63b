"use client";

import { useQuery } from "@tanstack/react-query";
import { ChevronDown, ChevronRight, File, FileWarning, Folder, FolderOpen } from "lucide-react";
import { useMemo, useState, type KeyboardEvent } from "react";
import { LazyReadOnlyView } from "~/components/editor/monaco/lazy";
import { Alert } from "~/components/ui/alert";
import { Card } from "~/components/ui/card";
import { formatBytes } from "~/lib/bytes";
import { cn } from "~/lib/cn";
import { buildFileTree, visibleNodes, type TreeNode } from "~/lib/file-tree";
import { languageForPath } from "~/lib/file-types";
import { parentPath } from "~/lib/paths";
import { useTRPC } from "~/trpc/react";

/** The file shown first: the README at the top if there is one, else the first file. */
function defaultFile(paths: string[]): string | null {
  return (
    paths.find((path) => path.toLowerCase() === "readme.md") ??
    paths.find((path) => !path.includes("/") && path.toLowerCase().startsWith("readme")) ??
    paths[0] ??
    null
  );
}

function treeId(path: string) {
  return `template-tree-${path}`;
}

/** The read-only tree (WAI-ARIA tree: arrows move and fold, Enter or Space shows a file). */
function ReadOnlyTree({
  nodes,
  selected,
  onSelect,
}: {
  nodes: TreeNode[];
  selected: string | null;
  onSelect(path: string): void;
}) {
  // Every folder starts open: templates are small, and seeing all their files at once is the point.
  const allFolders = useMemo(() => {
    const folders: string[] = [];
    const walk = (list: TreeNode[]) =>
      list.forEach((node) => node.kind === "folder" && (folders.push(node.path), walk(node.children)));
    walk(nodes);
    return folders;
  }, [nodes]);
  const [collapsed, setCollapsed] = useState<Set<string>>(() => new Set());
  const [focused, setFocused] = useState<string | null>(selected);
  const expanded = useMemo(
    () => new Set(allFolders.filter((folder) => !collapsed.has(folder))),
    [allFolders, collapsed],
  );
  const rows = visibleNodes(nodes, expanded);
  const current = focused && rows.some(({ node }) => node.path === focused) ? focused : (rows[0]?.node.path ?? null);

  function toggle(path: string, open?: boolean) {
    const next = new Set(collapsed);
    if (open ?? next.has(path)) next.delete(path);
    else next.add(path);
    setCollapsed(next);
  }

  function focusRow(path: string | undefined) {
    if (!path) return;
    setFocused(path);
    requestAnimationFrame(() => document.getElementById(treeId(path))?.focus());
  }

  function activate(node: TreeNode) {
    setFocused(node.path);
    if (node.kind === "folder") toggle(node.path);
    else onSelect(node.path);
  }

  function onKeyDown(event: KeyboardEvent<HTMLUListElement>) {
    const index = rows.findIndex(({ node }) => node.path === current);
    const node = rows[index]?.node;
    if (!node) return;
    switch (event.key) {
      case "ArrowDown":
        event.preventDefault();
        focusRow(rows[Math.min(rows.length - 1, index + 1)]?.node.path);
        break;
      case "ArrowUp":
        event.preventDefault();
        focusRow(rows[Math.max(0, index - 1)]?.node.path);
        break;
      case "Home":
        event.preventDefault();
        focusRow(rows[0]?.node.path);
        break;
      case "End":
        event.preventDefault();
        focusRow(rows[rows.length - 1]?.node.path);
        break;
      case "ArrowRight":
        event.preventDefault();
        if (node.kind === "folder" && !expanded.has(node.path)) toggle(node.path, true);
        else if (node.kind === "folder") focusRow(node.children[0]?.path);
        break;
      case "ArrowLeft":
        event.preventDefault();
        if (node.kind === "folder" && expanded.has(node.path)) toggle(node.path, false);
        else focusRow(parentPath(node.path) || undefined);
        break;
      case "Enter":
      case " ":
        event.preventDefault();
        activate(node);
        break;
    }
  }

  return (
    <ul role="tree" aria-label="Template files" onKeyDown={onKeyDown} className="py-1 text-sm">
      {rows.map(({ node, depth }) => {
        const folder = node.kind === "folder";
        const open = expanded.has(node.path);
        return (
          <li
            key={node.path}
            id={treeId(node.path)}
            role="treeitem"
            aria-level={depth + 1}
            aria-expanded={folder ? open : undefined}
            aria-selected={!folder && node.path === selected}
            tabIndex={node.path === current ? 0 : -1}
            onClick={() => activate(node)}
            onFocus={() => setFocused(node.path)}
            className={cn(
              "flex cursor-pointer items-center gap-1 py-0.5 pr-2 outline-none hover:bg-zinc-100 focus-visible:ring-2 focus-visible:ring-brand-500 focus-visible:ring-inset dark:hover:bg-zinc-800/60",
              !folder &&
                node.path === selected &&
                "bg-brand-50 text-brand-700 dark:bg-brand-700/20 dark:text-brand-100",
            )}
            style={{ paddingLeft: 8 + depth * 12 }}
          >
            {folder ? (
              <>
                {open ? (
                  <ChevronDown className="size-3.5 shrink-0" aria-hidden />
                ) : (
                  <ChevronRight className="size-3.5 shrink-0" aria-hidden />
                )}
                {open ? (
                  <FolderOpen className="size-4 shrink-0 text-brand-500" aria-hidden />
                ) : (
                  <Folder className="size-4 shrink-0 text-brand-500" aria-hidden />
                )}
              </>
            ) : (
              <File className="ml-[18px] size-4 shrink-0 text-zinc-400" aria-hidden />
            )}
            <span className="min-w-0 flex-1 truncate">{node.name}</span>
          </li>
        );
      })}
    </ul>
  );
}

function FilePreview({
  templateId,
  version,
  path,
  sizeBytes,
  isBinary,
}: {
  templateId: string;
  version: string;
  path: string;
  sizeBytes: number;
  isBinary: boolean;
}) {
  const trpc = useTRPC();
  const file = useQuery({
    ...trpc.template.files.queryOptions({ templateId, version, path }),
    enabled: !isBinary,
    staleTime: Infinity,
    // The previous file stays on screen while the next one loads, so the editor is not torn down in between.
    placeholderData: (previous) => previous,
  });
  if (isBinary) {
    return (
      <div className="flex h-full flex-col items-center justify-center gap-2 p-6 text-center text-sm text-zinc-600 dark:text-zinc-400">
        <FileWarning className="size-6" aria-hidden />
        <p data-testid="binary-file">Binary file, {formatBytes(sizeBytes)}: there is nothing to preview as text.</p>
      </div>
    );
  }
  if (file.isError) {
    return (
      <div className="p-4">
        <Alert tone="error">{file.error.message}</Alert>
      </div>
    );
  }
  if (!file.data?.file) {
    return (
      <div role="status" aria-busy="true" className="p-4 text-sm text-zinc-500">
        Loading {path}…
      </div>
    );
  }
  const shown = file.data.file;
  return (
    <LazyReadOnlyView
      path={shown.path}
      value={shown.content}
      language={languageForPath(shown.path)}
      ariaLabel={`Preview of ${shown.path} (read-only)`}
    />
  );
}

/** A version's files: the tree on the left, a read-only Monaco preview of the chosen file on the right. */
export function TemplateFiles({ templateId, version }: { templateId: string; version: string }) {
  const trpc = useTRPC();
  const tree = useQuery(trpc.template.files.queryOptions({ templateId, version }));
  const files = useMemo(() => tree.data?.files ?? [], [tree.data]);
  const paths = useMemo(() => files.map((file) => file.path), [files]);
  const nodes = useMemo(() => buildFileTree(paths), [paths]);
  const [chosen, setChosen] = useState<string | null>(null);
  const selected = chosen && paths.includes(chosen) ? chosen : defaultFile(paths);
  const selectedFile = files.find((file) => file.path === selected);

  return (
    <Card className="p-0">
      <section aria-labelledby="files-heading">
        <div className="flex flex-wrap items-baseline justify-between gap-2 border-b border-zinc-200 px-6 py-4 dark:border-zinc-800">
          <h2 id="files-heading" className="text-lg font-semibold tracking-tight">
            Files
          </h2>
          {tree.data && (
            <p className="text-sm text-zinc-600 dark:text-zinc-400">
              {files.length.toLocaleString("en-US")} {files.length === 1 ? "file" : "files"} in version {version}
              {selected && (
                <>
                  {" · "}
                  <span className="font-mono" data-testid="previewed-path">
                    {selected}
                  </span>
                </>
              )}
            </p>
          )}
        </div>
        {tree.isError && (
          <div className="p-6">
            <Alert tone="error">{tree.error.message}</Alert>
          </div>
        )}
        {tree.data && files.length === 0 && (
          <p className="px-6 py-10 text-center text-sm text-zinc-600 dark:text-zinc-400">This version has no files.</p>
        )}
        {files.length > 0 && (
          <div className="grid h-[30rem] grid-cols-1 md:grid-cols-[16rem_minmax(0,1fr)]">
            <div className="max-h-48 overflow-auto border-b border-zinc-200 md:max-h-none md:border-r md:border-b-0 dark:border-zinc-800">
              <ReadOnlyTree key={version} nodes={nodes} selected={selected} onSelect={setChosen} />
            </div>
            <div className="min-h-0 overflow-hidden rounded-br-xl">
              {selectedFile && (
                <FilePreview
                  templateId={templateId}
                  version={version}
                  path={selectedFile.path}
                  sizeBytes={selectedFile.sizeBytes}
                  isBinary={selectedFile.isBinary}
                />
              )}
            </div>
          </div>
        )}
      </section>
    </Card>
  );
}
