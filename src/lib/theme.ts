/** Where a browser remembers its theme choice (localStorage). */
export const THEME_STORAGE_KEY = "vaporform-theme";

/**
 * Runs before first paint, so nobody sees a flash of the wrong theme. An explicit preference of a signed-in user
 * wins; otherwise this browser's last choice; otherwise the operating system's.
 */
export function themeScript(preference: "system" | "light" | "dark"): string {
  const key = JSON.stringify(THEME_STORAGE_KEY);
  return `(() => {
  try {
    const preference = ${JSON.stringify(preference)};
    const stored = localStorage.getItem(${key});
    if (preference !== "system") localStorage.setItem(${key}, preference);
    const choice = preference !== "system" ? preference : stored;
    const dark = choice ? choice === "dark" : matchMedia("(prefers-color-scheme: dark)").matches;
    document.documentElement.classList.toggle("dark", dark);
  } catch {}
})();`;
}
