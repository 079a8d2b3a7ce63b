"use client";

import * as DropdownMenu from "@radix-ui/react-dropdown-menu";
import {
  ChevronDown,
  ChevronRight,
  Download,
  File,
  FilePlus,
  Folder,
  FolderOpen,
  FolderPlus,
  MoreHorizontal,
  Pencil,
  Trash2,
} from "lucide-react";
import type { DragEvent } from "react";
import { cn } from "~/lib/cn";
import type { TreeNode } from "~/lib/file-tree";

/** What a row's actions menu asks the tree to do. */
export type RowAction = "newFile" | "newFolder" | "rename" | "download" | "delete";

/** Where a dragged row carries its path. */
export const DRAG_TYPE = "application/x-vaporform-path";

export interface TreeRowProps {
  node: TreeNode;
  depth: number;
  open: boolean;
  active: boolean;
  unsaved: boolean;
  selected: boolean;
  /** The one row reachable with Tab (roving tabindex). */
  focusable: boolean;
  dropTarget: boolean;
  onClick(node: TreeNode): void;
  onDragOverFolder(path: string): void;
  onDropOnFolder(event: DragEvent, path: string): void;
  onAction(action: RowAction, node: TreeNode): void;
}

/** One file or folder: click to open or toggle, drag to move, drop onto a folder, and an actions menu. */
export function TreeRow({
  node,
  depth,
  open,
  active,
  unsaved,
  selected,
  focusable,
  dropTarget,
  onClick,
  onDragOverFolder,
  onDropOnFolder,
  onAction,
}: TreeRowProps) {
  const folder = node.kind === "folder";
  return (
    <li
      id={`tree-${node.path}`}
      role="treeitem"
      aria-level={depth + 1}
      aria-expanded={folder ? open : undefined}
      aria-selected={selected}
      tabIndex={focusable ? 0 : -1}
      draggable
      onDragStart={(event) => event.dataTransfer.setData(DRAG_TYPE, node.path)}
      onDragOver={(event) => {
        if (!folder) return;
        event.preventDefault();
        event.stopPropagation();
        onDragOverFolder(node.path);
      }}
      onDrop={(event) => {
        if (!folder) return;
        event.stopPropagation();
        onDropOnFolder(event, node.path);
      }}
      onClick={() => onClick(node)}
      className={cn(
        "group flex cursor-pointer items-center gap-1 py-0.5 pr-1 outline-none hover:bg-zinc-100 focus-visible:ring-2 focus-visible:ring-inset focus-visible:ring-brand-500 dark:hover:bg-zinc-800/60",
        active && "bg-brand-50 text-brand-700 dark:bg-brand-700/20 dark:text-brand-100",
        dropTarget && "bg-brand-100 dark:bg-brand-700/30",
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
      {unsaved && <span className="size-2 rounded-full bg-amber-500" aria-label="unsaved changes" />}
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
            {folder && (
              <>
                <MenuItem icon={FilePlus} label="New file here" onSelect={() => onAction("newFile", node)} />
                <MenuItem icon={FolderPlus} label="New folder here" onSelect={() => onAction("newFolder", node)} />
              </>
            )}
            <MenuItem icon={Pencil} label="Rename or move" onSelect={() => onAction("rename", node)} />
            {!folder && <MenuItem icon={Download} label="Download" onSelect={() => onAction("download", node)} />}
            <MenuItem icon={Trash2} label="Delete" danger onSelect={() => onAction("delete", node)} />
          </DropdownMenu.Content>
        </DropdownMenu.Portal>
      </DropdownMenu.Root>
    </li>
  );
}

function MenuItem({
  icon: Icon,
  label,
  onSelect,
  danger,
}: {
  icon: typeof File;
  label: string;
  onSelect(): void;
  danger?: boolean;
}) {
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
