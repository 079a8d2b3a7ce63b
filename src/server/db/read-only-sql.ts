/**
 * Tells, from its SQL text alone, whether a raw query only reads, so that it may run again after a lost
 * connection. Conservative: a word that might write anywhere in the text (even in a string literal, or
 * `FOR UPDATE`) makes it a write. Values are bound parameters, never SQL, so only the text is looked at.
 */

/**
 * What may write inside a SELECT or WITH: data-modifying CTEs, SELECT INTO (creates a table), and functions with
 * side effects (sequences, settings, locks, notifications, large objects, the app's partition maintenance).
 */
const WRITES =
  /\b(?:insert|update|delete|merge|into|nextval|setval|set_config|pg_advisory_\w+|pg_notify|pg_terminate_backend|pg_cancel_backend|pg_reload_conf|lo_\w+|vf_create_\w+|vf_drop_\w+|vf_ensure_\w+)\b/i;

/** A leading run of whitespace, comments and opening parentheses. */
const LEADING_NOISE = /^(?:\s+|--[^\n]*\n?|\/\*[\s\S]*?\*\/|\()*/;

/** The SQL text of `$queryRaw` (a template: `{ strings, values }`) or `$queryRawUnsafe` (`[sql, ...values]`). */
function sqlText(args: unknown): string | null {
  if (Array.isArray(args)) return typeof args[0] === "string" ? args[0] : null;
  const strings = (args as { strings?: unknown } | null)?.strings;
  if (Array.isArray(strings) && strings.every((part) => typeof part === "string")) return strings.join(" ");
  return null;
}

/** True when the raw query's text is a SELECT (or WITH ... SELECT) in which nothing may write. */
export function isReadOnlyRawQuery(args: unknown): boolean {
  const text = sqlText(args);
  if (text === null) return false;
  const statement = text.replace(LEADING_NOISE, "");
  return /^(?:select|with)\b/i.test(statement) && !WRITES.test(statement);
}
