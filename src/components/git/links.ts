/** The query parameter that opens the IDE's Git panel when the IDE loads. */
export const GIT_PANEL_PARAM = "git";

/** The IDE of a project with its Git panel open (the settings page links there). */
export function gitPanelHref(projectId: string): string {
  return `/projects/${projectId}?${GIT_PANEL_PARAM}`;
}

/** The review of a pull from the project's remote. */
export function pullHref(projectId: string): string {
  return `/projects/${projectId}/pull`;
}
