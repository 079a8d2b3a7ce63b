/**
 * What an activity entry changed, for the dashboard's timeline. Pure and client-safe.
 *
 * Entries carry `before_state`/`after_state` (JSON written by the triggers or the services); a file edit's states
 * name the versions it went between, and `project_file_versions` holds both contents, so the timeline can show the
 * edit itself rather than two hashes.
 */

export interface StateChange {
  key: string;
  before: string | null;
  after: string | null;
  changed: boolean;
}

/** A JSON value on one line, for a compact before/after table; strings without their quotes. */
function show(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/**
 * The keys of both states, in order of first appearance (before's first), each with its two values (null where a
 * state lacks the key) and whether it changed. No states at all: an empty list.
 */
export function stateChanges(
  before: Record<string, unknown> | null,
  after: Record<string, unknown> | null,
): StateChange[] {
  const keys = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])];
  return keys.map((key) => {
    const had = before !== null && key in before;
    const has = after !== null && key in after;
    const from = had ? show(before[key]) : null;
    const to = has ? show(after[key]) : null;
    return { key, before: from, after: to, changed: from !== to };
  });
}

export interface FileVersionPair {
  path: string;
  fileId: string | undefined;
  fromVersion: number;
  toVersion: number;
}

function positiveInt(value: unknown): number | null {
  return typeof value === "number" && Number.isInteger(value) && value > 0 ? value : null;
}

/**
 * The two versions of a file edit whose contents differ (the trigger's `file_modified` with `content_changed`), or
 * null: a rename or a metadata change has no text to compare, and other entries are not file edits.
 */
export function fileVersionPair(entry: {
  activityType: string;
  metadata: Record<string, unknown> | null;
  beforeState: Record<string, unknown> | null;
  afterState: Record<string, unknown> | null;
}): FileVersionPair | null {
  if (entry.activityType !== "file_modified" || entry.metadata?.content_changed !== true) return null;
  const fromVersion = positiveInt(entry.beforeState?.version);
  const toVersion = positiveInt(entry.afterState?.version);
  const path = entry.afterState?.file_path;
  if (fromVersion === null || toVersion === null || fromVersion === toVersion || typeof path !== "string") return null;
  const fileId = typeof entry.metadata.file_id === "string" ? entry.metadata.file_id : undefined;
  return { path, fileId, fromVersion, toVersion };
}

/** An activity type for people: `file_modified` as "File modified". */
export function activityTypeLabel(type: string): string {
  const words = type.replace(/_/g, " ").trim();
  return words ? words[0]!.toUpperCase() + words.slice(1) : type;
}
