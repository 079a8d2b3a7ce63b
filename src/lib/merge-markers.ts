/**
 * The conflict markers of a template upgrade's proposed merge (git's two-way style), shared by the server that
 * writes them and the upgrade page that warns while any are left in a resolution.
 */
export const MARKER_OURS = "<<<<<<< yours";
export const MARKER_SPLIT = "=======";
export const MARKER_THEIRS_PREFIX = ">>>>>>> template";

/**
 * The closing marker for the other side, naming where the change comes from: the template's version, or (with
 * `label` "remote") the remote's commit of a git pull.
 */
export function theirsMarker(version: string, label = "template"): string {
  return label === "template" ? `${MARKER_THEIRS_PREFIX} ${version}` : `>>>>>>> ${label} ${version}`;
}

const MARKER_LINE = /^(<<<<<<< |=======$|>>>>>>> )/m;

/** Whether a text still holds a line that starts like a conflict marker. */
export function hasConflictMarkers(text: string): boolean {
  return MARKER_LINE.test(text.replaceAll("\r\n", "\n"));
}
