/** Small helpers for queries: SQL parameters (never SQL text), and how much content one query may fetch. */

/** Escapes `\`, `%` and `_` so they match literally in LIKE/ILIKE (PostgreSQL's default escape character is `\`). */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, "\\$&");
}

/**
 * Groups `items` in order so that each group's `bytes` add up to at most `budget` (an item larger than the budget
 * is a group of its own): the contents of one group are fetched by one query, so the app never holds more file
 * content than that at once, however many files a search or an export goes through.
 */
export function groupByBytes<T>(items: T[], bytes: (item: T) => number, budget: number): T[][] {
  const groups: T[][] = [];
  let current: T[] = [];
  let total = 0;
  for (const item of items) {
    const size = bytes(item);
    if (current.length > 0 && total + size > budget) {
      groups.push(current);
      current = [];
      total = 0;
    }
    current.push(item);
    total += size;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

/** File content fetched at once by a search or an export (see groupByBytes). */
export const CONTENT_BUDGET_BYTES = 16 * 1024 * 1024;
