/**
 * Inputs of the git procedures (import from a remote, push, pull), and the shapes the UI reads. Client-safe: the
 * import dialog and the sync panel parse with these. The pull's review reuses the template upgrade's shapes
 * (`expected`, `resolutions`), so the upgrade's review component serves both.
 */
import { z } from "zod";
import { ZGitBranch } from "./branch";
import { ZProjectDescription, ZProjectName } from "~/lib/schemas/project";
import { ZUpgradeApplyInput } from "~/lib/schemas/template";

/** A remote's URL as typed: http(s) only (checked again, with the address, on the server). */
export const ZGitUrl = z
  .string()
  .trim()
  .min(1, "Enter the repository's URL.")
  .max(2000, "Use a URL of at most 2,000 characters.")
  .refine((value) => /^https?:\/\//i.test(value), "Only http:// and https:// repository URLs can be used.");

export { ZGitBranch };

/** Credentials for a remote: a token (or password), with the username some hosts want beside it. */
const ZGitCredentials = {
  username: z.string().trim().max(255, "Use a username of at most 255 characters.").optional(),
  token: z.string().max(4096, "This token is too long.").optional(),
};

/** git.branches: the branches of a remote, to choose one before importing. */
export const ZGitBranchesInput = z.object({ url: ZGitUrl, ...ZGitCredentials });
export type TGitBranchesInput = z.input<typeof ZGitBranchesInput>;

/** git.import: a new project from a remote's branch (its default branch when none is given). */
export const ZGitImportInput = z.object({
  url: ZGitUrl,
  branch: ZGitBranch.optional(),
  ...ZGitCredentials,
  name: ZProjectName,
  description: ZProjectDescription,
});
export type TGitImportInput = z.input<typeof ZGitImportInput>;

/** git.operation and git.cancel: one running (or finished) operation of the caller. */
export const ZGitOperationInput = z.object({ operationId: z.uuid() });
export type TGitOperationInput = z.input<typeof ZGitOperationInput>;

/** git.status. */
export const ZGitProjectInput = z.object({ projectId: z.uuid() });
export type TGitProjectInput = z.input<typeof ZGitProjectInput>;

/** An integration of the project holding the credentials (default: the project's git integration, if any). */
const ZIntegrationChoice = { integrationId: z.uuid().optional() };

/** git.pullPreview: what pulling the remote's branch would change. */
export const ZGitPullPreviewInput = z.object({ projectId: z.uuid(), ...ZIntegrationChoice });
export type TGitPullPreviewInput = z.input<typeof ZGitPullPreviewInput>;

/** git.push: the project's files as one commit; the message defaults to a list of the changed files. */
export const ZGitPushInput = z.object({
  projectId: z.uuid(),
  message: z.string().trim().max(10_000, "Use a commit message of at most 10,000 characters.").optional(),
  ...ZIntegrationChoice,
});
export type TGitPushInput = z.input<typeof ZGitPushInput>;

/**
 * git.pullApply: the remote commit the preview was made for, with the same `expected` and `resolutions` as
 * template.upgradeApply (a file changed since the preview is a CONFLICT, never overwritten).
 */
export const ZGitPullApplyInput = ZUpgradeApplyInput.omit({ toVersionId: true }).extend({
  remoteCommit: z.string().regex(/^[0-9a-f]{40}$/, "Not a commit id."),
  ...ZIntegrationChoice,
});
export type TGitPullApplyInput = z.input<typeof ZGitPullApplyInput>;

/** `preview` (git.pullPreview) and `branches` (git.branches) are recorded only to bound and cancel them. */
export const GIT_OPERATION_KINDS = ["import", "push", "pull", "preview", "branches"] as const;
export type GitOperationKind = (typeof GIT_OPERATION_KINDS)[number];
export const GIT_OPERATION_STATUSES = ["running", "succeeded", "failed", "cancelled"] as const;
export type GitOperationStatus = (typeof GIT_OPERATION_STATUSES)[number];
export const GIT_CHANGES = ["add", "modify", "delete"] as const;
export type GitChange = (typeof GIT_CHANGES)[number];
