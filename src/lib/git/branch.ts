/**
 * Branch names as git allows them: ONE rule for every input that takes one (a project's settings, an import).
 * Client-safe and free of other imports, so both schema modules use it without a cycle.
 */
import { z } from "zod";

/**
 * Whether `name` is a branch name git accepts (the rules of `git check-ref-format --branch`): no control
 * character, space or any of ~ ^ : ? * [ \ ; no “..”, “@{” or “//”; not “@” or “HEAD”; not starting with “-” or
 * “/”, not ending with “/” or “.”; no part (between slashes) starting with “.” or ending with “.lock”.
 */
export function isValidBranchName(name: string): boolean {
  if (name === "" || name === "@" || name === "HEAD" || name.startsWith("-")) return false;
  if (/[\x00-\x20\x7f~^:?*[\\]/.test(name)) return false;
  if (name.includes("..") || name.includes("@{") || name.includes("//")) return false;
  if (name.startsWith("/") || name.endsWith("/") || name.endsWith(".")) return false;
  return name.split("/").every((part) => !part.startsWith(".") && !part.endsWith(".lock"));
}

/** A branch name as typed (trimmed), checked with isValidBranchName. */
export const ZGitBranch = z
  .string()
  .trim()
  .min(1, "Enter a branch name.")
  .max(255, "Use a branch name of at most 255 characters.")
  .refine(
    isValidBranchName,
    "Use a valid git branch name (no spaces, “..”, ~ ^ : ? * [ \\, and not ending in / . or .lock).",
  );
