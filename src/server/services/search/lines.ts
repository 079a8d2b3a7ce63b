/**
 * Line matches as the editor shows them: 1-based lines and columns in UTF-16 units, with a preview of long lines.
 */
export const MAX_MATCHES_PER_FILE = 20;
export const MAX_MATCHES_TOTAL = 500;
const PREVIEW_CHARS = 300;
export const PREVIEW_BEFORE = 80;
/** Code points of a line PostgreSQL answers around a regex match (the preview is cut from them). */
export const PREVIEW_WINDOW = PREVIEW_CHARS;

export interface SearchMatch {
  /** 1-based line number. */
  line: number;
  /** 1-based column of the match in the line. */
  column: number;
  length: number;
  /** The line, or a window of it around the match when it is longer than 300 characters. */
  preview: string;
  /** 1-based column of the match in `preview`. */
  previewColumn: number;
}

function preview(line: string, column: number): { preview: string; previewColumn: number } {
  if (line.length <= PREVIEW_CHARS) return { preview: line, previewColumn: column };
  const start = Math.max(0, Math.min(column - 1 - PREVIEW_BEFORE, line.length - PREVIEW_CHARS));
  return { preview: line.slice(start, start + PREVIEW_CHARS), previewColumn: column - start };
}

/** Line matches of `matcher` in `content`, at most `cap` kept; answers the total found too. */
export function matchLines(content: string, matcher: RegExp, cap: number): { matches: SearchMatch[]; total: number } {
  const matches: SearchMatch[] = [];
  let total = 0;
  let lineNumber = 0;
  for (const line of content.split("\n")) {
    lineNumber++;
    matcher.lastIndex = 0;
    for (let found = matcher.exec(line); found; found = matcher.exec(line)) {
      if (found[0].length === 0) {
        matcher.lastIndex++;
        continue;
      }
      total++;
      if (matches.length < cap) {
        const column = found.index + 1;
        matches.push({ line: lineNumber, column, length: found[0].length, ...preview(line, column) });
      }
    }
  }
  return { matches, total };
}

/**
 * Where a regular expression matched, one row per match, as PostgreSQL reports it: `column` in code points, and
 * a window of the line (at most PREVIEW_WINDOW code points from `windowStart`) instead of the whole line.
 */
export interface RegexLineRow {
  id: string;
  line: number;
  column: number;
  /** The match's length in UTF-16 units. */
  length: number;
  total: number;
  windowStart: number;
  window: string;
  /** UTF-16 units of the line before the window. */
  unitsBefore: number;
}

/** UTF-16 length of the first `codePoints` code points of `text`. */
function unitsOf(text: string, codePoints: number): number {
  let units = 0;
  let seen = 0;
  for (const char of text) {
    if (seen++ >= codePoints) break;
    units += char.length;
  }
  return units;
}

/** The regex line rows of each file, in editor units, at most MAX_MATCHES_PER_FILE kept; `total` counts them all. */
export function regexMatchesByFile(rows: RegexLineRow[]): Map<string, { matches: SearchMatch[]; total: number }> {
  const byFile = new Map<string, { matches: SearchMatch[]; total: number; lines: Set<number> }>();
  for (const row of rows) {
    const entry = byFile.get(row.id) ?? { matches: [], total: 0, lines: new Set<number>() };
    if (!entry.lines.has(row.line)) {
      entry.lines.add(row.line);
      entry.total += row.total;
    }
    // PostgreSQL counts code points; the editor counts UTF-16 units.
    const inWindow = unitsOf(row.window, row.column - row.windowStart);
    if (entry.matches.length < MAX_MATCHES_PER_FILE)
      entry.matches.push({
        line: row.line,
        column: row.unitsBefore + inWindow + 1,
        length: row.length,
        preview: row.window,
        previewColumn: inWindow + 1,
      });
    byFile.set(row.id, entry);
  }
  return byFile;
}
