/** How the UI names Git things: a project's name from its remote, a short commit id, a default commit message. */

/**
 * A project name from a remote's URL: its last path segment without `.git` ("https://host/team/my-app.git" ->
 * "my-app"), with characters a project name cannot hold made spaces; "" when the URL names nothing usable.
 */
export function projectNameFromUrl(url: string): string {
  let path: string;
  try {
    path = new URL(url.trim()).pathname;
  } catch {
    return "";
  }
  const segment = path.split("/").filter(Boolean).pop() ?? "";
  let name: string;
  try {
    name = decodeURIComponent(segment);
  } catch {
    name = segment;
  }
  return name
    .replace(/\.git$/i, "")
    .replace(/[^\p{L}\p{N} ._()-]+/gu, " ")
    .replace(/^[^\p{L}\p{N}]+/u, "")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, 100)
    .trim();
}

/** The first 7 characters of a commit id, as git shows it. */
export function shortCommit(oid: string): string {
  return oid.slice(0, 7);
}

const CHANGE_VERBS = { add: "Add", modify: "Update", delete: "Delete" } as const;
/** How many paths a default commit message lists before "and N more". */
const MESSAGE_MAX_PATHS = 20;

/** A commit message listing the changed files ("Update 2 files from Vaporform" and one line per file). */
export function defaultCommitMessage(changes: readonly { path: string; change: keyof typeof CHANGE_VERBS }[]): string {
  if (changes.length === 0) return "Sync from Vaporform";
  const subject =
    changes.length === 1
      ? `${CHANGE_VERBS[changes[0]!.change]} ${changes[0]!.path}`
      : `Update ${changes.length} files from Vaporform`;
  if (changes.length === 1) return subject;
  const lines = changes.slice(0, MESSAGE_MAX_PATHS).map((entry) => `- ${CHANGE_VERBS[entry.change]} ${entry.path}`);
  if (changes.length > MESSAGE_MAX_PATHS) lines.push(`- and ${changes.length - MESSAGE_MAX_PATHS} more`);
  return `${subject}\n\n${lines.join("\n")}`;
}
