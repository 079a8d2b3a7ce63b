"use client";

import { useQuery } from "@tanstack/react-query";
import { FilePlus, FolderPlus, Upload } from "lucide-react";
import { useMemo, useRef, useState, useSyncExternalStore, type DragEvent } from "react";
import { Alert } from "~/components/ui/alert";
import { ConfirmDialog } from "~/components/ui/confirm-dialog";
import { PromptDialog } from "~/components/ui/prompt-dialog";
import { base64ToBytes, bytesToBase64, decodeText, formatBytes } from "~/lib/bytes";
import { cn } from "~/lib/cn";
import { buildFileTree, visibleNodes, type TreeNode } from "~/lib/file-tree";
import { ancestorPaths, baseName, isSameOrInside, normalizeFilePath, parentPath } from "~/lib/paths";
import { useTRPC } from "~/trpc/react";
import { useIdeActions, useIdeState, useUnsaved } from "../ide-provider";
import { DRAG_TYPE, TreeRow, type RowAction } from "./row";
import { useTreeKeyboard } from "./use-tree-keyboard";

type Prompt = { kind: "file" | "folder"; folder: string } | { kind: "rename"; path: string } | null;

function checkedPath(value: string): string {
  const result = normalizeFilePath(value);
  if (!result.ok) throw new Error(result.message);
  return result.path;
}

