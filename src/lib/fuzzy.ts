/**
 * Quick-open matching: every character of the query must appear in the path in order (case-insensitive).
 * Matches in the file name, at word starts (after / . - _ or a case change) and in runs score higher;
 * shorter paths win ties. Returns the matched character positions for highlighting.
 */
export interface FuzzyMatch {
  path: string;
  score: number;
  positions: number[];
}

function isWordStart(path: string, index: number): boolean {
  if (index === 0) return true;
  const previous = path[index - 1]!;
  const current = path[index]!;
  return "/.-_ ".includes(previous) || (previous === previous.toLowerCase() && current !== current.toLowerCase());
}

export function fuzzyMatch(query: string, path: string): FuzzyMatch | null {
  const needle = query.replace(/\s+/g, "").toLowerCase();
  if (needle === "") return { path, score: 0, positions: [] };
  const haystack = path.toLowerCase();
  const nameStart = path.lastIndexOf("/") + 1;
  // Prefer matching inside the file name: try from the name first, then from the start.
  for (const from of nameStart > 0 ? [nameStart, 0] : [0]) {
    const positions: number[] = [];
    let cursor = from;
    for (const char of needle) {
      const found = haystack.indexOf(char, cursor);
      if (found === -1) break;
      positions.push(found);
      cursor = found + 1;
    }
    if (positions.length !== needle.length) continue;
    let score = 0;
    positions.forEach((position, index) => {
      score += 1;
      if (position >= nameStart) score += 4;
      if (isWordStart(path, position)) score += 3;
      if (index > 0 && positions[index - 1] === position - 1) score += 4;
    });
    if (positions[0]! >= nameStart) score += 10;
    score -= path.length * 0.01;
    return { path, score, positions };
  }
  return null;
}

/** The best `limit` paths for `query`, best first. */
export function fuzzyFilter(query: string, paths: readonly string[], limit = 50): FuzzyMatch[] {
  const matches: FuzzyMatch[] = [];
  for (const path of paths) {
    const match = fuzzyMatch(query, path);
    if (match) matches.push(match);
  }
  return matches.sort((a, b) => b.score - a.score || a.path.localeCompare(b.path)).slice(0, limit);
}
