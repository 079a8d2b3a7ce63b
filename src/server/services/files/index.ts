/**
 * Project files: the IDE's tree, editor saves, history, restore, moves and deletes, zip import and export, one
 * concern a module.
 */
export { decodeBase64, prepareBinary, prepareText, type PreparedFile } from "./content";
export { createFile, deleteFile, listDeletedFiles, listFiles, moveFile } from "./tree";
export { getFileHistory, readFile } from "./history";
export { restoreFile, saveFile } from "./save";
export { assertConsistentTree, exportProjectZip, importZip, writeFiles } from "./import-export";
export {
  applyFileChanges,
  findChangeConflicts,
  versionContent,
  type AppliedChange,
  type FileBase,
  type FileChange,
} from "./batch";