/** Saves a download in the browser. */
function download(name: string, bytes: BlobPart, type: string) {
  const url = URL.createObjectURL(new Blob([bytes], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

const folderOf = (node: TreeNode | null) => (node ? (node.kind === "folder" ? node.path : parentPath(node.path)) : "");

const toolbarButton =
  "inline-flex size-7 items-center justify-center rounded text-zinc-600 hover:bg-zinc-200 dark:text-zinc-400 dark:hover:bg-zinc-800";

/** The project's files as a tree: open, create, rename, move (drag and drop), delete, upload, download. */
const noSubscription = () => () => {};

export function FileTree() {
  const { openFile, create, move, remove, refresh, readFile } = useIdeActions();
  const { paths, state } = useIdeState();
  const unsaved = useUnsaved();
  const trpc = useTRPC();
  // The server's limit (FILE_MAX_BYTES); until it is known, the server alone refuses a file too large.
  const { data: config } = useQuery({ ...trpc.file.config.queryOptions(), staleTime: Infinity });
  const tree = useMemo(() => buildFileTree(paths), [paths]);
  const [expanded, setExpanded] = useState<Set<string>>(() => new Set());
  const [selected, setSelected] = useState<string | null>(null);
  const [prompt, setPrompt] = useState<Prompt>(null);
  const [deleting, setDeleting] = useState<TreeNode | null>(null);
  const [dropTarget, setDropTarget] = useState<string | null>(null);
  const [error, setError] = useState<string>();
  // Files picked before hydration would be dropped: tests (and nothing else) wait for data-ready.
  const hydrated = useSyncExternalStore(
    noSubscription,
    () => true,
    () => false,
  );
  const uploadInput = useRef<HTMLInputElement>(null);
  const rows = visibleNodes(tree, expanded);

  // Keep the active file visible in the tree.
  const active = state.active;
  const [revealed, setRevealed] = useState<string | null>(null);
  if (active && active !== revealed) {
    setRevealed(active);
    const missing = ancestorPaths(active).filter((folder) => !expanded.has(folder));
    if (missing.length > 0) setExpanded(new Set([...expanded, ...missing]));
  }

  const selectedNode = rows.find(({ node }) => node.path === selected)?.node ?? null;

  function toggle(path: string) {
    const next = new Set(expanded);
    if (next.has(path)) next.delete(path);
    else next.add(path);
    setExpanded(next);
  }

  async function onDrop(event: DragEvent, folder: string) {
    event.preventDefault();
    setDropTarget(null);
    const from = event.dataTransfer.getData(DRAG_TYPE);
    if (!from) return;
    if (isSameOrInside(folder, from)) return setError("A folder cannot be moved into itself.");
    const to = folder ? `${folder}/${baseName(from)}` : baseName(from);
    setError(undefined);
    await move(from, to).catch((failure: Error) => setError(failure.message));
  }

  async function upload(files: FileList, folder: string) {
    setError(undefined);
    for (const file of Array.from(files)) {
      if (config && file.size > config.fileMaxBytes) {
        setError(
          `${file.name} is ${formatBytes(file.size)}; files can be at most ${formatBytes(config.fileMaxBytes)}.`,
        );
        continue;
      }
      const bytes = new Uint8Array(await file.arrayBuffer());
      const text = decodeText(bytes);
      const path = folder ? `${folder}/${file.name}` : file.name;
      try {
        await create(
          text === null
            ? { path, kind: "file", content: bytesToBase64(bytes), encoding: "base64" }
            : { path, kind: "file", content: text },
        );
      } catch (failure) {
        setError(`${file.name}: ${(failure as Error).message}`);
      }
    }
    await refresh();
  }

  async function downloadFile(path: string) {
    const file = await readFile(path);
    download(
      baseName(path),
      file.isBinary ? (base64ToBytes(file.content) as Uint8Array<ArrayBuffer>) : file.content,
      file.mimeType,
    );
  }

  function onAction(action: RowAction, node: TreeNode) {
    if (action === "newFile") setPrompt({ kind: "file", folder: node.path });
    else if (action === "newFolder") setPrompt({ kind: "folder", folder: node.path });
    else if (action === "rename") setPrompt({ kind: "rename", path: node.path });
    else if (action === "download") void downloadFile(node.path).catch((failure: Error) => setError(failure.message));
    else setDeleting(node);
  }

  const onKeyDown = useTreeKeyboard({
    rows,
    selected,
    expanded,
    select: setSelected,
    toggle,
    openFile,
    rename: (node) => onAction("rename", node),
    remove: (node) => onAction("delete", node),
  });

  return (
    <div className="flex h-full flex-col" onDragOver={(event) => event.preventDefault()}>
      <div className="flex items-center justify-between border-b border-zinc-200 px-3 py-1.5 dark:border-zinc-800">
        <h2 className="text-xs font-semibold uppercase tracking-wide text-zinc-500">Files</h2>
        <div className="flex items-center">
          <button
            type="button"
            className={toolbarButton}
            title="New file"
            aria-label="New file"
            onClick={() => setPrompt({ kind: "file", folder: folderOf(selectedNode) })}
          >
            <FilePlus className="size-4" aria-hidden />
          </button>
          <button
            type="button"
            className={toolbarButton}
            title="New folder"
            aria-label="New folder"
            onClick={() => setPrompt({ kind: "folder", folder: folderOf(selectedNode) })}
          >
            <FolderPlus className="size-4" aria-hidden />
          </button>
          <button
            type="button"
            className={toolbarButton}
            title="Upload files"
            aria-label="Upload files"
            onClick={() => uploadInput.current?.click()}
          >
            <Upload className="size-4" aria-hidden />
          </button>
          <input
            ref={uploadInput}
            type="file"
            multiple
            hidden
            data-testid="upload-input"
            data-ready={hydrated}
            onChange={(event) => {
              if (event.target.files) void upload(event.target.files, folderOf(selectedNode));
              event.target.value = "";
            }}
          />
        </div>
      </div>
      {error && (
        <div className="p-2">
          <Alert tone="error">{error}</Alert>
        </div>
      )}
      <div
        className={cn("min-h-0 flex-1 overflow-auto py-1", dropTarget === "" && "bg-brand-50 dark:bg-brand-700/10")}
        onDragOver={(event) => (event.preventDefault(), setDropTarget(""))}
        onDragLeave={() => setDropTarget(null)}
        onDrop={(event) => void onDrop(event, "")}
      >
        {rows.length === 0 ? (
          <p className="px-3 py-6 text-center text-sm text-zinc-500">
            No files yet. Create one, upload some, or import a zip.
          </p>
        ) : (
          <ul role="tree" aria-label="Project files" onKeyDown={onKeyDown} className="text-sm">
            {rows.map(({ node, depth }) => (
              <TreeRow
                key={node.path}
                node={node}
                depth={depth}
                open={expanded.has(node.path)}
                active={node.path === state.active}
                unsaved={unsaved.has(node.path)}
                selected={node.path === selected}
                focusable={node.path === selected || (!selected && rows[0]?.node === node)}
                dropTarget={dropTarget === node.path}
                onClick={() => {
                  setSelected(node.path);
                  if (node.kind === "folder") toggle(node.path);
                  else openFile(node.path);
                }}
                onDragOverFolder={setDropTarget}
                onDropOnFolder={(event, folder) => void onDrop(event, folder)}
                onAction={onAction}
              />
            ))}
          </ul>
        )}
      </div>

      <PromptDialog
        open={prompt !== null}
        onOpenChange={(open) => !open && setPrompt(null)}
        title={prompt?.kind === "rename" ? "Rename or move" : prompt?.kind === "folder" ? "New folder" : "New file"}
        description={
          prompt?.kind === "rename"
            ? "Change the name, or the folders in front of it to move it."
            : "Use / to put it in a folder."
        }
        label="Path"
        initialValue={prompt?.kind === "rename" ? prompt.path : prompt?.folder ? `${prompt.folder}/` : ""}
        confirmLabel={prompt?.kind === "rename" ? "Rename" : "Create"}
        onSubmit={async (value) => {
          const path = checkedPath(value);
          if (!prompt) return;
          if (prompt.kind === "rename") {
            await move(prompt.path, path);
            return;
          }
          await create({ path, kind: prompt.kind });
          if (prompt.kind === "file") openFile(path);
          else setExpanded(new Set([...expanded, ...ancestorPaths(`${path}/x`)]));
        }}
      />
      {deleting && (
        <ConfirmDialog
          open
          onOpenChange={(open) => !open && setDeleting(null)}
          title={`Delete ${deleting.name}?`}
          description={
            deleting.kind === "folder"
              ? "Every file in this folder is deleted. Their history is kept: you can restore them from the History panel."
              : "Its history is kept: you can restore it from the History panel."
          }
          confirmLabel="Delete"
          onConfirm={() => void remove(deleting.path).catch((failure: Error) => setError(failure.message))}
        />
      )}
    </div>
  );
}
