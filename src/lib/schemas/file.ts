/**
 * Inputs of the file procedures (the IDE's file tree, editor, history and zip import). Client-safe.
 * Size limits are enforced by the server from its configuration (FILE_MAX_BYTES, IMPORT_*); the bounds here only
 * stop absurd payloads before they are parsed.
 */
import { z } from "zod";
import { ZFilePath } from "~/lib/paths";

const CONTENT_CEILING = 64 * 1024 * 1024;

const ZProjectId = z.uuid();
const ZVersion = z.number().int().min(1).max(2_147_483_647);

/** file.list (the live files) and file.listDeleted (paths with versions but no live file). */
export const ZListFilesInput = z.object({ projectId: ZProjectId });
export type TListFilesInput = z.infer<typeof ZListFilesInput>;

export const ZReadFileInput = z.object({
  projectId: ZProjectId,
  path: ZFilePath,
  /** A past version (also of a deleted file); the live file when omitted. */
  version: ZVersion.optional(),
  /** Which file's version, when a path held several files over time (from file.history); optional. */
  fileId: z.uuid().optional(),
});
export type TReadFileInput = z.infer<typeof ZReadFileInput>;

export const ZSaveFileInput = z.object({
  projectId: ZProjectId,
  path: ZFilePath,
  content: z.string().max(CONTENT_CEILING, "This file is too large."),
  /**
   * The file the editor loaded (its id) and its version then. A save based on another file (the path was deleted
   * and created again) or on an older version is refused with the current content.
   */
  fileId: z.uuid(),
  baseVersion: ZVersion,
});
export type TSaveFileInput = z.infer<typeof ZSaveFileInput>;

export const ZCreateFileInput = z.object({
  projectId: ZProjectId,
  path: ZFilePath,
  kind: z.enum(["file", "folder"]).default("file"),
  content: z.string().max(CONTENT_CEILING, "This file is too large.").optional(),
  /** "base64": `content` is the file's bytes in base64 (binary uploads such as images). */
  encoding: z.enum(["utf-8", "base64"]).default("utf-8"),
});
export type TCreateFileInput = z.input<typeof ZCreateFileInput>;

export const ZMoveFileInput = z.object({
  projectId: ZProjectId,
  /** A file, or a folder (every path under it moves). */
  from: ZFilePath,
  to: ZFilePath,
});
export type TMoveFileInput = z.infer<typeof ZMoveFileInput>;

export const ZDeleteFileInput = z.object({
  projectId: ZProjectId,
  /** A file, or a folder (every path under it is deleted). */
  path: ZFilePath,
});
export type TDeleteFileInput = z.infer<typeof ZDeleteFileInput>;

export const ZGetFileHistoryInput = z.object({ projectId: ZProjectId, path: ZFilePath });
export type TGetFileHistoryInput = z.infer<typeof ZGetFileHistoryInput>;

export const ZRestoreFileInput = z
  .object({
    projectId: ZProjectId,
    path: ZFilePath,
    /** The version to restore: its file (from file.history or the deleted files) and number. */
    fileId: z.uuid(),
    version: ZVersion,
    /**
     * The live file the user saw at `path` (its id and current version); omitted when they saw none (a deleted
     * file). Any other live file answers CONFLICT; restoring again with that file as the base overwrites it.
     */
    baseFileId: z.uuid().optional(),
    baseVersion: ZVersion.optional(),
  })
  .refine((input) => (input.baseFileId === undefined) === (input.baseVersion === undefined), {
    message: "Send the base file's id and version together, or neither.",
    path: ["baseVersion"],
  });
export type TRestoreFileInput = z.infer<typeof ZRestoreFileInput>;

/** merge (default): add and overwrite; replace: files not in the archive are deleted too. */
const ZImportMode = z.enum(["merge", "replace"]).default("merge");

export const ZImportZipInput = z.object({
  projectId: ZProjectId,
  /** The zip archive, base64. */
  archive: z
    .string()
    .min(1, "Choose a zip archive.")
    .max(CONTENT_CEILING * 2, "This archive is too large."),
  mode: ZImportMode,
});
export type TImportZipInput = z.input<typeof ZImportZipInput>;

/** The query of the raw archive upload (POST /api/projects/<id>/import?mode=replace); the body is the zip itself. */
export const ZImportArchiveQuery = z.object({ mode: ZImportMode });
export type TImportArchiveQuery = z.input<typeof ZImportArchiveQuery>;
