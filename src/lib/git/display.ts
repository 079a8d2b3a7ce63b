/**
 * How the UI names Git things: a project's name from its remote, a short commit id, an operation's progress, a
 * default commit message.
 */

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

const CHANGE_LETTERS = { add: "A", modify: "M", delete: "D" } as const;
/** How many paths a default commit message lists before "… and N more". */
const MESSAGE_MAX_PATHS = 50;

/**
 * The default commit message of a push: how many files changed, then one line per file in `git status --short`
 * style ("M src/app.ts"), at most MESSAGE_MAX_PATHS of them.
 */
export function defaultCommitMessage(
  changes: readonly { path: string; change: keyof typeof CHANGE_LETTERS }[],
): string {
  const subject = `Update ${changes.length} ${changes.length === 1 ? "file" : "files"} from Vaporform`;
  if (changes.length === 0) return subject;
  const lines = changes.slice(0, MESSAGE_MAX_PATHS).map((item) => `${CHANGE_LETTERS[item.change]} ${item.path}`);
  if (changes.length > MESSAGE_MAX_PATHS) lines.push(`… and ${changes.length - MESSAGE_MAX_PATHS} more`);
  return `${subject}\n\n${lines.join("\n")}`;
}

/**
 * An operation's progress bar and words: the percentage when the total is known (100 once it succeeded), else none
 * (the bar is indeterminate); "Receiving objects 42% (1,234/2,900)", or the phase and the count so far.
 */
export function operationProgress(operation: { status: string; phase: string; loaded: number; total: number | null }): {
  percent: number | null;
  text: string;
} {
  const count = (value: number) => value.toLocaleString("en-US");
  if (operation.total !== null && operation.total > 0) {
    const percent = Math.min(100, Math.round((operation.loaded / operation.total) * 100));
    return {
      percent,
      text: `${operation.phase} ${percent}% (${count(operation.loaded)}/${count(operation.total)})`,
    };
  }
  return {
    percent: operation.status === "succeeded" ? 100 : null,
    text: operation.loaded > 0 ? `${operation.phase} (${count(operation.loaded)})` : operation.phase,
  };
}
