/**
 * Git: a project imported from a remote over HTTP(S), pushed back as one commit, pulled with a three-way merge.
 * isomorphic-git over a temporary directory, through the address-checked HTTP client of `http.ts`.
 */
export { listRemoteBranches } from "./remote";
export { startGitImport } from "./import";
export { cancelOperation, getOperation } from "./operations";
export { getGitStatus } from "./status";
export { pushProject } from "./push";
export { applyGitPull, previewGitPull } from "./pull";
