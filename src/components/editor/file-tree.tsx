"use client";

import * as DropdownMenu from "@radix-ui/react-dropdown-menu";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { ChevronDown, ChevronRight, Download, File, FilePlus, Folder, FolderOpen, FolderPlus, MoreHorizontal, Pencil, Trash2, Upload } from "lucide-react";
import { useMemo, useRef, useState, type DragEvent, type KeyboardEvent } from "react";
import { Alert } from "~/components/ui/alert";
import { ConfirmDialog } from "~/components/ui/confirm-dialog";
import { PromptDialog } from "~/components/ui/prompt-dialog";
import { base64ToBytes, bytesToBase64, decodeText, formatBytes } from "~/lib/bytes";
import { cn } from "~/lib/cn";
import { buildFileTree, visibleNodes, type TreeNode } from "~/lib/file-tree";
import { ancestorPaths, baseName, isSameOrInside, normalizeFilePath, parentPath } from "~/lib/paths";
import { DEFAULT_FILE_MAX_BYTES } from "~/lib/schemas/file";
import { useTRPC } from "~/trpc/react";
import { isDirty } from "./ide-state";
import { useIde } from "./ide-provider";
import { disposeEditorModel, renameEditorModel } from "./monaco/lazy";

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

/** The project's files as a tree: open, create, rename, move (drag and drop), delete, upload, download. */
export function FileTree() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { projectId, paths, state, openFile, dispatch, refresh } = useIde();
  const tree = useMemo(() => buildFileTree(paths), [paths]);
  const [expanded, setExpanded] = useState<Set<string>>(() => new Set());
  const [selected, setSelected] = useState<string | null>(null);
  const [prompt, setPrompt] = useState<Prompt>(null);
  const [deleting, setDeleting] = useState<TreeNode | null>(null);
  const [dropTarget, setDropTarget] = useState<string | null>(null);
  const [error, setError] = useState<string>();
  const uploadInput = useRef<HTMLInputElement>(null);
  const rows = visibleNodes(tree, expanded);

  const create = useMutation(trpc.file.create.mutationOptions());
  const move = useMutation(trpc.file.move.mutationOptions());
  const remove = useMutation(trpc.file.delete.mutationOptions());

  // Keep the active file visible in the tree.
  const active = state.active;
  const [revealed, setRevealed] = useState<string | null>(null);
  if (active && active !== revealed) {
    setRevealed(active);
    const missing = ancestorPaths(active).filter((folder) => !expanded.has(folder));
    if (missing.length > 0) setExpanded(new Set([...expanded, ...missing]));
  }

  const folderOf = (node: TreeNode | null) => (node ? (node.kind === "folder" ? node.path : parentPath(node.path)) : "");
  const selectedNode = rows.find(({ node }) => node.path === selected)?.node ?? null;

  function toggle(path: string) {
    const next = new Set(expanded);
    if (next.has(path)) next.delete(path);
    else next.add(path);
    setExpanded(next);
  }

  async function moveTo(from: string, to: string) {
    if (from === to) return;
    await move.mutateAsync({ projectId, from, to });
    dispatch({ type: "renamed", from, to });
    renameEditorModel(projectId, from, to);
    await refresh();
  }

  async function onDrop(event: DragEvent, folder: string) {
    event.preventDefault();
    setDropTarget(null);
    const from = event.dataTransfer.getData("application/x-vaporform-path");
    if (!from) return;
    if (isSameOrInside(folder, from)) return setError("A folder cannot be moved into itself.");
    const to = folder ? `${folder}/${baseName(from)}` : baseName(from);
    setError(undefined);
    await moveTo(from, to).catch((failure: Error) => setError(failure.message));
  }

  async function upload(files: FileList, folder: string) {
    setError(undefined);
    for (const file of Array.from(files)) {
      if (file.size > DEFAULT_FILE_MAX_BYTES) {
        setError(`${file.name} is ${formatBytes(file.size)}; files can be at most ${formatBytes(DEFAULT_FILE_MAX_BYTES)}.`);
        continue;
      }
      const bytes = new Uint8Array(await file.arrayBuffer());
      const text = decodeText(bytes);
      const path = folder ? `${folder}/${file.name}` : file.name;
      try {
        await create.mutateAsync(
          text === null
            ? { projectId, path, kind: "file", content: bytesToBase64(bytes), encoding: "base64" }
            : { projectId, path, kind: "file", content: text },
        );
      } catch (failure) {
        setError(`${file.name}: ${(failure as Error).message}`);
      }
    }
    await refresh();
  }

  async function downloadFile(path: string) {
    const file = await queryClient.fetchQuery({ ...trpc.file.read.queryOptions({ projectId, path }), staleTime: 0 });
    download(baseName(path), file.isBinary ? (base64ToBytes(file.content) as Uint8Array<ArrayBuffer>) : file.content, file.mimeType);
  }

  function onKeyDown(event: KeyboardEvent<HTMLUListElement>) {
    // Keys pressed in a row's actions menu bubble here through the portal: they are the menu's, not the tree's.
    if ((event.target as HTMLElement).getAttribute("role") !== "treeitem") return;
    const index = rows.findIndex(({ node }) => node.path === selected);
    const current = rows[index]?.node;
    const focusRow = (path: string | undefined) => {
      if (!path) return;
      setSelected(path);
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
        if (current) setPrompt({ kind: "rename", path: current.path });
        break;
      case "Delete":
        if (current) setDeleting(current);
        break;
    }
  }

  const toolbarButton =
    "inline-flex size-7 items-center justify-center rounded text-zinc-600 hover:bg-zinc-200 dark:text-zinc-400 dark:hover:bg-zinc-800";

  return (
    <div className="flex h-full flex-col" onDragOver={(event) => event.preventDefault()}>
      <div className="flex items-center justify-between border-b border-zinc-200 px-3 py-1.5 dark:border-zinc-800">
        <h2 className="text-xs font-semibold uppercase tracking-wide text-zinc-500">Files</h2>
        <div className="flex items-center">
          <button type="button" className={toolbarButton} title="New file" aria-label="New file" onClick={() => setPrompt({ kind: "file", folder: folderOf(selectedNode) })}>
            <FilePlus className="size-4" aria-hidden />
          </button>
          <button type="button" className={toolbarButton} title="New folder" aria-label="New folder" onClick={() => setPrompt({ kind: "folder", folder: folderOf(selectedNode) })}>
            <FolderPlus className="size-4" aria-hidden />
          </button>
          <button type="button" className={toolbarButton} title="Upload files" aria-label="Upload files" onClick={() => uploadInput.current?.click()}>
            <Upload className="size-4" aria-hidden />
          </button>
          <input
            ref={uploadInput}
            type="file"
            multiple
            hidden
            data-testid="upload-input"
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
          <p className="px-3 py-6 text-center text-sm text-zinc-500">No files yet. Create one, upload some, or import a zip.</p>
        ) : (
          <ul role="tree" aria-label="Project files" onKeyDown={onKeyDown} className="text-sm">
            {rows.map(({ node, depth }) => {
              const open = expanded.has(node.path);
              const isActive = node.path === state.active;
              const dirty = isDirty(state.files[node.path]);
              return (
                <li
                  key={node.path}
                  id={`tree-${node.path}`}
                  role="treeitem"
                  aria-level={depth + 1}
                  aria-expanded={node.kind === "folder" ? open : undefined}
                  aria-selected={node.path === selected}
                  tabIndex={node.path === selected || (!selected && rows[0]?.node === node) ? 0 : -1}
                  draggable
                  onDragStart={(event) => event.dataTransfer.setData("application/x-vaporform-path", node.path)}
                  onDragOver={(event) => {
                    if (node.kind !== "folder") return;
                    event.preventDefault();
                    event.stopPropagation();
                    setDropTarget(node.path);
                  }}
                  onDrop={(event) => {
                    if (node.kind !== "folder") return;
                    event.stopPropagation();
                    void onDrop(event, node.path);
                  }}
                  onClick={() => {
                    setSelected(node.path);
                    if (node.kind === "folder") toggle(node.path);
                    else openFile(node.path);
                  }}
                  className={cn(
                    "group flex cursor-pointer items-center gap-1 py-0.5 pr-1 outline-none hover:bg-zinc-100 focus-visible:ring-2 focus-visible:ring-inset focus-visible:ring-brand-500 dark:hover:bg-zinc-800/60",
                    isActive && "bg-brand-50 text-brand-700 dark:bg-brand-700/20 dark:text-brand-100",
                    dropTarget === node.path && "bg-brand-100 dark:bg-brand-700/30",
                  )}
                  style={{ paddingLeft: 8 + depth * 12 }}
                >
                  {node.kind === "folder" ? (
                    <>
                      {open ? <ChevronDown className="size-3.5 shrink-0" aria-hidden /> : <ChevronRight className="size-3.5 shrink-0" aria-hidden />}
                      {open ? <FolderOpen className="size-4 shrink-0 text-brand-500" aria-hidden /> : <Folder className="size-4 shrink-0 text-brand-500" aria-hidden />}
                    </>
                  ) : (
                    <File className="ml-[18px] size-4 shrink-0 text-zinc-400" aria-hidden />
                  )}
                  <span className="min-w-0 flex-1 truncate">{node.name}</span>
                  {dirty && <span className="size-2 rounded-full bg-amber-500" aria-label="unsaved changes" />}
                  <DropdownMenu.Root>
                    <DropdownMenu.Trigger
                      aria-label={`Actions for ${node.name}`}
                      onClick={(event) => event.stopPropagation()}
                      className="rounded p-0.5 opacity-0 hover:bg-zinc-200 focus:opacity-100 group-hover:opacity-100 data-[state=open]:opacity-100 dark:hover:bg-zinc-700"
                    >
                      <MoreHorizontal className="size-4" aria-hidden />
                    </DropdownMenu.Trigger>
                    <DropdownMenu.Portal>
                      <DropdownMenu.Content
                        align="start"
                        onClick={(event) => event.stopPropagation()}
                        className="z-50 min-w-44 rounded-lg border border-zinc-200 bg-white p-1 text-sm shadow-lg dark:border-zinc-800 dark:bg-zinc-900"
                      >
                        {node.kind === "folder" && (
                          <>
                            <MenuItem icon={FilePlus} label="New file here" onSelect={() => setPrompt({ kind: "file", folder: node.path })} />
                            <MenuItem icon={FolderPlus} label="New folder here" onSelect={() => setPrompt({ kind: "folder", folder: node.path })} />
                          </>
                        )}
                        <MenuItem icon={Pencil} label="Rename or move" onSelect={() => setPrompt({ kind: "rename", path: node.path })} />
                        {node.kind === "file" && <MenuItem icon={Download} label="Download" onSelect={() => void downloadFile(node.path).catch((failure: Error) => setError(failure.message))} />}
                        <MenuItem icon={Trash2} label="Delete" danger onSelect={() => setDeleting(node)} />
                      </DropdownMenu.Content>
                    </DropdownMenu.Portal>
                  </DropdownMenu.Root>
                </li>
              );
            })}
          </ul>
        )}
      </div>

      <PromptDialog
        open={prompt !== null}
        onOpenChange={(open) => !open && setPrompt(null)}
        title={prompt?.kind === "rename" ? "Rename or move" : prompt?.kind === "folder" ? "New folder" : "New file"}
        description={prompt?.kind === "rename" ? "Change the name, or the folders in front of it to move it." : "Use / to put it in a folder."}
        label="Path"
        initialValue={prompt?.kind === "rename" ? prompt.path : prompt?.folder ? `${prompt.folder}/` : ""}
        confirmLabel={prompt?.kind === "rename" ? "Rename" : "Create"}
        onSubmit={async (value) => {
          const path = checkedPath(value);
          if (!prompt) return;
          if (prompt.kind === "rename") {
            await moveTo(prompt.path, path);
            return;
          }
          await create.mutateAsync({ projectId, path, kind: prompt.kind });
          await queryClient.invalidateQueries({ queryKey: trpc.file.list.queryKey({ projectId }) });
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
          onConfirm={() => {
            const path = deleting.path;
            remove
              .mutateAsync({ projectId, path })
              .then(async () => {
                dispatch({ type: "removed", paths: [path] });
                disposeEditorModel(projectId, path);
                await refresh();
              })
              .catch((failure: Error) => setError(failure.message));
          }}
        />
      )}
    </div>
  );
}

function MenuItem({ icon: Icon, label, onSelect, danger }: { icon: typeof File; label: string; onSelect(): void; danger?: boolean }) {
  return (
    <DropdownMenu.Item
      onSelect={onSelect}
      className={cn(
        "flex cursor-pointer items-center gap-2 rounded px-2 py-1.5 outline-none data-[highlighted]:bg-zinc-100 dark:data-[highlighted]:bg-zinc-800",
        danger && "text-red-600 dark:text-red-400",
      )}
    >
      <Icon className="size-4" aria-hidden /> {label}
    </DropdownMenu.Item>
  );
}
