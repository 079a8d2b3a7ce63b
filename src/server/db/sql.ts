/** Small helpers for building SQL parameters (never SQL text). */

/** Escapes `\`, `%` and `_` so they match literally in LIKE/ILIKE (PostgreSQL's default escape character is `\`). */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, "\\$&");
}

