/**
 * A same-site path to go to after signing in; anything else becomes "/". Parsed the way browsers parse it, so
 * tricks like `//evil.example`, `/\evil.example` or `/<TAB>/evil.example` (browsers drop tabs and newlines)
 * cannot leave the site.
 */
export function safeCallbackPath(value: string | string[] | undefined | null): string {
  const candidate = Array.isArray(value) ? value[0] : value;
  // Control characters (browsers silently drop tabs and newlines) and backslashes are refused outright.
  if (!candidate || !candidate.startsWith("/") || /[\u0000-\u001f\u007f\\]/.test(candidate)) return "/";
  try {
    const base = "http://vaporform.invalid";
    const url = new URL(candidate, base);
    return url.origin === base ? `${url.pathname}${url.search}${url.hash}` : "/";
  } catch {
    return "/";
  }
}
