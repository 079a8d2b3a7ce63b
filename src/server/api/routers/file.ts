import {
  ZCreateFileInput,
  ZDeleteFileInput,
  ZGetFileHistoryInput,
  ZImportZipInput,
  ZListFilesInput,
  ZMoveFileInput,
  ZReadFileInput,
  ZRestoreFileInput,
  ZSaveFileInput,
} from "~/lib/schemas/file";
import { env } from "~/env";
import { createTRPCRouter, projectProcedure, protectedProcedure } from "~/server/api/trpc";
import {
  createFile,
  deleteFile,
  getFileHistory,
  importZip,
  listDeletedFiles,
  listFiles,
  moveFile,
  readFile,
  restoreFile,
  saveFile,
} from "~/server/services/files";

/** The IDE's files; every procedure is scoped to one of the caller's projects (projectProcedure). */
export const fileRouter = createTRPCRouter({
  /** The server's file limits, so the IDE refuses an upload before sending it with the limit that applies. */
  config: protectedProcedure.query(() => ({ fileMaxBytes: env.FILE_MAX_BYTES })),
  list: projectProcedure
    .input(ZListFilesInput)
    .query(({ ctx }) => listFiles({ db: ctx.db, projectId: ctx.project.id })),
  /** The deleted files (restorable from their last version). */
  listDeleted: projectProcedure
    .input(ZListFilesInput)
    .query(({ ctx }) => listDeletedFiles({ db: ctx.db, projectId: ctx.project.id })),
  read: projectProcedure.input(ZReadFileInput).query(({ ctx, input }) =>
    readFile({
      db: ctx.db,
      projectId: ctx.project.id,
      path: input.path,
      version: input.version,
      fileId: input.fileId,
    }),
  ),
  save: projectProcedure.input(ZSaveFileInput).mutation(({ ctx, input }) =>
    saveFile({
      db: ctx.db,
      projectId: ctx.project.id,
      actor: ctx.actor,
      path: input.path,
      content: input.content,
      fileId: input.fileId,
      baseVersion: input.baseVersion,
    }),
  ),
  create: projectProcedure.input(ZCreateFileInput).mutation(({ ctx, input }) =>
    createFile({
      db: ctx.db,
      projectId: ctx.project.id,
      actor: ctx.actor,
      path: input.path,
      kind: input.kind,
      content: input.content,
      encoding: input.encoding,
    }),
  ),
  move: projectProcedure
    .input(ZMoveFileInput)
    .mutation(({ ctx, input }) =>
      moveFile({ db: ctx.db, projectId: ctx.project.id, actor: ctx.actor, from: input.from, to: input.to }),
    ),
  delete: projectProcedure
    .input(ZDeleteFileInput)
    .mutation(({ ctx, input }) =>
      deleteFile({ db: ctx.db, projectId: ctx.project.id, actor: ctx.actor, path: input.path }),
    ),
  history: projectProcedure
    .input(ZGetFileHistoryInput)
    .query(({ ctx, input }) => getFileHistory({ db: ctx.db, projectId: ctx.project.id, path: input.path })),
  restore: projectProcedure.input(ZRestoreFileInput).mutation(({ ctx, input }) =>
    restoreFile({
      db: ctx.db,
      projectId: ctx.project.id,
      actor: ctx.actor,
      path: input.path,
      version: input.version,
      fileId: input.fileId,
      baseFileId: input.baseFileId,
      baseVersion: input.baseVersion,
    }),
  ),
  importZip: projectProcedure
    .input(ZImportZipInput)
    .mutation(({ ctx, input }) =>
      importZip({ db: ctx.db, projectId: ctx.project.id, actor: ctx.actor, archive: input.archive, mode: input.mode }),
    ),
});
