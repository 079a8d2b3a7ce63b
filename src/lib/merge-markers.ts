/**
 * The conflict markers of a template upgrade's proposed merge (git's two-way style), shared by the server that
 * writes them and the upgrade page that warns while any are left in a resolution.
 */
export const MARKER_OURS = "<<<<<<< yours";
export const MARKER_SPLIT = "=======";
export const MARKER_THEIRS_PREFIX = ">>>>>>> template";

/** The closing marker for the template's side, naming the version the change comes from. */
export function theirsMarker(version: string): string {
  return `${MARKER_THEIRS_PREFIX} ${version}`;
}

const MARKER_LINE = /^(<<<<<<< |=======$|>>>>>>> )/m;

/** Whether a text still holds a line that starts like a conflict marker. */
export function hasConflictMarkers(text: string): boolean {
  return MARKER_LINE.test(text.replaceAll("\r\n", "\n"));
}
